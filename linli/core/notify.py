"""Notifications: queued in the caller's transaction, rendered in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from linli.core.messages import MessageCatalogue
from linli.core.models import Community, Notification, User

NOTIFICATIONS = MessageCatalogue("notification")
register_notification = NOTIFICATIONS.register
render = NOTIFICATIONS.render


def notify(
    *,
    users: Iterable[User | int],
    code: str,
    community: Community | None = None,
    data: dict[str, Any] | None = None,
    url: str = "",
) -> None:
    """Queue one notification per user (given as a user or an id); it commits or rolls back
    with the change it reports."""
    NOTIFICATIONS.require(code)
    ids = {user if isinstance(user, int) else user.pk for user in users}
    Notification.objects.bulk_create(
        Notification(user_id=pk, community=community, code=code, data=data or {}, url=url)
        for pk in sorted(ids)
    )
