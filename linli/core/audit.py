"""The audit trail: an append-only, hash-chained log written by every action.

Messages are rendered when read, from the event code and its data, in the reader's language.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.messages import MessageCatalogue
from linli.core.models import AuditEvent, AuditHead, Community

GENESIS = "0" * 64
EVENTS = MessageCatalogue("audit event")
register_event = EVENTS.register
render_message = EVENTS.render


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "community": event.community_id,
        "code": event.code,
        "target": [event.target_type, event.target_id],
        "data": event.data,
        "prev": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    *,
    actor: Any,
    code: str,
    community: Community | None = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    EVENTS.require(code)
    # No savepoint: a failure here must roll back the caller's whole change anyway.
    with transaction.atomic(savepoint=False):
        prev_hash = _lock_head()
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            community=community,
            code=code,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            data=json.loads(json.dumps(data or {}, default=str)),
            prev_hash=prev_hash or GENESIS,
            hash="",
        )
        # The row's position is fixed by the previous hash it carries, not by its id.
        event.hash = compute_hash(event)
        _insert(event)
        with transaction.get_connection().cursor() as cursor:
            cursor.execute(
                f"UPDATE {_HEAD} SET last_event_id = %s, last_hash = %s WHERE id = 1",  # noqa: S608
                [event.pk, event.hash],
            )
    return event


# Every action appends here, so the head is read and moved with plain statements rather than
# through the ORM (the table name is the only thing formatted in).
_HEAD = AuditHead._meta.db_table


_FIELDS = (
    "at",
    "actor",
    "community",
    "code",
    "target_type",
    "target_id",
    "data",
    "prev_hash",
    "hash",
)


def _insert(event: AuditEvent) -> None:
    """INSERT the new event and take its id: one statement, values prepared by the fields."""
    connection = transaction.get_connection()
    fields: list[Any] = [AuditEvent._meta.get_field(name) for name in _FIELDS]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = [field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields]
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    returning = connection.features.can_return_columns_from_insert  # SQLite ≥ 3.35
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql + (" RETURNING id" if returning else ""), values)
        event.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    event._state.adding = False
    event._state.db = connection.alias


def _lock_head() -> str:
    """Lock the chain's head (appends queue behind it) and return the newest hash."""
    connection = transaction.get_connection()
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_hash FROM {_HEAD} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    if row is not None:
        return str(row[0])
    AuditHead.objects.get_or_create(pk=1)  # the first event ever
    return _lock_head()


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_event_id: int | None = None
    problem: str = ""


def verify(chunk_size: int = 2000) -> VerifyResult:
    """Walk the chain in order; name the first event that was edited, deleted or reordered."""
    # The head first: events appended while the walk runs are not part of this check.
    head = AuditHead.objects.filter(pk=1).first()
    head_id, head_hash = (head.last_event_id, head.last_hash) if head else (0, "")
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    events = AuditEvent.objects.filter(pk__lte=head_id).order_by("pk")
    for event in events.iterator(chunk_size=chunk_size):
        if event.prev_hash != expected_prev:
            return VerifyResult(
                False,
                checked,
                event.pk,
                _(
                    "Event #%(id)s does not follow the event before it: an earlier event "
                    "was deleted or the order was changed."
                )
                % {"id": event.pk},
            )
        if compute_hash(event) != event.hash:
            return VerifyResult(
                False,
                checked,
                event.pk,
                _("Event #%(id)s was edited after it was written.") % {"id": event.pk},
            )
        expected_prev = event.hash
        last_id = event.pk
        checked += 1
    if (head_hash or GENESIS) != expected_prev or head_id != last_id:
        return VerifyResult(
            False,
            checked,
            head_id or None,
            _("The newest events, up to #%(id)s, were deleted.") % {"id": head_id},
        )
    return VerifyResult(True, checked)
