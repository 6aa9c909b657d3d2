"""A resident lives here, moves away or dies; who may take each step, and the record's page
shows only the buttons a person may press."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from linli.people.actions import move_out_resident
from linli.people.models import ResidencyRecord, Resident
from tests.world import World


def test_moving_out_twice_is_refused_and_changes_nothing(world: World) -> None:
    zhang = world.residents["zhang"]
    move_out_resident(
        actor=world.users["staff"], resident=zhang, on=dt.date(2026, 1, 1), reason="搬走"
    )
    history = list(ResidencyRecord.objects.filter(resident=zhang).values())
    with pytest.raises(DomainError) as again:
        move_out_resident(
            actor=world.users["staff"], resident=zhang, on=dt.date(2026, 1, 2), reason="又搬"
        )
    assert again.value.code == "not_active"
    assert Resident.objects.get(pk=zhang.pk).moved_out_on == dt.date(2026, 1, 1)
    assert list(ResidencyRecord.objects.filter(resident=zhang).values()) == history


@pytest.mark.parametrize("role", ["supervisor", "welfare_reviewer", "resident"])
def test_only_registry_editors_move_a_resident_out(world: World, role: str) -> None:
    zhang = world.residents["zhang"]
    with pytest.raises(AccessDenied) as refused:
        move_out_resident(
            actor=world.users[role], resident=zhang, on=dt.date(2026, 1, 1), reason="搬走"
        )
    assert refused.value.code == "access_denied"
    assert Resident.objects.get(pk=zhang.pk).status == "active"
    assert not AuditEvent.objects.filter(code="people.resident_moved_out").exists()


def test_the_record_shows_each_person_their_buttons(client: Client, world: World) -> None:
    zhang = world.residents["zhang"]
    page = reverse("people:resident", args=["xfl", zhang.pk])
    edit = reverse("people:resident_edit", args=["xfl", zhang.pk])
    move_out = reverse("people:resident_move_out", args=["xfl", zhang.pk])
    reveal = reverse("people:reveal", args=["xfl", zhang.pk, "id_number"])

    def shown(role: str) -> list[bool]:
        client.force_login(world.users[role])
        html = client.get(page).content.decode()
        return [edit in html, move_out in html, reveal in html]

    assert shown("staff") == [True, True, True]
    assert shown("welfare_reviewer") == [False, False, True]
    assert shown("supervisor") == [False, False, False]
    move_out_resident(
        actor=world.users["staff"], resident=zhang, on=dt.date(2026, 1, 1), reason="搬走"
    )
    assert shown("staff") == [False, False, True]
