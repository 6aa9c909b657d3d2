"""Every refusal of the actions that create notice-board records (publish_notice,
file_objection), each with its code, and nothing written when refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Notification
from linli.notices.actions import AttachmentInput, file_objection, publish_notice, withdraw_notice
from linli.notices.models import Audience, Notice, NoticeAttachment, NoticeKind, Objection
from tests.notices.test_publish import WELFARE_ROWS, welfare
from tests.world import World


def written() -> tuple[int, ...]:
    return (
        Notice.objects.count(),
        NoticeAttachment.objects.count(),
        Objection.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
    )


ANNOUNCEMENT: dict[str, Any] = {"kind": NoticeKind.ANNOUNCEMENT, "title": "通知", "body": "内容"}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "gossip"}, "kind_unknown"),
        ({"audience": "friends"}, "audience_unknown"),
        ({"title": " "}, "title_missing"),
        ({"title": "长" * 201}, "title_long"),
        ({"body": "  "}, "content_missing"),
        ({"entries": [{"item": "x"}]}, "entries_not_allowed"),
        ({"period_days": 91}, "period_invalid"),
        ({"period_days": -1}, "period_invalid"),
        ({"body": "身份证 11010519491231002X"}, "personal_data"),
        ({"attachments": [AttachmentInput("空.pdf", b"")]}, "attachment_empty"),
        ({"attachments": [AttachmentInput("x.exe", b"MZ\x90")]}, "attachment_type"),
        (
            {"attachments": [AttachmentInput(f"{n}.pdf", b"%PDF-") for n in range(11)]},
            "attachments_many",
        ),
    ],
)
def test_publish_notice_refusals_write_nothing(
    world: World, changes: dict[str, Any], code: str
) -> None:
    before = written()
    with pytest.raises(DomainError) as refused:
        publish_notice(
            actor=world.users["leader"], community=world.community, **{**ANNOUNCEMENT, **changes}
        )
    assert refused.value.code == code
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"entries": [{**WELFARE_ROWS[0], "phone": "x"}]}, "entries_extra_columns"),
        ({"entries": [{**WELFARE_ROWS[0], "name": ""}]}, "entry_name"),
        ({"period_days": 3}, "period_short"),
        ({"attachments": [AttachmentInput("名单.pdf", b"%PDF-1.4")]}, "attachments_not_allowed"),
    ],
)
def test_welfare_notice_refusals_write_nothing(
    world: World, changes: dict[str, Any], code: str
) -> None:
    before = written()
    with pytest.raises(DomainError) as refused:
        welfare(world, **changes)
    assert refused.value.code == code
    assert written() == before


@pytest.mark.parametrize("role", ["resident", "liaison", "supervisor", "outsider", "teller"])
def test_who_may_not_publish_an_announcement(world: World, role: str) -> None:
    before = written()
    with pytest.raises(AccessDenied) as refused:
        publish_notice(actor=world.users[role], community=world.community, **ANNOUNCEMENT)
    assert refused.value.code == "access_denied"
    assert written() == before


def objection(world: World, notice: Notice, actor: Any = None, **changes: Any) -> Objection:
    fields: dict[str, Any] = {
        "actor": actor or world.users["resident"],
        "notice": notice,
        "reason": "这家条件不符合，请复核。",
        "idempotency_key": "refused-1",
        **changes,
    }
    return file_objection(**fields)


def test_file_objection_refusals_write_nothing(world: World) -> None:
    notice = welfare(world)
    residents_only = welfare(world, audience=Audience.RESIDENTS, title="低保公示（居民）")
    no_period = publish_notice(
        actor=world.users["leader"], community=world.community, **ANNOUNCEMENT
    )
    anonymous = AnonymousUser()
    before = written()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"notice": no_period}, "no_period"),
        ({"reason": "不对"}, "reason_short"),
        ({"reason": "不" * 2001}, "reason_long"),
        ({"actor": anonymous}, "contact_missing"),
        ({"actor": anonymous, "contact_name": "王", "contact_phone": "123"}, "phone_invalid"),
    ]
    for changes, code in cases:
        with pytest.raises(DomainError) as refused:
            objection(world, **{"notice": notice, **changes})
        assert refused.value.code == code, changes
    with pytest.raises(AccessDenied):
        objection(
            world,
            residents_only,
            actor=anonymous,
            contact_name="王",
            contact_phone="13900001234",
        )
    assert written() == before
    withdraw_notice(actor=world.users["leader"], notice=notice, reason="对象有误")
    before = written()
    notice.refresh_from_db()
    with pytest.raises(DomainError) as withdrawn:
        objection(world, notice)
    assert withdrawn.value.code == "not_current"
    assert written() == before
