"""The admin is for configuration, in Chinese; meaningful changes still go through actions."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from linli.core.models import AuditEvent, RoleAssignment
from tests.world import World, make_user


def test_the_admin_speaks_chinese(client: Client, world: World) -> None:
    world.users["admin"].is_staff = world.users["admin"].is_superuser = True
    world.users["admin"].save()
    client.force_login(world.users["admin"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "邻里 系统配置" in page
    for name in (
        "core_community",
        "core_roleassignment",
        "core_calendaroverride",
        "people_tag",
        "core_auditevent",
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_granting_a_role_in_the_admin_is_audited(client: Client, world: World) -> None:
    admin_user = world.users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    newcomer = make_user("newcomer")
    response = client.post(
        reverse("admin:core_roleassignment_add"),
        {
            "user": newcomer.pk,
            "role": "staff",
            "community": world.community.pk,
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=newcomer, role="staff").count() == 1
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert (event.code, event.actor) == ("core.role_granted", admin_user)


def test_audit_events_cannot_be_changed_in_the_admin(client: Client, world: World) -> None:
    admin_user = world.users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    event = AuditEvent.objects.first()
    assert event is not None
    url = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_revoking_a_role_in_the_admin_is_audited(client: Client, world: World) -> None:
    admin_user = world.users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    assignment = RoleAssignment.objects.get(user=world.users["teller"])
    response = client.post(
        reverse("admin:core_roleassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert (event.code, event.actor) == ("core.role_revoked", admin_user)
