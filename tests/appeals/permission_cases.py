"""Permission-matrix cases for the appeals views."""

from __future__ import annotations

from typing import Any

from tests.matrix import EDITORS, EVERYONE, Case
from tests.world import World


def _appeal(world: World) -> Any:
    from tests.appeals.helpers import appeal

    return appeal(world)


def _reported(world: World) -> Any:
    from linli.appeals import actions

    staff = world.users["staff"]
    a = actions.accept_appeal(actor=staff, appeal=_appeal(world))
    a = actions.resolve_appeal(actor=staff, appeal=a, note="已清理")
    return actions.report_back(actor=staff, appeal=a, note="已清理")


def _extension(world: World) -> Any:
    from linli.appeals import actions

    a = actions.accept_appeal(actor=world.users["staff"], appeal=_appeal(world))
    return actions.request_extension(actor=world.users["staff"], appeal=a, days=2, reason="等待")


def category_id(world: World) -> int:
    from tests.appeals.helpers import categories

    return categories()["environment"].pk


def _hotline_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "12345.csv", "工单编号,诉求内容,联系电话\r\nP1,路灯不亮,13900001111\r\n".encode()
    )


def _photo(world: World) -> list[Any]:
    from linli.appeals.photos import PhotoInput
    from tests.appeals.helpers import appeal
    from tests.appeals.test_photos import jpeg_with_location

    a = appeal(world, photos=[PhotoInput("p.jpg", jpeg_with_location())])
    return ["xfl", a.pk, a.photos.get().pk]


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
        "appeals:act",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _appeal(w).pk, "accept"],
        data=lambda w: {"note": ""},
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
