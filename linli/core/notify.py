"""Notifications: queued in the caller's transaction, rendered in the reader's language."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from linli.core.models import Community, Notification, User

_MESSAGES: dict[str, Promise | str] = {}


def register_notification(code: str, message: Promise | str) -> None:
    """Declare a notification code and its text with named placeholders."""
    _MESSAGES[code] = message


def render(code: str, data: dict[str, Any]) -> str:
    message = _MESSAGES.get(code)
    return code if message is None else str(message) % defaultdict(str, data)


def notify(
    *,
    users: list[User],
    code: str,
    community: Community | None = None,
    data: dict[str, Any] | None = None,
    url: str = "",
) -> None:
    """Queue one notification per user; it commits or rolls back with the change it reports."""
    if code not in _MESSAGES:
        raise ValueError(f"unregistered notification {code!r}")
    Notification.objects.bulk_create(
        Notification(user=user, community=community, code=code, data=data or {}, url=url)
        for user in {u.pk: u for u in users}.values()
    )


def mark_all_read(*, actor: User, ids: list[int]) -> None:
    """Mark the actor's own notifications as read (others' ids are ignored)."""
    with transaction.atomic():
        Notification.objects.filter(user=actor, pk__in=ids, read_at__isnull=True).update(
            read_at=timezone.now()
        )
