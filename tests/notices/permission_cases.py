"""Permission-matrix cases for the notices views."""

from __future__ import annotations

from typing import Any

from linli.notices.actions import AttachmentInput, file_objection, publish_notice
from tests.matrix import EVERYONE, PUBLIC, Case
from tests.world import World


def _welfare_notice(world: World) -> Any:
    return publish_notice(
        actor=world.users["welfare_reviewer"],
        community=world.community,
        kind="welfare",
        title="低保公示",
        entries=[{"name": "张三", "household_size": "2", "amount": "900"}],
    )


def _notice(world: World) -> list[Any]:
    return ["xfl", _welfare_notice(world).pk]


def _attachment(world: World) -> list[Any]:
    notice = publish_notice(
        actor=world.users["leader"],
        community=world.community,
        kind="minutes",
        title="纪要",
        body="见附件",
        attachments=[AttachmentInput("纪要.pdf", b"%PDF-1.4 minutes")],
    )
    return ["xfl", notice.pk, notice.attachments.get().pk]


def _objection(world: World) -> Any:
    return file_objection(
        actor=world.users["resident"],
        notice=_welfare_notice(world),
        reason="这家条件不符合，请复核。",
        idempotency_key="perm-objection",
    )


DESK = {"leader", "staff", "welfare_reviewer", "teller", "supervisor", "admin"}
CASES: list[Case] = [
    Case("notices:board", "GET", PUBLIC, public=True),
    Case("notices:archive", "GET", PUBLIC, public=True),
    Case("notices:detail", "GET", PUBLIC, args=_notice, public=True),
    Case("notices:print", "GET", PUBLIC, args=_notice, public=True),
    Case("notices:attachment", "GET", PUBLIC, args=_attachment, public=True),
    Case("notices:object", "GET", PUBLIC, args=_notice, public=True),
    Case(
        "notices:object",
        "POST",
        PUBLIC,
        args=_notice,
        public=True,
        data=lambda w: {
            "reason": "公示对象条件不符。",
            "contact_name": "王",
            "contact_phone": "13900001234",
            "idempotency_key": "perm-o",
        },
    ),
    Case(
        "notices:receipt", "GET", PUBLIC, public=True, args=lambda w: ["xfl", _objection(w).receipt]
    ),
    Case("notices:desk", "GET", DESK),
    Case("notices:publish", "GET", DESK - {"supervisor"}),
    Case(
        "notices:publish",
        "POST",
        {"leader", "staff", "admin"},
        data=lambda w: {
            "kind": "announcement",
            "title": "通知",
            "body": "内容",
            "audience": "public",
            "idempotency_key": "perm-p",
        },
    ),
    Case("notices:manage", "GET", DESK, args=_notice),
    Case(
        "notices:correct",
        "POST",
        {"leader", "welfare_reviewer", "admin"},
        args=_notice,
        data=lambda w: {
            "title": "低保公示（更正）",
            "reason": "更正金额",
            "table": "张三 2 950",
            "idempotency_key": "perm-c",
        },
    ),
    Case(
        "notices:withdraw",
        "POST",
        {"leader", "admin"},
        args=_notice,
        data=lambda w: {"reason": "对象有误"},
    ),
    Case(
        "notices:answer",
        "POST",
        {"leader", "welfare_reviewer", "admin"},
        args=lambda w: ["xfl", _objection(w).pk],
        data=lambda w: {"answer": "已复核。"},
    ),
    Case("inbox", "GET", EVERYONE, args=lambda w: []),
]
