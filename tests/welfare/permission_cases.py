"""Permission-matrix cases for the welfare views."""

from __future__ import annotations

from typing import Any

from tests.matrix import EDITORS, Case
from tests.world import World


def _welfare_application(world: World) -> list[Any]:
    from tests.welfare.test_welfare import apply

    return ["xfl", apply(world, key="perm-welfare").pk]


def _programme_id(world: World) -> int:
    from linli.welfare.models import Programme

    return Programme.objects.get(kind="dibao").pk


def _benefit(world: World) -> list[Any]:
    import datetime as dt
    from decimal import Decimal

    from linli.welfare.models import Benefit
    from tests.welfare.test_welfare import apply

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


WELFARE_DESK = {"welfare_reviewer", "leader", "staff", "supervisor", "admin"}
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
    Case("welfare:register", "GET", {"welfare_reviewer", "leader", "supervisor", "admin"}),
    Case("welfare:register_export", "GET", {"welfare_reviewer", "leader", "supervisor", "admin"}),
    Case("welfare:detail", "GET", WELFARE_DESK, args=_welfare_application),
    Case(
        "welfare:step",
        "POST",
        {"welfare_reviewer", "leader", "admin"},
        args=lambda w: [*_welfare_application(w), "materials"],
    ),
    Case(
        "welfare:benefit",
        "GET",
        {"welfare_reviewer", "leader", "supervisor", "admin"},
        args=_benefit,
    ),
    Case(
        "welfare:benefit_step",
        "POST",
        {"welfare_reviewer", "leader", "admin"},
        args=lambda w: [*_benefit(w), "report"],
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
