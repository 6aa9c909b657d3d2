"""Notifications: queued in the caller's transaction, rendered in the reader's language."""

from __future__ import annotations

from typing import Any

from linli.core.messages import MessageCatalogue
from linli.core.models import Community, Notification, User

NOTIFICATIONS = MessageCatalogue("notification")
register_notification = NOTIFICATIONS.register
render = NOTIFICATIONS.render


def notify(
    *,
    users: list[User],
    code: str,
    community: Community | None = None,
    data: dict[str, Any] | None = None,
    url: str = "",
) -> None:
    """Queue one notification per user; it commits or rolls back with the change it reports."""
    NOTIFICATIONS.require(code)
    Notification.objects.bulk_create(
        Notification(user=user, community=community, code=code, data=data or {}, url=url)
        for user in {u.pk: u for u in users}.values()
    )
