"""Every state change of the registry: register, update, move out, reveal, start an import,
link an account. The import's write step is `people.imports.import_residents`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import audit, crypto, roles
from linli.core.access import require_role
from linli.core.actions import assign_role, check_can_grant
from linli.core.errors import DomainError
from linli.core.models import Community, Role
from linli.core.transactions import atomic_action
from linli.people.checks import (
    CheckedResident,
    ResidentInput,
    check_resident,
    grid_lookup,
    tag_lookup,
)
from linli.people.events import FIELD_LABELS
from linli.people.models import (
    Building,
    Entrance,
    Household,
    ImportJob,
    ResidencyRecord,
    Resident,
    ResidentStatus,
)
from linli.people.tasks import run_import_task
from linli.people.workflow import RESIDENT_FLOW

REVEALABLE_FIELDS = FIELD_LABELS


def locate_household(community: Community, checked: CheckedResident) -> Household:
    """The household at the resident's address, created with its building and entrance."""
    if checked.address is None:
        household, _created = Household.objects.get_or_create(
            community=community, entrance=None, address_note=checked.address_note
        )
        return household
    b_number, e_number, room = checked.address
    building, created = Building.objects.get_or_create(
        community=community, number=b_number, defaults={"grid_id": checked.grid_id}
    )
    if not created and checked.grid_id and building.grid_id != checked.grid_id:
        building.grid_id = checked.grid_id
        building.save(update_fields=["grid"])
    entrance, _created = Entrance.objects.get_or_create(building=building, number=e_number)
    household, _created = Household.objects.get_or_create(
        community=community, entrance=entrance, room=room
    )
    return household


def _duplicate_error(community: Community, id_hash: str) -> DomainError | None:
    existing = Resident.objects.filter(community=community, id_hash=id_hash).first()
    if existing is None:
        return None
    return DomainError(
        "duplicate_resident",
        _("A resident with this ID number is already registered: %(name)s (%(address)s)."),
        name=existing.name,
        address=existing.household.short_address if existing.household else "",
    )


def register_resident(*, actor: Any, community: Community, data: ResidentInput) -> Resident:
    """Register a resident at an address, creating the household if it is new."""
    require_role(actor, community, *roles.REGISTRY_EDITORS)
    checked = check_resident(data, community, tags=tag_lookup(), grids=grid_lookup(community))
    duplicate = _duplicate_error(community, checked.id_hash)
    if duplicate is not None:
        raise duplicate
    try:
        with atomic_action(savepoint=True):
            household = locate_household(community, checked)
            resident = Resident.objects.create(
                community=community,
                household=household,
                relation_to_head=checked.relation,
                name=checked.name,
                name_initials=checked.initials,
                name_pinyin=checked.pinyin,
                gender=checked.gender,
                birth_date=checked.birth_date,
                id_number=checked.id_number,
                id_hash=checked.id_hash,
                phone=checked.phone,
                phone_tail=checked.phone[-4:],
                health_notes=checked.health_notes,
                moved_in_on=checked.moved_in_on,
            )
            resident.tags.set(checked.tag_ids)
            ResidencyRecord.objects.create(
                resident=resident, household=household, moved_in_on=checked.moved_in_on
            )
            audit.record(
                actor=actor,
                code="people.resident_registered",
                community=community,
                target=resident,
                data={"name": resident.name, "address": household.short_address},
            )
    except IntegrityError:
        # Two clerks registering the same person at once: the unique constraint decides.
        duplicate = _duplicate_error(community, checked.id_hash)
        if duplicate is not None:
            raise duplicate from None
        raise
    return resident


def update_resident(*, actor: Any, resident: Resident, data: ResidentInput) -> Resident:
    """Correct a resident's registered details; an address change is recorded as a move."""
    community = resident.community
    RESIDENT_FLOW.check(actor, resident, "update")
    checked = check_resident(data, community, tags=tag_lookup(), grids=grid_lookup(community))
    if checked.id_hash != resident.id_hash:
        duplicate = _duplicate_error(community, checked.id_hash)
        if duplicate is not None:
            raise duplicate
    with atomic_action():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        household = locate_household(community, checked)
        changes: list[str] = []
        new_values: dict[str, Any] = {
            "name": checked.name,
            "id_number": checked.id_number,
            "phone": checked.phone,
            "relation_to_head": checked.relation,
            "health_notes": checked.health_notes,
            "moved_in_on": checked.moved_in_on,
        }
        for attr, value in new_values.items():
            if getattr(resident, attr) != value:
                changes.append(attr)
                setattr(resident, attr, value)
        resident.id_hash = checked.id_hash
        resident.birth_date, resident.gender = checked.birth_date, checked.gender
        resident.name_initials, resident.name_pinyin = checked.initials, checked.pinyin
        resident.phone_tail = checked.phone[-4:]
        moved = resident.household_id != household.pk
        if moved:
            _close_residency(resident, timezone.localdate(), "address corrected")
            resident.household = household
            ResidencyRecord.objects.create(
                resident=resident, household=household, moved_in_on=timezone.localdate()
            )
            changes.append("household")
        resident.save()
        if set(resident.tags.values_list("pk", flat=True)) != set(checked.tag_ids):
            resident.tags.set(checked.tag_ids)
            changes.append("tags")
        if changes:
            audit.record(
                actor=actor,
                code="people.resident_updated",
                community=community,
                target=resident,
                # Field names only: the audit trail never holds the sensitive values themselves.
                data={"name": resident.name, "fields": ", ".join(changes)},
            )
    return resident


def _close_residency(resident: Resident, on: dt.date, reason: str) -> None:
    ResidencyRecord.objects.filter(resident=resident, moved_out_on__isnull=True).update(
        moved_out_on=on, reason=reason
    )


def move_out_resident(
    *, actor: Any, resident: Resident, on: dt.date, reason: str, deceased: bool = False
) -> Resident:
    """Record that a resident left (or died); the record and its history stay."""
    RESIDENT_FLOW.check(actor, resident, "move_out")
    if on > timezone.localdate():
        raise DomainError("date_future", _("The date is in the future."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    with atomic_action():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        RESIDENT_FLOW.check_status(resident, "move_out")
        _close_residency(resident, on, reason.strip())
        resident.status = ResidentStatus.DECEASED if deceased else ResidentStatus.MOVED_OUT
        resident.moved_out_on = on
        resident.save(update_fields=["status", "moved_out_on", "updated_at"])
        audit.record(
            actor=actor,
            code="people.resident_moved_out",
            community=resident.community,
            target=resident,
            data={"name": resident.name, "date": on.isoformat(), "reason": reason.strip()},
        )
    return resident


def reveal_resident_field(*, actor: Any, resident: Resident, field_name: str) -> str:
    """Return a sensitive field in full; every reveal is an audit event."""
    if field_name not in REVEALABLE_FIELDS:
        raise DomainError("field_unknown", _("This field cannot be revealed."))
    own = resident.user_id is not None and resident.user_id == getattr(actor, "pk", None)
    if not own:
        RESIDENT_FLOW.check(actor, resident, "reveal")
    with atomic_action():
        audit.record(
            actor=actor,
            code="people.resident_field_revealed",
            community=resident.community,
            target=resident,
            data={"name": resident.name, "field": field_name},
        )
    return str(getattr(resident, field_name))


def start_import(
    *, actor: Any, community: Community, file_name: str, data: bytes, idempotency_key: str
) -> ImportJob:
    """Queue an uploaded workbook for checking and import; a repeated submission is one job."""
    require_role(actor, community, *roles.REGISTRY_EDITORS)
    existing = ImportJob.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.community_id != community.pk or existing.created_by_id != actor.pk:
            raise DomainError("key_reused", _("This upload form was already used; reload it."))
        return existing
    try:
        with atomic_action(savepoint=True):
            job = ImportJob.objects.create(
                community=community,
                created_by=actor,
                file_name=file_name[:200],
                payload=crypto.encrypt_bytes(data),
                idempotency_key=idempotency_key,
            )
            transaction.on_commit(lambda: run_import_task.enqueue(job.pk))
    except IntegrityError:
        # The same form submitted twice at the same moment: the first one won.
        return ImportJob.objects.get(idempotency_key=idempotency_key)
    return job


def link_resident_account(*, actor: Any, resident: Resident, user: Any) -> Resident:
    """Let a registered resident log in as themselves (their own household only)."""
    check_can_grant(actor, Role.RESIDENT, resident.community)
    if Resident.objects.filter(user=user).exclude(pk=resident.pk).exists():
        raise DomainError("account_linked", _("This account already belongs to another resident."))
    with atomic_action():
        Resident.objects.filter(pk=resident.pk).update(user=user)
        resident.user = user
        audit.record(
            actor=actor,
            code="people.account_linked",
            community=resident.community,
            target=resident,
            data={"name": resident.name, "user": str(user)},
        )
        assign_role(actor=actor, user=user, role=Role.RESIDENT, community=resident.community)
    return resident
