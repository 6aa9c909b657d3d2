"""Permission-matrix cases for the appeals views: each step of the handling page has its own
view, case and exact roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.appeals import actions
from linli.appeals.models import Appeal
from linli.appeals.photos import PhotoInput
from linli.core.models import Organisation
from tests.appeals.helpers import appeal, categories
from tests.appeals.test_photos import jpeg_with_location
from tests.matrix import EDITORS, EVERYONE, Case
from tests.world import World


def _appeal(world: World) -> Appeal:
    return appeal(world)


def _accepted(world: World) -> Appeal:
    return actions.accept_appeal(actor=world.users["staff"], appeal=_appeal(world))


def _solved(world: World) -> Appeal:
    return actions.resolve_appeal(
        actor=world.users["staff"], appeal=_accepted(world), note="已清理"
    )


def _referred(world: World) -> Appeal:
    return actions.refer_appeal(
        actor=world.users["staff"], appeal=_accepted(world), organisation=_water()
    )


def _water() -> Organisation:
    return Organisation.objects.get(name="自来水公司")


def _reported(world: World) -> Appeal:
    return actions.report_back(actor=world.users["staff"], appeal=_solved(world), note="已清理")


def _extension(world: World) -> Any:
    return actions.request_extension(
        actor=world.users["staff"], appeal=_accepted(world), days=2, reason="等待"
    )


def category_id(world: World) -> int:
    return categories()["environment"].pk


def _hotline_file() -> Any:
    return SimpleUploadedFile(
        "12345.csv", "工单编号,诉求内容,联系电话\r\nP1,路灯不亮,13900001111\r\n".encode()
    )


def _photo(world: World) -> list[Any]:
    a = appeal(world, photos=[PhotoInput("p.jpg", jpeg_with_location())])
    return ["xfl", a.pk, a.photos.get().pk]


def _step(
    name: str,
    allowed: set[str],
    make: Any = _accepted,
    data: Any = lambda w: {"note": "已处理"},
) -> Case:
    """A step of the handling page, posted on an appeal in a status it may start from."""
    return Case(f"appeals:{name}", "POST", allowed, args=lambda w: ["xfl", make(w).pk], data=data)


LEADERS = {"leader", "admin"}
STEPS: list[Case] = [
    _step("accept", EDITORS, make=_appeal),
    _step("dispute", EDITORS, make=_appeal),
    _step("start", EDITORS),
    _step("resolve", EDITORS),
    _step("resolve_on_the_spot", EDITORS),
    _step("cannot_resolve", EDITORS),
    _step("defer", EDITORS),
    _step("report_back", EDITORS, make=_solved),
    _step("note", EDITORS),
    _step("invalid", LEADERS, make=_appeal),
    _step("answer", {"liaison", "admin"}, make=_referred),
    _step("answer_unresolved", {"liaison", "admin"}, make=_referred),
    _step("refer", EDITORS, data=lambda w: {"organisation": _water().pk, "note": ""}),
    _step("extend", EDITORS, data=lambda w: {"days": "2", "reason": "等待物业回复"}),
    _step(
        "supervise",
        LEADERS,
        data=lambda w: {
            "note": "请尽快办结",
            "deadline": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
    ),
]

APPEAL_DESK = {"staff", "leader", "supervisor", "admin"}
CASES: list[Case] = [
    Case("appeals:mine", "GET", EVERYONE, args=lambda w: []),
    Case("appeals:organisation", "GET", {"liaison"}, args=lambda w: []),
    Case("appeals:todo", "GET", APPEAL_DESK),
    Case("appeals:staff_new", "GET", EDITORS),
    Case(
        "appeals:staff_new",
        "POST",
        EDITORS,
        data=lambda w: {
            "channel": "phone",
            "category": category_id(w),
            "text": "路灯坏了",
            "place": "小区东门",
            "idempotency_key": "perm-a1",
        },
    ),
    Case("appeals:submit", "GET", {"resident", "admin"}),
    Case(
        "appeals:submit",
        "POST",
        {"resident"},
        data=lambda w: {
            "category": category_id(w),
            "text": "楼道灯不亮",
            "idempotency_key": "perm-a2",
        },
    ),
    Case("appeals:board", "GET", {"leader", "supervisor", "admin"}),
    Case("appeals:rates", "GET", APPEAL_DESK),
    Case(
        "appeals:detail", "GET", APPEAL_DESK | {"resident"}, args=lambda w: ["xfl", _appeal(w).pk]
    ),
    Case(
        "appeals:verdict",
        "POST",
        {"resident"},
        args=lambda w: ["xfl", _reported(w).pk],
        data=lambda w: {"verdict": "satisfied"},
    ),
    Case(
        "appeals:add",
        "POST",
        {"resident"},
        args=lambda w: ["xfl", _appeal(w).pk],
        data=lambda w: {"note": "补充照片"},
    ),
    Case(
        "appeals:decide_extension",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _extension(w).pk],
        data=lambda w: {"approve": "1"},
    ),
    Case("appeals:hotline", "GET", EDITORS),
    Case("appeals:hotline", "POST", EDITORS, data=lambda w: {"file": _hotline_file()}),
    Case("appeals:ledger", "GET", APPEAL_DESK),
    Case("appeals:photo", "GET", APPEAL_DESK | {"resident"}, args=_photo),
    Case("appeals:similar", "GET", EDITORS),
    Case(
        "appeals:subdistrict_rates",
        "GET",
        {"supervisor", "admin"},
        args=lambda w: [w.community.subdistrict_id],
    ),
    Case(
        "appeals:publish_results", "POST", {"leader", "admin"}, data=lambda w: {"month": "2026-11"}
    ),
    Case(
        "appeals:merge",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _appeal(w).pk],
        data=lambda w: {"into": _appeal(w).pk},
    ),
]
CASES += STEPS
