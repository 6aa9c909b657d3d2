"""Checking what a form, an import row or an API call says about a resident, before anything
is written: the same rules for the registry's forms and for every row of an import."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import crypto
from linli.core.errors import DomainError
from linli.core.models import Community, Grid
from linli.people import validation
from linli.people.models import Relation, Tag

# Relation.values builds a new list on every access; imports check it 100,000 times.
_RELATION_VALUES = frozenset(Relation.values)


@dataclass
class ResidentInput:
    """What a form, an import row or an API call says about one resident."""

    name: str
    id_number: str
    phone: str = ""
    building: str = ""
    entrance: str = ""
    room: str = ""
    address_note: str = ""
    relation: str = Relation.HEAD
    tags: list[str] = field(default_factory=list)
    grid: str = ""
    moved_in_on: dt.date | None = None
    health_notes: str = ""


@dataclass(slots=True)
class CheckedResident:
    """A ResidentInput after validation, normalised and ready to store."""

    name: str
    initials: str
    pinyin: str
    id_number: str
    id_hash: str
    birth_date: dt.date
    gender: str
    phone: str
    address: tuple[str, str, str] | None
    address_note: str
    relation: str
    tag_ids: tuple[int, ...]
    grid_id: int | None
    moved_in_on: dt.date | None
    health_notes: str


def _check_address(data: ResidentInput) -> tuple[tuple[str, str, str] | None, str]:
    """(building, entrance, room) or None, and the described address."""
    building, entrance, room = (s.strip() for s in (data.building, data.entrance, data.room))
    note = data.address_note.strip()
    for value, limit, code in (
        (building, 20, "address_building_long"),
        (entrance, 20, "address_entrance_long"),
        (room, 20, "address_room_long"),
        (note, 200, "address_note_long"),
    ):
        if len(value) > limit:
            raise DomainError(
                code,
                _("This part of the address is longer than %(limit)s characters."),
                limit=limit,
            )
    address: tuple[str, str, str] | None = None
    if building or entrance or room:
        if not (building and entrance and room):
            raise DomainError(
                "address_incomplete",
                _("Give building, entrance and room together, or a described address."),
            )
        address = (sys.intern(building), sys.intern(entrance), sys.intern(room))
    elif not note:
        raise DomainError("address_missing", _("The address is missing."))
    return address, note


def check_resident(
    data: ResidentInput,
    community: Community,
    *,
    tags: dict[str, int],
    grids: dict[str, int],
    today: dt.date | None = None,
) -> CheckedResident:
    """Validate one resident; raises DomainError with a code naming the field at fault."""
    name = validation.check_name(data.name)
    info = validation.check_id_number(data.id_number)
    phone = validation.check_phone(data.phone)
    address, note = _check_address(data)
    if data.relation not in _RELATION_VALUES:
        raise DomainError("relation_invalid", _("Unknown relation to the head of household."))
    tag_ids = set()
    for tag in data.tags:
        if tag not in tags:
            raise DomainError("tag_unknown", _("Unknown tag “%(tag)s”."), tag=tag)
        tag_ids.add(tags[tag])
    grid_id = None
    if data.grid:
        if data.grid not in grids:
            raise DomainError("grid_unknown", _("Unknown grid “%(grid)s”."), grid=data.grid)
        grid_id = grids[data.grid]
    if data.moved_in_on and data.moved_in_on > (today or timezone.localdate()):
        raise DomainError("moved_in_future", _("The moving-in date is in the future."))
    initials, pinyin = validation.pinyin_keys(name)
    return CheckedResident(
        name=name,
        initials=initials,
        pinyin=pinyin,
        id_number=info.number,
        id_hash=crypto.lookup_hash(info.number),
        birth_date=info.birth_date,
        gender=info.gender,
        phone=phone,
        address=address,
        address_note=note if address is None else "",
        relation=data.relation,
        tag_ids=tuple(sorted(tag_ids)),
        grid_id=grid_id,
        moved_in_on=data.moved_in_on,
        health_notes=data.health_notes.strip(),
    )


def tag_lookup() -> dict[str, int]:
    """Tags by code, Chinese name and English name."""
    lookup: dict[str, int] = {}
    for pk, code, name, name_en in Tag.objects.values_list("pk", "code", "name", "name_en"):
        lookup[code] = lookup[name] = pk
        if name_en:
            lookup[name_en] = pk
    return lookup


def grid_lookup(community: Community) -> dict[str, int]:
    return dict(Grid.objects.filter(community=community).values_list("name", "pk"))
