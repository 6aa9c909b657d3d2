"""Permission-matrix cases for the care views."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from linli.care import actions
from tests.appeals.permission_cases import category_id
from tests.care.test_care import person, visit
from tests.matrix import EDITORS, Case
from tests.world import World


def _cared(world: World) -> Any:
    return person(world, "独居老人", dt.date(1940, 5, 1), ["living_alone"], 7)


def _care_resident(world: World) -> list[Any]:
    return ["xfl", _cared(world).pk]


def _visit(world: World) -> list[Any]:
    resident = _cared(world)
    return [
        "xfl",
        visit(world, resident, timezone.localdate() - dt.timedelta(days=1), health="血压高").pk,
    ]


def _relief(world: World, *, opened: bool = False) -> Any:
    _cared(world)
    campaign = actions.create_relief(
        actor=world.users["leader"],
        community=world.community,
        title="春节慰问",
        budget=Decimal("1000"),
        per_person_limit=Decimal("500"),
        standard_amount=Decimal("200"),
    )
    if opened:
        campaign = actions.open_relief(actor=world.users["leader"], campaign=campaign)
    return campaign


def _recipient(world: World) -> list[Any]:
    return ["xfl", _relief(world, opened=True).recipients.first().pk]


CARE_DESK = {"leader", "staff", "supervisor", "admin"}
CASES: list[Case] = [
    Case("care:register", "GET", CARE_DESK),
    Case("care:due", "GET", EDITORS),
    Case("care:policies", "GET", CARE_DESK),
    Case(
        "care:policies",
        "POST",
        {"leader", "admin"},
        data=lambda w: {"tag": "living_alone", "every_days": 30},
    ),
    Case("care:resident", "GET", CARE_DESK, args=_care_resident),
    Case(
        "care:visit_new",
        "POST",
        EDITORS,
        args=_care_resident,
        data=lambda w: {
            "visited_on": "2026-01-05",
            "place": "home",
            "visitors": [w.users["staff"].pk],
            "idempotency_key": "perm-visit",
        },
    ),
    Case(
        "care:event",
        "POST",
        EDITORS,
        args=_care_resident,
        data=lambda w: {"kind": "hospitalised", "occurred_on": "2026-01-05"},
    ),
    Case(
        "care:entry",
        "POST",
        EDITORS,
        args=_care_resident,
        data=lambda w: {"reason": "突发困难", "starts_on": "2026-01-05"},
    ),
    Case(
        "care:settings",
        "POST",
        {"leader", "admin"},
        args=_care_resident,
        data=lambda w: {"level": "intensive"},
    ),
    Case(
        "care:need",
        "POST",
        EDITORS,
        args=_visit,
        data=lambda w: {"category": category_id(w), "text": "需要医疗救助"},
    ),
    Case("care:health", "POST", EDITORS, args=_visit),
    Case(
        "care:relief_application",
        "POST",
        EDITORS,
        args=_visit,
        data=lambda w: {"pledge_signed": "on", "consent_to_checks": "on"},
    ),
    Case("care:relief_list", "GET", CARE_DESK),
    Case(
        "care:relief_list",
        "POST",
        {"leader", "admin"},
        data=lambda w: {
            "title": "中秋慰问",
            "budget": "500",
            "per_person_limit": "200",
            "standard_amount": "100",
        },
    ),
    Case("care:relief", "GET", CARE_DESK, args=lambda w: ["xfl", _relief(w).pk]),
    Case("care:relief_open", "POST", {"leader", "admin"}, args=lambda w: ["xfl", _relief(w).pk]),
    Case(
        "care:relief_close",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _relief(w, opened=True).pk],
    ),
    Case("care:give", "POST", EDITORS, args=_recipient, data=lambda w: {"amount": "200"}),
]
