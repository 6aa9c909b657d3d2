"""Every refusal of care's create actions names its code and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from linli.care import actions
from linli.care.models import CareEntry, CareEvent, ReliefCampaign, Visit, VisitPolicy
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Notification
from tests.care.test_care import person
from tests.world import World

RELIEF: dict[str, Any] = {
    "title": "春节慰问",
    "budget": Decimal("1000"),
    "per_person_limit": Decimal("300"),
    "standard_amount": Decimal("200"),
}


def _written() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            ReliefCampaign,
            VisitPolicy,
            CareEntry,
            CareEvent,
            Visit,
            AuditEvent,
            Notification,
        )
    )


def _refused(call: Callable[[], Any], code: str) -> None:
    before = _written()
    with pytest.raises((DomainError, AccessDenied)) as raised:
        call()
    assert raised.value.code == code
    assert _written() == before


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"title": "  "}, "title_missing"),
        ({"budget": Decimal("0")}, "amounts_invalid"),
        ({"per_person_limit": Decimal("-1")}, "amounts_invalid"),
        ({"standard_amount": Decimal("-5")}, "amounts_invalid"),
        ({"standard_amount": Decimal("301")}, "over_limit"),
        ({"tags": ("vip",)}, "tag_unknown"),
    ],
)
def test_create_relief_refuses_bad_input(
    world: World, overrides: dict[str, Any], code: str
) -> None:
    _refused(
        lambda: actions.create_relief(
            actor=world.users["leader"], community=world.community, **{**RELIEF, **overrides}
        ),
        code,
    )


@pytest.mark.parametrize("role", ["staff", "supervisor", "welfare_reviewer", "outsider"])
def test_only_leaders_create_relief(world: World, role: str) -> None:
    _refused(
        lambda: actions.create_relief(actor=world.users[role], community=world.community, **RELIEF),
        "access_denied",
    )


def test_set_policy_refusals(world: World) -> None:
    leader = world.users["leader"]
    _refused(
        lambda: actions.set_policy(actor=leader, community=world.community, every_days=30),
        "policy_target",
    )
    for days in (0, 366):
        _refused(
            lambda days=days: actions.set_policy(
                actor=leader, community=world.community, tag="living_alone", every_days=days
            ),
            "days_invalid",
        )
    _refused(
        lambda: actions.set_policy(
            actor=world.users["staff"], community=world.community, tag="dibao", every_days=30
        ),
        "access_denied",
    )


def test_add_entry_refusals(world: World) -> None:
    zhang, staff = world.residents["zhang"], world.users["staff"]
    today = timezone.localdate()
    _refused(
        lambda: actions.add_entry(actor=staff, resident=zhang, reason=" ", starts_on=today),
        "reason_missing",
    )
    _refused(
        lambda: actions.add_entry(
            actor=staff,
            resident=zhang,
            reason="突发困难",
            starts_on=today,
            ends_on=today - dt.timedelta(days=1),
        ),
        "dates_invalid",
    )
    _refused(
        lambda: actions.add_entry(
            actor=world.users["supervisor"], resident=zhang, reason="突发困难", starts_on=today
        ),
        "access_denied",
    )


def test_record_event_refusals(world: World) -> None:
    zhang, staff = world.residents["zhang"], world.users["staff"]
    today = timezone.localdate()
    _refused(
        lambda: actions.record_event(actor=staff, resident=zhang, kind="party", occurred_on=today),
        "kind_unknown",
    )
    _refused(
        lambda: actions.record_event(
            actor=staff,
            resident=zhang,
            kind="hospitalised",
            occurred_on=today + dt.timedelta(days=1),
        ),
        "future",
    )
    _refused(
        lambda: actions.record_event(
            actor=world.users["supervisor"], resident=zhang, kind="hospitalised", occurred_on=today
        ),
        "access_denied",
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"place": "moon"}, "place_unknown"),
        ({"relief_kind": "gold"}, "relief_invalid"),
        ({"relief_kind": "cash", "relief_amount": Decimal("-1")}, "relief_invalid"),
        ({"relief_kind": "kind"}, "relief_missing"),
        ({"visitors": ()}, "visitors_invalid"),
    ],
)
def test_record_visit_refuses_bad_input(world: World, overrides: dict[str, Any], code: str) -> None:
    old = person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    fields: dict[str, Any] = {
        "visited_on": timezone.localdate(),
        "place": "home",
        "visitors": (world.users["staff"],),
        **overrides,
    }
    _refused(
        lambda: actions.record_visit(
            actor=world.users["staff"],
            resident=old,
            data=actions.VisitInput(**fields),
            idempotency_key="refused",
        ),
        code,
    )
