"""Reading, checking and applying a residents' workbook (xlsx or csv).

Everything is checked before anything is written: one bad row and nothing is imported, and
the report names each row, column and reason. Re-importing the same file changes nothing,
because residents are matched by the keyed hash of their ID number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineWorkbook

from linli.core import audit, crypto
from linli.core.bulk import adapt_datetime, date_adapter, insert_rows, insert_rows_returning
from linli.core.errors import DomainError
from linli.core.models import Community
from linli.core.transactions import atomic_action
from linli.people.actions import (
    CheckedResident,
    ResidentInput,
    check_resident,
    grid_lookup,
    tag_lookup,
)
from linli.people.models import (
    Building,
    Entrance,
    Household,
    ImportJob,
    Relation,
    ResidencyRecord,
    Resident,
    ResidentStatus,
)

# Column key → accepted headers (Chinese first, as in the template; English aliases).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号码", "身份证号", "公民身份号码", "id number"),
    "phone": ("手机号码", "联系电话", "电话", "phone"),
    "building": ("楼栋", "楼号", "building"),
    "entrance": ("单元", "entrance"),
    "room": ("房号", "门牌号", "room"),
    "address_note": ("其他地址", "地址说明", "address note"),
    "relation": ("与户主关系", "relation"),
    "tags": ("标签", "人员类别", "tags"),
    "grid": ("网格", "grid"),
    "moved_in_on": ("迁入日期", "moved in on"),
}
REQUIRED = ("name", "id_number")
COLUMN_LABELS = {
    "name": gettext_lazy("Name"),
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "building": gettext_lazy("Building"),
    "entrance": gettext_lazy("Entrance"),
    "room": gettext_lazy("Room"),
    "address_note": gettext_lazy("Described address"),
    "relation": gettext_lazy("Relation to head"),
    "tags": gettext_lazy("Tags"),
    "grid": gettext_lazy("Grid"),
    "moved_in_on": gettext_lazy("Moved in on"),
    "": gettext_lazy("Whole row"),
}
TEMPLATE_HEADERS = [
    "姓名",
    "身份证号码",
    "手机号码",
    "楼栋",
    "单元",
    "房号",
    "其他地址",
    "与户主关系",
    "标签",
    "网格",
    "迁入日期",
]

RELATIONS = {
    "户主": Relation.HEAD,
    "本人": Relation.HEAD,
    "配偶": Relation.SPOUSE,
    "妻": Relation.SPOUSE,
    "夫": Relation.SPOUSE,
    "妻子": Relation.SPOUSE,
    "丈夫": Relation.SPOUSE,
    "子女": Relation.CHILD,
    "子": Relation.CHILD,
    "女": Relation.CHILD,
    "儿子": Relation.CHILD,
    "女儿": Relation.CHILD,
    "父母": Relation.PARENT,
    "父亲": Relation.PARENT,
    "母亲": Relation.PARENT,
    "祖父母": Relation.GRANDPARENT,
    "外祖父母": Relation.GRANDPARENT,
    "孙子女": Relation.GRANDCHILD,
    "外孙子女": Relation.GRANDCHILD,
    "兄弟姐妹": Relation.SIBLING,
    "儿媳": Relation.CHILD_IN_LAW,
    "女婿": Relation.CHILD_IN_LAW,
    "其他": Relation.OTHER,
}
_TAG_SEPARATORS = str.maketrans(dict.fromkeys("、，;；/ ", ","))
# Uncompressed size allowed inside an xlsx, against zip bombs.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
PROGRESS_EVERY = 2000
APPLY_BATCH = 2000
MAX_REPORTED_ERRORS = 1000
# An import creating or changing at least this many residents refreshes planner statistics.
ANALYZE_AFTER = 1000


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class FileRejected(DomainError):
    """The file as a whole cannot be read (type, size, layout)."""


Progress = Callable[[int, int], None]


def _reject(code: str, message: str, **params: Any) -> FileRejected:
    return FileRejected(code, message, **params)


def _sheet_xml_path(archive: zipfile.ZipFile) -> str:
    """The path of the workbook's first worksheet inside the xlsx archive."""
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = workbook.find("m:sheets/m:sheet", ns)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    if first is None:
        raise _reject("xlsx_no_sheet", _("The workbook has no worksheet."))
    rel_id = first.get(f"{{{ns['r']}}}id")
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise _reject("xlsx_no_sheet", _("The workbook has no worksheet."))


def _scan_sheet(archive: zipfile.ZipFile, path: str) -> tuple[bool, bool]:
    """(has formulas, has merged cells), read in chunks without building the XML tree."""
    formulas = merged = False
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            formulas = formulas or b"<f>" in window or b"<f " in window
            merged = merged or b"<mergeCell " in window
            if formulas and merged:
                break
            tail = window[-16:]
    return formulas, merged


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise _reject("xlsx_too_large", _("The workbook is too large once unpacked."))
        sheet_path = _sheet_xml_path(archive)
        formulas, merged = _scan_sheet(archive, sheet_path)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise _reject(
            "xlsx_broken", _("The file is not a readable .xlsx workbook; it may be damaged.")
        ) from None
    if formulas:
        raise _reject(
            "xlsx_formulas",
            _(
                "The worksheet contains formulas. Copy the cells and paste them as values "
                "(选择性粘贴 → 数值), then upload again."
            ),
        )
    if merged:
        raise _reject(
            "xlsx_merged",
            _("The worksheet has merged cells. Unmerge them so each row has its own values."),
        )
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        yield from sheet.iter_rows()
    except FileRejected:
        raise
    except Exception:  # calamine raises its own error types for damaged workbooks
        raise _reject(
            "xlsx_broken", _("The file is not a readable .xlsx workbook; it may be damaged.")
        ) from None


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    # Excel in China saves CSV as GB18030 (GBK); newer tools use UTF-8 with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover  (gb18030 decodes any byte sequence)
        raise _reject("csv_encoding", _("The CSV file's text encoding is not recognised."))
    try:
        yield from csv.reader(io.StringIO(text))
    except csv.Error:
        raise _reject(
            "csv_broken",
            _("The CSV file cannot be read (a field is too long or a quote is not closed)."),
        ) from None


def read_rows(data: bytes, file_name: str) -> Iterator[list[Any]]:
    """The rows of the file, after checks on its size and type."""
    if not data:
        raise _reject("file_empty", _("The file is empty."))
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _reject(
            "file_too_large",
            _("The file is larger than %(limit)s MB; split it into smaller files."),
            limit=settings.IMPORT_MAX_BYTES // (1024 * 1024),
        )
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _reject(
            "xls_old_format",
            _("This is an old .xls workbook. Save it as .xlsx (Excel workbook) and upload again."),
        )
    if b"\x00" in data[:4096] or not file_name.lower().endswith((".csv", ".txt")):
        raise _reject(
            "file_type",
            _("Only .xlsx workbooks and .csv files can be imported; this file is neither."),
        )
    return _csv_rows(data)


def _text(value: Any, *, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if column == "id_number":
            raise DomainError(
                "id_as_number",
                gettext_lazy(
                    "The ID number was stored as a number, which loses its last digits. "
                    "Format the column as text and type it again."
                ),
            )
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError(
            "date_invalid",
            gettext_lazy("This is not a date; write it as 2024-03-15."),
        ) from None


def _map_header(row: list[Any]) -> dict[str, int]:
    wanted = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    positions: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = wanted.get(str(cell or "").strip().lower())
        if key and key not in positions:
            positions[key] = index
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in positions]
    if missing:
        raise _reject(
            "header_missing",
            _("The first row must be the template's header row; missing column(s): %(columns)s."),
            columns="、".join(missing),
        )
    return positions


# Which column an error from check_resident() belongs to.
_ERROR_COLUMNS = {
    "id": "id_number",
    "phone": "phone",
    "name": "name",
    "address": "building",
    "relation": "relation",
    "tag": "tags",
    "grid": "grid",
    "moved": "moved_in_on",
    "date": "moved_in_on",
}


def _column_for(code: str) -> str:
    return _ERROR_COLUMNS.get(code.split("_")[0], "")


@dataclass(slots=True)
class Checked:
    rows: list[tuple[int, CheckedResident]]
    errors: list[RowError]
    error_count: int
    columns: frozenset[str]


def check_rows(
    rows: Iterator[list[Any]], community: Community, progress: Progress | None = None
) -> Checked:
    """Validate every row; collect every problem (not only the first)."""
    try:
        header = next(rows)
    except StopIteration:
        raise _reject("file_empty", _("The file is empty.")) from None
    positions = _map_header(header)
    tags, grids = tag_lookup(), grid_lookup(community)
    today = timezone.localdate()
    checked: list[tuple[int, CheckedResident]] = []
    errors: list[RowError] = []
    error_count = 0
    seen: dict[str, int] = {}
    line = 1

    def report(column: str, message: str) -> None:
        nonlocal error_count
        error_count += 1
        if len(errors) < MAX_REPORTED_ERRORS:
            errors.append(RowError(line, str(COLUMN_LABELS.get(column, column)), message))

    for line, row in enumerate(rows, start=2):
        if progress and line % PROGRESS_EVERY == 0:
            progress(line - 1, 0)
        values = {key: row[pos] if pos < len(row) else None for key, pos in positions.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        try:
            relation_text = _text(values.get("relation"), column="relation")
            relation = RELATIONS.get(relation_text, relation_text) or Relation.HEAD
            tags_text = _text(values.get("tags"), column="tags").translate(_TAG_SEPARATORS)
            data = ResidentInput(
                name=_text(values.get("name"), column="name"),
                id_number=_text(values.get("id_number"), column="id_number"),
                phone=_text(values.get("phone"), column="phone"),
                building=_text(values.get("building"), column="building"),
                entrance=_text(values.get("entrance"), column="entrance"),
                room=_text(values.get("room"), column="room"),
                address_note=_text(values.get("address_note"), column="address_note"),
                relation=relation,
                tags=[t for t in tags_text.split(",") if t],
                grid=_text(values.get("grid"), column="grid"),
                moved_in_on=_date(values.get("moved_in_on")),
            )
        except DomainError as exc:
            report(_column_for(exc.code) or "id_number", exc.message)
            continue
        try:
            resident = check_resident(data, community, tags=tags, grids=grids, today=today)
        except DomainError as exc:
            report(_column_for(exc.code), exc.message)
            continue
        if resident.id_hash in seen:
            report(
                "id_number",
                _("The same ID number is already on row %(row)s.")
                % {"row": seen[resident.id_hash]},
            )
            continue
        seen[resident.id_hash] = line
        checked.append((line, resident))
    if not checked and not error_count:
        raise _reject("file_no_rows", _("The file has a header but no residents."))
    return Checked(checked, errors, error_count, frozenset(positions))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class _Places:
    """Buildings, entrances and households of a community, created in bulk as needed."""

    def __init__(self, community: Community) -> None:
        self.community = community
        self.buildings: dict[str, int] = dict(
            Building.objects.filter(community=community).values_list("number", "pk")
        )
        self.entrances: dict[tuple[int, str], int] = {
            (building_id, number): pk
            for pk, building_id, number in Entrance.objects.filter(
                building__community=community
            ).values_list("pk", "building_id", "number")
        }
        self.households: dict[tuple[int | None, str], int] = {}
        for pk, entrance_id, room, note in Household.objects.filter(
            community=community
        ).values_list("pk", "entrance_id", "room", "address_note"):
            self.households[(entrance_id, room) if entrance_id else (None, note)] = pk

    def prepare(self, batch: list[CheckedResident]) -> None:
        """Create whatever buildings, entrances and households this batch needs."""
        new_buildings: dict[str, Building] = {}
        for r in batch:
            number = r.address[0] if r.address else None
            if number and number not in self.buildings and number not in new_buildings:
                new_buildings[number] = Building(
                    community=self.community, number=number, grid_id=r.grid_id
                )
        for b in Building.objects.bulk_create(new_buildings.values()):
            self.buildings[b.number] = b.pk
        new_entrances: dict[tuple[int, str], Entrance] = {}
        for r in batch:
            if r.address:
                key = (self.buildings[r.address[0]], r.address[1])
                if key not in self.entrances and key not in new_entrances:
                    new_entrances[key] = Entrance(building_id=key[0], number=key[1])
        for e in Entrance.objects.bulk_create(new_entrances.values()):
            self.entrances[(e.building_id, e.number)] = e.pk
        new_households: dict[tuple[int | None, str], tuple[Any, ...]] = {}
        now = adapt_datetime(timezone.now())
        for r in batch:
            place_key = self.household_key(r)
            if place_key not in self.households and place_key not in new_households:
                entrance_id, place = place_key
                new_households[place_key] = (
                    self.community.pk,
                    entrance_id,
                    place if entrance_id else "",
                    "" if entrance_id else place,
                    now,
                )
        created = insert_rows_returning(
            Household,
            ["community", "entrance", "room", "address_note", "created_at"],
            list(new_households.values()),
            returning=("id", "entrance", "room", "address_note"),
        )
        for pk, entrance_id, room, note in created:
            self.households[(entrance_id, room) if entrance_id else (None, note)] = pk

    def household_key(self, r: CheckedResident) -> tuple[int | None, str]:
        if r.address is None:
            return (None, r.address_note)
        return (self.entrances[(self.buildings[r.address[0]], r.address[1])], r.address[2])

    def household_id(self, r: CheckedResident) -> int:
        return self.households[self.household_key(r)]


_RESIDENT_COLUMNS = [
    "community",
    "household",
    "relation_to_head",
    "name",
    "name_initials",
    "name_pinyin",
    "gender",
    "birth_date",
    "id_number",
    "id_hash",
    "phone",
    "phone_tail",
    "health_notes",
    "status",
    "moved_in_on",
    "created_at",
    "updated_at",
]


def _insert_residents(
    community: Community, new: list[CheckedResident], household_of: dict[str, int]
) -> dict[str, int]:
    """Insert new residents with their first residence record; return their ids by hash."""
    if not new:
        return {}
    now = adapt_datetime(timezone.now())
    adapt_date = date_adapter()
    ids = dict(
        insert_rows_returning(
            Resident,
            _RESIDENT_COLUMNS,
            [
                (
                    community.pk,
                    household_of[r.id_hash],
                    r.relation,
                    r.name,
                    r.initials,
                    r.pinyin,
                    r.gender,
                    adapt_date(r.birth_date),
                    crypto.encrypt(r.id_number),
                    r.id_hash,
                    r.phone,
                    r.phone[-4:],
                    "",
                    ResidentStatus.ACTIVE,
                    adapt_date(r.moved_in_on),
                    now,
                    now,
                )
                for r in new
            ],
            returning=("id_hash", "id"),
        )
    )
    insert_rows(
        ResidencyRecord,
        ["resident", "household", "moved_in_on", "reason"],
        [(ids[r.id_hash], household_of[r.id_hash], adapt_date(r.moved_in_on), "") for r in new],
    )
    return ids


_COMPARED = ("name", "phone", "household_id", "relation_to_head", "moved_in_on", "status")


def apply_rows(
    *,
    actor: Any,
    community: Community,
    rows: list[tuple[int, CheckedResident]],
    file_name: str,
    columns: frozenset[str] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Write checked rows in one transaction: create the new, update the changed.

    Only the file's `columns` are compared and written for residents already registered: a
    workbook without a phone column leaves every phone as it is. A resident registered as
    moved away who appears in the file is living here again.
    """
    present = frozenset(COLUMNS) if columns is None else columns
    has_address = bool({"building", "address_note"} & present)
    result = ImportResult()
    tag_through = Resident.tags.through
    today = timezone.localdate()
    with atomic_action():
        existing: dict[str, tuple[Any, ...]] = {
            row[0]: row[1:]
            for row in Resident.objects.filter(community=community).values_list(
                "id_hash", "pk", *_COMPARED
            )
        }
        existing_tags: dict[int, set[int]] = {}
        if "tags" in present:
            for resident_id, tag_id in tag_through.objects.filter(
                resident__community=community
            ).values_list("resident_id", "tag_id"):
                existing_tags.setdefault(resident_id, set()).add(tag_id)
        places = _Places(community)
        done = 0
        for start in range(0, len(rows), APPLY_BATCH):
            batch = [r for _line, r in rows[start : start + APPLY_BATCH]]
            places.prepare(batch)
            new: list[CheckedResident] = []
            household_of: dict[str, int] = {}
            changed: list[Resident] = []
            moved: dict[int, int] = {}
            retag: dict[int, tuple[int, ...]] = {}
            for r in batch:
                household_id = places.household_id(r)
                current = existing.get(r.id_hash)
                if current is None:
                    new.append(r)
                    household_of[r.id_hash] = household_id
                    continue
                pk, *old = current
                before = dict(zip(_COMPARED, old, strict=True))
                after = {**before, "name": r.name, "status": ResidentStatus.ACTIVE}
                if "phone" in present:
                    after["phone"] = r.phone
                if has_address:
                    after["household_id"] = household_id
                if "relation" in present:
                    after["relation_to_head"] = r.relation
                if "moved_in_on" in present:
                    after["moved_in_on"] = r.moved_in_on
                tags_differ = "tags" in present and existing_tags.get(pk, set()) != set(r.tag_ids)
                if after == before and not tags_differ:
                    result.unchanged += 1
                    continue
                if after != before:
                    initials, pinyin = r.initials, r.pinyin
                    changed.append(
                        Resident(
                            pk=pk,
                            name_initials=initials,
                            name_pinyin=pinyin,
                            phone_tail=after["phone"][-4:],
                            moved_out_on=None,
                            **after,
                        )
                    )
                    if (
                        after["household_id"] != before["household_id"]
                        or before["status"] != ResidentStatus.ACTIVE
                    ):
                        moved[pk] = after["household_id"]
                else:
                    result.updated += 1  # only the tags differ
                if tags_differ:
                    retag[pk] = r.tag_ids
            created = _insert_residents(community, new, household_of)
            links = [(created[r.id_hash], tag_id) for r in new for tag_id in r.tag_ids]
            if changed:
                Resident.objects.bulk_update(
                    changed,
                    [*_COMPARED, "name_initials", "name_pinyin", "phone_tail", "moved_out_on"],
                )
            if moved:
                # A new address (or a return) is a move: close the old record, open a new one.
                ResidencyRecord.objects.filter(
                    resident_id__in=moved, moved_out_on__isnull=True
                ).update(moved_out_on=today, reason=f"import {file_name}"[:200])
                adapt = date_adapter()
                insert_rows(
                    ResidencyRecord,
                    ["resident", "household", "moved_in_on", "reason"],
                    [(pk, household, adapt(today), "") for pk, household in moved.items()],
                )
            if retag:
                tag_through.objects.filter(resident_id__in=retag).delete()
                links += [(pk, tag_id) for pk, tag_ids in retag.items() for tag_id in tag_ids]
            insert_rows(tag_through, ["resident", "tag"], links)
            result.created += len(created)
            result.updated += len(changed)
            done += len(batch)
            if progress:
                progress(done, len(rows))
        audit.record(
            actor=actor,
            code="people.residents_imported",
            community=community,
            data={"file": file_name, **result.as_dict()},
        )
    if result.created + result.updated >= ANALYZE_AFTER:
        refresh_planner_statistics()
    return result


def refresh_planner_statistics() -> None:
    """After a large import, let the query planner see the new sizes (SQLite has no autovacuum
    to do it, and without statistics it picks the name index for every search)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in (Resident, Household, Entrance, Building):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def template_workbook() -> bytes:
    """An empty workbook with the template's header row and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "居民"
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "张三",
            "11010519491231002X",
            "13800138000",
            "3",
            "2",
            "501",
            "",
            "户主",
            "党员、居民代表",
            "",
            "2015-06-01",
        ]
    )
    for column, width in zip("ABCDEFGHIJK", [10, 22, 15, 8, 8, 8, 20, 12, 20, 10, 12], strict=True):
        sheet.column_dimensions[column].width = width
    # ID numbers and phones must be text, or Excel turns them into rounded numbers.
    for column in "BC":
        for row in range(2, 2001):
            sheet[f"{column}{row}"].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import_job(job_id: int) -> ImportJob:
    """Check and apply an ImportJob's workbook, recording progress on the job as it goes."""

    from linli.core import crypto

    job = ImportJob.objects.select_related("community", "created_by").get(pk=job_id)
    if job.finished or job.payload is None:
        return job

    def save(**fields: Any) -> None:
        for name, value in fields.items():
            setattr(job, name, value)
        ImportJob.objects.filter(pk=job.pk).update(**fields)

    save(status=ImportJob.Status.VALIDATING)
    try:
        data = crypto.decrypt_bytes(bytes(job.payload))
        checked = check_rows(
            read_rows(data, job.file_name),
            job.community,
            progress=lambda done, _total: save(processed_rows=done),
        )
        total = len(checked.rows) + checked.error_count
        if checked.error_count:
            with transaction.atomic():
                save(
                    status=ImportJob.Status.REJECTED,
                    total_rows=total,
                    processed_rows=total,
                    errors=[e.as_dict() for e in checked.errors],
                    error_count=checked.error_count,
                    payload=None,
                    finished_at=timezone.now(),
                )
                audit.record(
                    actor=job.created_by,
                    code="people.import_rejected",
                    community=job.community,
                    target=job,
                    data={"file": job.file_name, "errors": checked.error_count},
                )
            return job
        save(status=ImportJob.Status.IMPORTING, total_rows=total, processed_rows=total)
        result = apply_rows(
            actor=job.created_by,
            community=job.community,
            rows=checked.rows,
            file_name=job.file_name,
            columns=checked.columns,
        )
        save(
            status=ImportJob.Status.DONE,
            result=result.as_dict(),
            payload=None,
            finished_at=timezone.now(),
        )
    except FileRejected as exc:
        save(
            status=ImportJob.Status.REJECTED,
            errors=[RowError(0, "", exc.message).as_dict()],
            error_count=1,
            payload=None,
            finished_at=timezone.now(),
        )
    except Exception:
        save(status=ImportJob.Status.FAILED, payload=None, finished_at=timezone.now())
        raise
    return job
