"""Checking a submission before it becomes an appeal: who submits it, what and where it is,
its deadlines. Reads and refusals only; `actions.submit_appeal` writes the appeal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.appeals.deadlines import contact_deadline, feedback_deadline
from linli.appeals.models import STAFF_CHANNELS, Category, Channel, Urgency
from linli.core import roles
from linli.core.access import require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community
from linli.people.models import Household, Resident
from linli.people.validation import check_phone

MAX_TEXT = 4000


@dataclass(frozen=True)
class Where:
    """Where the matter is: a room of the registry (and its grid) or a described place."""

    household_id: int | None = None
    grid_id: int | None = None


@dataclass(frozen=True)
class Who:
    """Who raised it and who entered it."""

    submitter_id: int | None
    entered_by: Any
    resident_id: int | None
    home: Where


def who_submits(actor: Any, community: Community, channel: str, resident: Resident | None) -> Who:
    """Staff enter appeals from the office channels and 12345; online, the actor must be an
    active resident of the community (ids only: the hot path loads no model it does not
    write)."""
    if channel not in Channel.values:
        raise DomainError("channel_unknown", _("Unknown channel."))
    resident_id = resident.pk if resident is not None else None
    submitter_id = resident.user_id if resident is not None else None
    if channel in STAFF_CHANNELS or channel == Channel.HOTLINE:
        require_role(actor, community, *roles.APPEAL_HANDLERS)
        return Who(submitter_id, actor, resident_id, Where())
    if channel != Channel.ONLINE:
        return Who(submitter_id, None, resident_id, Where())
    row = (
        Resident.objects.filter(
            user_id=getattr(actor, "pk", None) or 0, community=community, status="active"
        )
        .order_by()
        .values_list("pk", "household_id", "household__entrance__building__grid_id")
        .first()
    )
    if row is None:
        raise AccessDenied(
            "access_denied",
            _("Only residents of this community submit here; staff enter appeals for them."),
        )
    return Who(actor.pk, None, row[0], Where(row[1], row[2]))


def checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError("text_missing", _("Please say what the matter is."))
    if len(text) > MAX_TEXT:
        raise DomainError(
            "text_long", _("Please keep it under %(limit)s characters."), limit=MAX_TEXT
        )
    return text


def checked_urgency(community: Community, category: Category, urgency: str) -> str:
    """The urgency given, or the category's usual one; the category must exist here."""
    if not category.active or category.community_id not in (None, community.pk):
        raise DomainError("category_unknown", _("This category does not exist here."))
    urgency = urgency or category.default_urgency
    if urgency not in Urgency.values:
        raise DomainError("urgency_unknown", _("Unknown urgency."))
    return urgency


def checked_phone(channel: str, contact_name: str, contact_phone: str) -> str:
    """The contact phone, normalised; an anonymous appeal needs a name and a phone."""
    phone = check_phone(contact_phone) if contact_phone.strip() else ""
    if channel == Channel.ANONYMOUS and not (contact_name.strip() and phone):
        raise DomainError(
            "contact_missing",
            _("Please leave a name and phone number so that the community can reply."),
        )
    return phone


def where_it_is(
    community: Community,
    channel: str,
    who: Who,
    resident: Resident | None,
    room: tuple[str, str, str],
    place: str,
) -> Where:
    """The room given (building, entrance, room), else the resident's own home, else a
    described place, which is then required."""
    household = None
    if any(room):
        building, entrance, number = (part.strip() for part in room)
        household = (
            Household.objects.filter(
                community=community,
                entrance__building__number=building,
                entrance__number=entrance,
                room=number,
            )
            .select_related("entrance__building")
            .first()
        )
        if household is None:
            raise DomainError(
                "location_unknown",
                _("There is no room %(address)s in this community; describe the place instead."),
                address="-".join(room),
            )
    elif channel != Channel.ONLINE and resident is not None and resident.household_id:
        household = resident.household
    where = who.home
    if household is not None:
        building_grid = (
            household.entrance.building.grid_id  # type: ignore[union-attr]
            if household.entrance_id
            else None
        )
        where = Where(household.pk, building_grid)
    if where.household_id is None and not place.strip():
        raise DomainError("location_missing", _("Please say where it is."))
    return where


def new_appeal_fields(
    *,
    actor: Any,
    community: Community,
    channel: str,
    category: Category,
    text: str,
    urgency: str,
    resident: Resident | None,
    contact_name: str,
    contact_phone: str,
    room: tuple[str, str, str],
    place: str,
) -> dict[str, Any]:
    """Check a submission in the order a person fixes it (channel and who, what, where) and
    return the new appeal's fields but its number, its key and what is passed through."""
    who = who_submits(actor, community, channel, resident)
    text = checked_text(text)
    urgency = checked_urgency(community, category, urgency)
    phone = checked_phone(channel, contact_name, contact_phone)
    where = where_it_is(community, channel, who, resident, room, place)
    now = timezone.now()
    contact = contact_deadline(now)
    feedback = feedback_deadline(now, urgency, category)
    return {
        "community": community,
        "channel": channel,
        "submitter_id": who.submitter_id,
        "entered_by": who.entered_by,
        "resident_id": who.resident_id,
        "contact_name": contact_name.strip()[:50],
        "contact_phone": phone,
        "category": category,
        "urgency": urgency,
        "text": text,
        "household_id": where.household_id,
        "place": place.strip()[:200],
        "grid_id": where.grid_id,
        "created_at": now,
        "contact_due_at": contact.at,
        "feedback_due_at": feedback.at,
        "deadline_estimated": contact.estimated or feedback.estimated,
    }
