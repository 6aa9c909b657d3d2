"""Notifications: queued in the caller's transaction, rendered in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router
from django.utils import timezone

from linli.core.messages import MessageCatalogue
from linli.core.models import Community, Notification, RoleAssignment, User

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


# The columns notify_role writes, every concrete one but the id (a test keeps this complete).
NOTIFY_ROLE_COLUMNS = ("user_id", "community_id", "code", "data", "url", "created_at", "read_at")


def notify_role(
    *,
    role: str,
    community: Community,
    code: str,
    grid_id: int | None = None,
    data: dict[str, Any] | None = None,
    url: str = "",
) -> None:
    """Queue one notification for everyone holding `role` in the community — only those of
    `grid_id` when that grid has any — as one INSERT … SELECT: no user rows are loaded, and
    the hot path of an intake costs one statement instead of two."""
    NOTIFICATIONS.require(code)
    db = router.db_for_write(Notification)
    connection = connections[db]
    # Only table names (quoted) are formatted in; every value is a parameter.
    roles = connection.ops.quote_name(RoleAssignment._meta.db_table)
    table = connection.ops.quote_name(Notification._meta.db_table)
    holders = f"SELECT DISTINCT user_id FROM {roles} WHERE role = %s AND community_id = %s"  # noqa: S608
    params: list[Any] = [role, community.pk]
    if grid_id is not None:
        holders += (
            f" AND (grid_id = %s OR NOT EXISTS (SELECT 1 FROM {roles} WHERE role = %s"  # noqa: S608
            " AND community_id = %s AND grid_id = %s))"
        )
        params += [grid_id, role, community.pk, grid_id]
    sql = (
        f"INSERT INTO {table} ({', '.join(NOTIFY_ROLE_COLUMNS)}) "  # noqa: S608
        f"SELECT holders.user_id, %s, %s, %s, %s, %s, NULL FROM ({holders}) holders"
    )
    data_field: Any = Notification._meta.get_field("data")
    created_field: Any = Notification._meta.get_field("created_at")
    values = [
        community.pk,
        code,
        data_field.get_db_prep_save(data or {}, connection),
        url,
        created_field.get_db_prep_save(timezone.now(), connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])
