"""Permission-matrix cases for the welfare views: each step of a case and of a benefit has its
own URL and case, posted on a record at the step's status with data the step accepts, so every
role allowed takes it without a refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.core.models import User
from linli.welfare import actions
from linli.welfare.models import Application, Benefit, Programme
from tests.matrix import EDITORS, Case
from tests.welfare.test_welfare import apply
from tests.world import World, make_user

# Who reads cases (the desk), who takes steps on them, who decides; the register's readers.
WELFARE_DESK = {"welfare_reviewer", "leader", "staff", "supervisor", "admin"}
INTAKE = {"welfare_reviewer", "leader", "staff", "admin"}
REVIEWERS = {"welfare_reviewer", "leader", "admin"}
REGISTER = {"welfare_reviewer", "leader", "supervisor", "admin"}

STAGES = ["submitted", "accepted", "investigated", "checked", "on_notice"]


def _colleague(world: World, username: str, role: str) -> User:
    """A second member of staff, so the roles under test never investigated nor reviewed."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = make_user(username)
        grant_role(actor=SYSTEM, user=user, role=role, community=world.community)
    return user


def _investigators(world: World) -> list[User]:
    return [world.users["staff"], _colleague(world, "perm-investigator", "staff")]


def _application(world: World, stage: str, kind: str = "dibao") -> Application:
    """A case of the programme at the stage (the same one on a second call)."""
    key = f"perm-{kind}-{stage}"
    found = Application.objects.filter(idempotency_key=key).first()
    if found is not None:
        return found
    programme = Programme.objects.get(kind=kind)
    application = apply(world, key=key, programme=programme)
    if STAGES.index(stage) < STAGES.index("accepted"):
        return application
    clerk = _colleague(world, "perm-clerk", "welfare_reviewer")
    application.materials.update(provided=True)
    actions.check_materials(actor=clerk, application=application)
    if STAGES.index(stage) >= STAGES.index("investigated"):
        actions.record_investigation(
            actor=clerk,
            application=application,
            investigators=_investigators(world),
            visited_on=timezone.localdate(),
            findings="属实",
            signed_on_screen=True,
        )
    if STAGES.index(stage) >= STAGES.index("checked"):
        actions.record_checks(actor=clerk, application=application, results=[("税务", "无", True)])
    if stage == "on_notice":
        opinion = _colleague(world, "perm-opinion", "welfare_reviewer")
        actions.give_opinion(actor=opinion, application=application, opinion="同意")
        # The notice period is over: the decision may be taken.
        Application.objects.filter(pk=application.pk).update(
            notice_ends_at=timezone.now() - dt.timedelta(minutes=1)
        )
    return application


def _at(stage: str, kind: str = "dibao") -> Any:
    return lambda world: ["xfl", _application(world, stage, kind).pk]


def _programme_id(world: World) -> int:
    return Programme.objects.get(kind="dibao").pk


def _benefit(world: World) -> list[Any]:
    application = apply(world, key="perm-benefit")  # the same application on a second call
    benefit, _created = Benefit.objects.get_or_create(
        application=application,
        defaults={
            "household": application.household,
            "programme": application.programme,
            "monthly_amount": Decimal("500"),
            "starts_on": dt.date(2026, 1, 1),
            "next_review_on": dt.date(2027, 1, 1),
        },
    )
    return ["xfl", benefit.pk]


def _investigation(world: World) -> dict[str, Any]:
    return {
        "investigators": [u.pk for u in _investigators(world)],
        "visited_on": timezone.localdate().isoformat(),
        "findings": "家中有病人",
        "signed_on_screen": "on",
    }


CASES: list[Case] = [
    Case("welfare:list", "GET", WELFARE_DESK),
    Case("welfare:new", "GET", EDITORS | {"welfare_reviewer"}),
    Case(
        "welfare:new",
        "POST",
        EDITORS | {"welfare_reviewer"},
        data=lambda w: {
            "programme": _programme_id(w),
            "household": "3-2-501",
            "reason": "因病致贫",
            "idempotency_key": "perm-w1",
        },
    ),
    Case("welfare:apply", "GET", {"resident"}),
    Case("welfare:mine", "GET", {"resident", "admin"}),
    Case("welfare:relatives", "GET", WELFARE_DESK),
    Case("welfare:register", "GET", REGISTER),
    Case("welfare:register_export", "GET", REGISTER),
    Case("welfare:detail", "GET", WELFARE_DESK, args=_at("submitted")),
    Case(
        "welfare:materials",
        "POST",
        REVIEWERS,
        args=_at("submitted"),
        data=lambda w: {"provided": list(Programme.objects.get(kind="dibao").materials)},
    ),
    Case(
        "welfare:pay_first",
        "POST",
        REVIEWERS,
        args=_at("submitted", "temporary"),
        data=lambda w: {"emergency-amount": "300", "emergency-reason": "突发火灾"},
    ),
    Case("welfare:investigate", "POST", INTAKE, args=_at("accepted"), data=_investigation),
    Case(
        "welfare:assess",
        "POST",
        INTAKE,
        args=_at("accepted", "tekun"),
        data=lambda w: {
            "resident": w.residents["zhang"].pk,
            "done": ["eat", "dress"],
            "assessed_on": timezone.localdate().isoformat(),
        },
    ),
    Case(
        "welfare:checks",
        "POST",
        REVIEWERS,
        args=_at("investigated"),
        data=lambda w: {"results": "税务 | 无记录 | 是\n车辆 | 无 | 是"},
    ),
    Case(
        "welfare:opinion",
        "POST",
        REVIEWERS,
        args=_at("checked"),
        data=lambda w: {"opinion": "符合条件，建议纳入"},
    ),
    Case(
        "welfare:objection",
        "POST",
        REVIEWERS,
        args=_at("on_notice"),
        data=lambda w: {"note": "邻居反映有私家车，重新调查"},
    ),
    Case(
        "welfare:decide",
        "POST",
        REVIEWERS,
        args=_at("on_notice"),
        data=lambda w: {"approve": "1", "reasons": "经审核符合低保条件"},
    ),
    Case("welfare:benefit", "GET", REGISTER, args=_benefit),
    Case(
        "welfare:benefit_review",
        "POST",
        REVIEWERS,
        args=_benefit,
        data=lambda w: {"review-outcome": "continue", "review-note": "情况未变"},
    ),
    Case(
        "welfare:benefit_state",
        "POST",
        REVIEWERS,
        args=_benefit,
        data=lambda w: {"state-state": "suspended", "state-reason": "外出务工"},
    ),
    Case(
        "welfare:benefit_report",
        "POST",
        REVIEWERS,
        args=_benefit,
        data=lambda w: {"report-note": "家中有人就业"},
    ),
    Case(
        "welfare:report_change",
        "POST",
        {"resident"},
        args=_benefit,
        data=lambda w: {f"b{_benefit(w)[1]}-note": "家中有人就业"},
    ),
]
