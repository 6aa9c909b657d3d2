"""Reading and checking a residents' workbook (xlsx or csv); nothing here writes.

Everything is checked before anything is written: one bad row and nothing is imported, and
the report names each row, column and reason. The write step is the action
`people.imports.import_residents`; re-importing the same file changes nothing there, because
residents are matched by the keyed hash of their ID number.
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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineWorkbook

from linli.core.errors import DomainError
from linli.core.models import Community
from linli.people.checks import (
    CheckedResident,
    ResidentInput,
    check_resident,
    grid_lookup,
    tag_lookup,
)
from linli.people.models import Relation

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
MAX_REPORTED_ERRORS = 1000


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


def _row_input(values: dict[str, Any]) -> ResidentInput:
    """What one row's cells say, as text and dates (a DomainError for a cell that is neither)."""
    relation_text = _text(values.get("relation"), column="relation")
    tags_text = _text(values.get("tags"), column="tags").translate(_TAG_SEPARATORS)
    return ResidentInput(
        name=_text(values.get("name"), column="name"),
        id_number=_text(values.get("id_number"), column="id_number"),
        phone=_text(values.get("phone"), column="phone"),
        building=_text(values.get("building"), column="building"),
        entrance=_text(values.get("entrance"), column="entrance"),
        room=_text(values.get("room"), column="room"),
        address_note=_text(values.get("address_note"), column="address_note"),
        relation=RELATIONS.get(relation_text, relation_text) or Relation.HEAD,
        tags=[t for t in tags_text.split(",") if t],
        grid=_text(values.get("grid"), column="grid"),
        moved_in_on=_date(values.get("moved_in_on")),
    )


class _Report:
    """Every problem found, the first MAX_REPORTED_ERRORS of them in words."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.count = 0

    def add(self, line: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, str(COLUMN_LABELS.get(column, column)), message))


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
    report = _Report()
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        if progress and line % PROGRESS_EVERY == 0:
            progress(line - 1, 0)
        values = {key: row[pos] if pos < len(row) else None for key, pos in positions.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        try:
            data = _row_input(values)
        except DomainError as exc:
            report.add(line, _column_for(exc.code) or "id_number", exc.message)
            continue
        try:
            resident = check_resident(data, community, tags=tags, grids=grids, today=today)
        except DomainError as exc:
            report.add(line, _column_for(exc.code), exc.message)
            continue
        if resident.id_hash in seen:
            report.add(
                line,
                "id_number",
                _("The same ID number is already on row %(row)s.")
                % {"row": seen[resident.id_hash]},
            )
            continue
        seen[resident.id_hash] = line
        checked.append((line, resident))
    if not checked and not report.count:
        raise _reject("file_no_rows", _("The file has a header but no residents."))
    return Checked(checked, report.errors, report.count, frozenset(positions))
