"""Who sees which community: grants per community, subdistrict and organisation."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from linli.core import access
from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.core.errors import AccessDenied
from linli.core.models import Community, Role, RoleAssignment
from tests.world import World, make_user


def test_community_scope_per_role(world: World) -> None:
    c, other = world.community, world.other
    assert access.community_ids_for(world.users["staff"]) == {c.pk}
    assert access.community_ids_for(world.users["outsider"]) == {other.pk}
    assert access.community_ids_for(world.users["supervisor"]) == {c.pk}
    assert access.community_ids_for(world.users["liaison"]) == {c.pk}
    assert access.community_ids_for(world.users["admin"]) is None
    assert access.community_ids_for(world.users["resident"], Role.STAFF) == set()


def test_visible_to(world: World) -> None:
    assert list(Community.objects.visible_to(world.users["staff"])) == [world.community]
    assert Community.objects.visible_to(world.users["admin"]).count() == 2


def test_roles_in(world: World) -> None:
    assert access.roles_in(world.users["supervisor"], world.community) == {Role.SUPERVISOR}
    assert access.roles_in(world.users["liaison"], world.community) == {Role.LIAISON}
    assert access.roles_in(world.users["staff"], world.other) == set()


def test_a_leader_grants_staff_roles_in_their_community_only(world: World) -> None:
    newcomer = make_user("newcomer")
    grant_role(
        actor=world.users["leader"], user=newcomer, role=Role.STAFF, community=world.community
    )
    assert access.has_role(newcomer, world.community, Role.STAFF)
    with pytest.raises(AccessDenied):
        grant_role(
            actor=world.users["leader"], user=newcomer, role=Role.STAFF, community=world.other
        )
    with pytest.raises(AccessDenied):
        grant_role(
            actor=world.users["leader"], user=newcomer, role=Role.LEADER, community=world.community
        )


def test_the_database_refuses_a_role_without_its_scope(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=world.users["staff"], role=Role.SUPERVISOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=world.users["staff"], role=Role.STAFF)


def test_granting_is_audited(world: World) -> None:
    from linli.core.models import AuditEvent

    newcomer = make_user("newcomer")
    before = AuditEvent.objects.count()
    grant_role(actor=SYSTEM, user=newcomer, role=Role.TELLER, community=world.community)
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-pk").first().code == "core.role_granted"  # type: ignore[union-attr]
