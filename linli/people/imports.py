"""The import's writes: the action that applies a checked residents' workbook in one
transaction, and the background job that checks a queued upload and calls it.

Reading and checking the file are reads and live in `people.importing`; nothing here runs
until every row has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from linli.core import audit, crypto, roles
from linli.core.access import require_role
from linli.core.bulk import adapt_datetime, date_adapter, insert_rows, insert_rows_returning
from linli.core.errors import AccessDenied
from linli.core.models import Community
from linli.core.transactions import atomic_action
from linli.people.checks import CheckedResident
from linli.people.importing import (
    COLUMNS,
    Checked,
    FileRejected,
    Progress,
    RowError,
    check_rows,
    read_rows,
)
from linli.people.models import (
    Building,
    Entrance,
    Household,
    ImportJob,
    ResidencyRecord,
    Resident,
    ResidentStatus,
)
from linli.people.workflow import IMPORT_FLOW

APPLY_BATCH = 2000
# An import creating or changing at least this many residents refreshes planner statistics.
ANALYZE_AFTER = 1000


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
_UPDATED_FIELDS = [*_COMPARED, "name_initials", "name_pinyin", "phone_tail", "moved_out_on"]


@dataclass
class _Batch:
    """What one batch of checked rows does to the registry."""

    new: list[CheckedResident] = field(default_factory=list)
    household_of: dict[str, int] = field(default_factory=dict)
    changed: list[Resident] = field(default_factory=list)
    # Residents at a new address (or back from away): resident id → household id.
    moved: dict[int, int] = field(default_factory=dict)
    retag: dict[int, tuple[int, ...]] = field(default_factory=dict)
    unchanged: int = 0
    tags_only: int = 0


class _Registered:
    """The community's residents as an import compares them, by the hash of their ID number.

    Only the file's columns are compared: a workbook without a phone column leaves every
    phone as it is. A resident registered as moved away who appears in the file is living
    here again."""

    def __init__(self, community: Community, present: frozenset[str]) -> None:
        self.present = present
        self.has_address = bool({"building", "address_note"} & present)
        self.rows: dict[str, tuple[Any, ...]] = {
            row[0]: row[1:]
            for row in Resident.objects.filter(community=community).values_list(
                "id_hash", "pk", *_COMPARED
            )
        }
        self.tags: dict[int, set[int]] = {}
        if "tags" in present:
            for resident_id, tag_id in Resident.tags.through.objects.filter(
                resident__community=community
            ).values_list("resident_id", "tag_id"):
                self.tags.setdefault(resident_id, set()).add(tag_id)

    def plan(self, batch: list[CheckedResident], places: _Places) -> _Batch:
        plan = _Batch()
        for r in batch:
            household_id = places.household_id(r)
            current = self.rows.get(r.id_hash)
            if current is None:
                plan.new.append(r)
                plan.household_of[r.id_hash] = household_id
            else:
                self._compare(plan, r, current, household_id)
        return plan

    def _compare(
        self, plan: _Batch, r: CheckedResident, current: tuple[Any, ...], household_id: int
    ) -> None:
        pk, *old = current
        before = dict(zip(_COMPARED, old, strict=True))
        after = self._after(before, r, household_id)
        tags_differ = "tags" in self.present and self.tags.get(pk, set()) != set(r.tag_ids)
        if after == before and not tags_differ:
            plan.unchanged += 1
            return
        if after != before:
            plan.changed.append(
                Resident(
                    pk=pk,
                    name_initials=r.initials,
                    name_pinyin=r.pinyin,
                    phone_tail=after["phone"][-4:],
                    moved_out_on=None,
                    **after,
                )
            )
            if (
                after["household_id"] != before["household_id"]
                or before["status"] != ResidentStatus.ACTIVE
            ):
                plan.moved[pk] = after["household_id"]
        else:
            plan.tags_only += 1
        if tags_differ:
            plan.retag[pk] = r.tag_ids

    def _after(
        self, before: dict[str, Any], r: CheckedResident, household_id: int
    ) -> dict[str, Any]:
        """The compared fields as the file has them (those it has no column for unchanged)."""
        after = {**before, "name": r.name, "status": ResidentStatus.ACTIVE}
        if "phone" in self.present:
            after["phone"] = r.phone
        if self.has_address:
            after["household_id"] = household_id
        if "relation" in self.present:
            after["relation_to_head"] = r.relation
        if "moved_in_on" in self.present:
            after["moved_in_on"] = r.moved_in_on
        return after


def _write_batch(community: Community, plan: _Batch, file_name: str) -> int:
    """Insert, update, move and retag as planned; the number of residents created."""
    tag_through = Resident.tags.through
    created = _insert_residents(community, plan.new, plan.household_of)
    links = [(created[r.id_hash], tag_id) for r in plan.new for tag_id in r.tag_ids]
    if plan.changed:
        Resident.objects.bulk_update(plan.changed, _UPDATED_FIELDS)
    if plan.moved:
        # A new address (or a return) is a move: close the old record, open a new one.
        today = timezone.localdate()
        ResidencyRecord.objects.filter(
            resident_id__in=plan.moved, moved_out_on__isnull=True
        ).update(moved_out_on=today, reason=f"import {file_name}"[:200])
        adapt = date_adapter()
        insert_rows(
            ResidencyRecord,
            ["resident", "household", "moved_in_on", "reason"],
            [(pk, household, adapt(today), "") for pk, household in plan.moved.items()],
        )
    if plan.retag:
        tag_through.objects.filter(resident_id__in=plan.retag).delete()
        links += [(pk, tag_id) for pk, tag_ids in plan.retag.items() for tag_id in tag_ids]
    insert_rows(tag_through, ["resident", "tag"], links)
    return len(created)


def import_residents(
    *,
    actor: Any,
    community: Community,
    rows: list[tuple[int, CheckedResident]],
    file_name: str,
    columns: frozenset[str] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import checked rows in one transaction: create the new, update the changed, leave the
    unchanged alone (so importing the same file again changes nothing). `columns`: those the
    file has (every column when None); `rows`: (line, resident) as `check_rows` gives them."""
    require_role(actor, community, *roles.REGISTRY_EDITORS)
    present = frozenset(COLUMNS) if columns is None else columns
    result = ImportResult()
    with atomic_action():
        registered = _Registered(community, present)
        places = _Places(community)
        done = 0
        for start in range(0, len(rows), APPLY_BATCH):
            batch = [r for _line, r in rows[start : start + APPLY_BATCH]]
            places.prepare(batch)
            plan = registered.plan(batch, places)
            result.created += _write_batch(community, plan, file_name)
            result.updated += len(plan.changed) + plan.tags_only
            result.unchanged += plan.unchanged
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
    with connection.cursor() as cursor:
        for model in (Resident, Household, Entrance, Building):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- the background job ---------------------------------------------------------------------


def _record(job: ImportJob, **fields: Any) -> None:
    """Progress on the job, visible at once to the page polling it (outside any transaction
    the import holds)."""
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _advance(job: ImportJob, step: str, **fields: Any) -> None:
    """The job's next status by its workflow, with what goes with it."""
    IMPORT_FLOW.check_status(job, step)
    _record(job, status=IMPORT_FLOW.step(step).target, **fields)


def _check_job(job: ImportJob, payload: bytes) -> Checked:
    data = crypto.decrypt_bytes(payload)
    return check_rows(
        read_rows(data, job.file_name),
        job.community,
        progress=lambda done, _total: _record(job, processed_rows=done),
    )


def _reject_job(job: ImportJob, checked: Checked) -> ImportJob:
    """A workbook with bad rows: keep the report, drop the workbook, import nothing."""
    total = len(checked.rows) + checked.error_count
    with atomic_action():
        _advance(
            job,
            "reject",
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


def run_import_job(job_id: int) -> ImportJob:
    """Check and import an ImportJob's workbook, recording progress on the job as it goes."""
    job = ImportJob.objects.select_related("community", "created_by").get(pk=job_id)
    payload = job.payload
    if payload is None or not IMPORT_FLOW.allows(job, "check"):
        return job  # finished already
    _advance(job, "check")
    try:
        checked = _check_job(job, bytes(payload))
        if checked.error_count:
            return _reject_job(job, checked)
        total = len(checked.rows)
        _advance(job, "import", total_rows=total, processed_rows=total)
        result = import_residents(
            actor=job.created_by,
            community=job.community,
            rows=checked.rows,
            file_name=job.file_name,
            columns=checked.columns,
        )
        _advance(
            job,
            "finish",
            result=result.as_dict(),
            payload=None,
            finished_at=timezone.now(),
        )
    except (FileRejected, AccessDenied) as exc:
        # The file as a whole is unreadable, or its uploader may no longer change the registry.
        _advance(
            job,
            "reject",
            errors=[RowError(0, "", exc.message).as_dict()],
            error_count=1,
            payload=None,
            finished_at=timezone.now(),
        )
    except Exception:
        _advance(job, "fail", payload=None, finished_at=timezone.now())
        raise
    return job
