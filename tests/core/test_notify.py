"""Notifying everyone in a role with one statement: the grid's workers when the grid has any,
else every holder; each person once; nothing for another community's staff."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.core.models import Grid, Notification
from linli.core.notify import notify_role
from tests.world import World, make_user


def recipients(code: str) -> set[str]:
    return set(Notification.objects.filter(code=code).values_list("user__username", flat=True))


def test_the_grids_workers_else_every_staff_member(world: World) -> None:
    # world: "staff" works the first grid; another staff member has no grid; one works
    # elsewhere; one staff member holds two assignments here.
    plain = make_user("plain")
    grant_role(actor=SYSTEM, user=plain, role="staff", community=world.community)
    elsewhere = make_user("elsewhere")
    grant_role(actor=SYSTEM, user=elsewhere, role="staff", community=world.other)
    second_grid = Grid.objects.create(community=world.community, name="第二网格")
    grant_role(
        actor=SYSTEM,
        user=world.users["staff"],
        role="staff",
        community=world.community,
        grid=second_grid,
    )
    data = {"number": "X-1", "category": "路灯"}
    with CaptureQueriesContext(connection) as queries:
        notify_role(
            role="staff",
            community=world.community,
            grid_id=world.grid.pk,
            code="appeals.new",
            data=data,
            url="/x/",
        )
    assert len(queries) == 1
    assert recipients("appeals.new") == {world.users["staff"].username}
    sent = Notification.objects.get(code="appeals.new")
    assert (sent.data, sent.url, sent.community_id) == (data, "/x/", world.community.pk)
    assert sent.created_at is not None
    assert sent.read_at is None

    Notification.objects.all().delete()
    empty_grid = Grid.objects.create(community=world.community, name="第三网格")
    notify_role(role="staff", community=world.community, grid_id=empty_grid.pk, code="appeals.new")
    assert recipients("appeals.new") == {world.users["staff"].username, "plain"}
    assert Notification.objects.count() == 2  # each person once

    Notification.objects.all().delete()
    notify_role(role="staff", community=world.community, code="appeals.new")
    assert recipients("appeals.new") == {world.users["staff"].username, "plain"}


def test_the_plain_inserts_write_every_column() -> None:
    """notify_role and the audit chain insert with plain statements; a column added to either
    model must be added there too (a Python-side default would otherwise be skipped)."""
    from linli.core import audit
    from linli.core.models import AuditEvent
    from linli.core.notify import NOTIFY_ROLE_COLUMNS

    def columns(model: type) -> set[str]:
        return {f.column for f in model._meta.concrete_fields if not f.primary_key}

    assert set(NOTIFY_ROLE_COLUMNS) == columns(Notification)
    assert {AuditEvent._meta.get_field(name).column for name in audit._FIELDS} == columns(
        AuditEvent
    )
