"""An appeal comes in: from a resident, from staff for a resident, from the 12345 hotline."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from linli.appeals import rates
from linli.appeals.actions._base import _step, _url
from linli.appeals.intake import new_appeal_fields
from linli.appeals.models import (
    Appeal,
    AppealPhoto,
    Category,
)
from linli.appeals.photos import CleanPhoto, PhotoInput, clean_photos
from linli.core.errors import DomainError
from linli.core.models import Community, Role
from linli.core.notify import notify_role
from linli.core.transactions import atomic_action, in_caller_transaction
from linli.people.models import Resident

log = logging.getLogger(__name__)
NUMBER_ATTEMPTS = 5


def submit_appeal(
    *,
    actor: Any,
    community: Community,
    channel: str,
    category: Category,
    text: str,
    idempotency_key: str,
    urgency: str = "",
    resident: Resident | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    building: str = "",
    entrance: str = "",
    room: str = "",
    place: str = "",
    allow_public: bool = False,
    external_number: str = "",
    photos: list[PhotoInput] | None = None,
) -> Appeal:
    """Receive an appeal from any channel; the same idempotency key is always one appeal.

    A repeated request (double click, reload, retry) is recognised by the key's unique
    constraint when it is inserted, so the common case costs no look-up."""
    fields = new_appeal_fields(
        actor=actor,
        community=community,
        channel=channel,
        category=category,
        text=text,
        urgency=urgency,
        resident=resident,
        contact_name=contact_name,
        contact_phone=contact_phone,
        room=(building, entrance, room),
        place=place,
    )
    cleaned_photos = clean_photos(photos or [])
    fields.update(
        allow_public=allow_public,
        external_number=external_number.strip(),
        idempotency_key=idempotency_key,
    )
    # The number is short enough to read out on the phone, so two appeals of a busy day may
    # draw the same one: a collision is recognised and drawn again.
    for _attempt in range(NUMBER_ATTEMPTS):
        day = fields["created_at"].strftime("%Y%m%d")
        number = f"{community.code.upper()}-{day}-{uuid.uuid4().hex[:6].upper()}"
        try:
            if not in_caller_transaction():
                return _create_appeal(actor, number, fields, cleaned_photos)
            # Inside a meeting's or a visit's transaction a number drawn twice must not doom
            # the caller: the attempt gets a savepoint of its own, and the number is drawn again.
            with transaction.atomic():
                return _create_appeal(actor, number, fields, cleaned_photos)
        except IntegrityError:
            found = _submitted_before(community, fields)
            if found is not None:
                return found
            if not Appeal.objects.filter(number=number).exists():
                raise  # another constraint: not ours to paper over
            log.info("appeal number %s drawn twice; drawing again", number)
    raise DomainError("busy", _("linli is busy; please send it again."))


def _create_appeal(
    actor: Any, number: str, fields: dict[str, Any], photos: list[CleanPhoto]
) -> Appeal:
    """The new appeal, its photos, its first timeline line and the staff told, together."""
    with atomic_action():
        appeal = Appeal.objects.create(number=number, **fields)
        rates.record_change(appeal, before={})
        for photo in photos:
            AppealPhoto.objects.create(
                appeal=appeal,
                image=photo.content,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
        _step(appeal, actor, "submitted", data={"channel": appeal.channel})
        # The grid's workers if the grid has any, else every staff member.
        notify_role(
            role=Role.STAFF,
            community=appeal.community,
            grid_id=appeal.grid_id,
            code="appeals.new",
            data={"number": appeal.number, "category": appeal.category.name},
            url=_url(appeal),
        )
    return appeal


def _submitted_before(community: Community, fields: dict[str, Any]) -> Appeal | None:
    """After a unique constraint refused the new appeal: the appeal this same form already
    made, or the refusal; None when only the number was drawn twice."""
    key, external_number = fields["idempotency_key"], fields["external_number"]
    found = Appeal.objects.filter(idempotency_key=key, community=community).first()
    if found is not None:
        return found
    if (
        external_number
        and Appeal.objects.filter(community=community, external_number=external_number).exists()
    ):
        raise DomainError(
            "external_duplicate",
            _("Work order %(number)s was already received."),
            number=external_number,
        ) from None
    if Appeal.objects.filter(idempotency_key=key).exists():
        raise DomainError(
            "key_reused", _("This form was already used; please open it again.")
        ) from None
    return None
