"""Permission-matrix cases for the evaluations views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.core.models import Role
from linli.evaluations import actions
from linli.evaluations.models import Campaign, Task
from tests.evaluations.helpers import make, sheet
from tests.matrix import EDITORS, EVERYONE, Case
from tests.world import World, make_user


def _campaign(world: World, *, opened: bool = False, closed: bool = False) -> Any:
    campaign = make(world)
    if opened or closed:
        campaign = actions.open_campaign(actor=world.users["leader"], campaign=campaign)
    if closed:
        actions.answer_campaign(
            actor=world.users["resident"], campaign=campaign, raw=sheet(campaign, 1, 50)
        )
        campaign = actions.close_campaign(actor=world.users["leader"], campaign=campaign)
    return campaign


def _campaign_sheet(world: World) -> dict[str, Any]:
    campaign = Campaign.objects.order_by("-pk").first()
    assert campaign is not None
    return {f"q{pk}": value for pk, value in sheet(campaign, 4, 80).items()}


def _batch(world: World) -> list[Any]:
    campaign = _campaign(world, opened=True)
    return ["xfl", actions.start_batch(actor=world.users["staff"], campaign=campaign, sheets=3).pk]


def _entered_batch(world: World) -> list[Any]:
    """A batch with all its sheets entered by a colleague, so that every allowed role checks it."""
    colleague = make_user("colleague")
    grant_role(actor=SYSTEM, user=colleague, role=Role.STAFF, community=world.community)
    campaign = _campaign(world, opened=True)
    batch = actions.start_batch(actor=colleague, campaign=campaign, sheets=1)
    actions.enter_sheet(actor=colleague, batch=batch, raw=sheet(campaign, 4, 80))
    return ["xfl", batch.pk]


def _task(world: World) -> list[Any]:
    task = actions.add_task(
        actor=world.users["leader"],
        campaign=_campaign(world, closed=True),
        title="增加保洁频次",
        owner=world.users["staff"],
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    return ["xfl", task.pk]


EVALUATION_DESK = {"leader", "staff", "supervisor", "admin"}
CASES: list[Case] = [
    Case("evaluations:mine", "GET", EVERYONE, args=lambda w: []),
    Case("evaluations:list", "GET", EVALUATION_DESK),
    Case("evaluations:new", "GET", {"leader", "admin"}),
    Case(
        "evaluations:new",
        "POST",
        {"leader", "admin"},
        data=lambda w: {
            "title": "测评",
            "target": "adults",
            "opens_on": "2099-01-01",
            "closes_on": "2099-01-31",
            "questions": "环境 | satisfaction | 环境满意吗",
            "min_answers": 5,
            "min_comments": 8,
            "task_threshold": 70,
        },
    ),
    Case("evaluations:detail", "GET", EVALUATION_DESK, args=lambda w: ["xfl", _campaign(w).pk]),
    Case("evaluations:open", "POST", {"leader", "admin"}, args=lambda w: ["xfl", _campaign(w).pk]),
    Case(
        "evaluations:close",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
    ),
    Case(
        "evaluations:publish",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _campaign(w, closed=True).pk],
    ),
    Case(
        "evaluations:answer",
        "GET",
        {"resident", "admin"},
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
    ),
    Case(
        "evaluations:answer",
        "POST",
        {"resident"},
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
        data=_campaign_sheet,
    ),
    Case(
        "evaluations:paper_out",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
        data=lambda w: {"q": "王五"},
    ),
    Case(
        "evaluations:batches",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
        data=lambda w: {"sheets": 2},
    ),
    Case("evaluations:batch", "GET", EDITORS, args=_batch),
    Case("evaluations:check_batch", "POST", EDITORS, args=_entered_batch),
    Case(
        "evaluations:task",
        "POST",
        EDITORS,
        args=_task,
        data=lambda w: {f"t{_task_id()}-plan": "增加保洁"},
    ),
    Case(
        "evaluations:export",
        "GET",
        EVALUATION_DESK,
        args=lambda w: ["xfl", _campaign(w, closed=True).pk],
    ),
]


def _task_id() -> int:
    task = Task.objects.order_by("-pk").first()
    assert task is not None
    return task.pk
