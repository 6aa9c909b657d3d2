"""Corrections are new versions; withdrawal is a leader's, with a reason; the archive keeps all."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from linli.notices.actions import (
    AttachmentInput,
    correct_notice,
    file_objection,
    publish_notice,
    withdraw_notice,
)
from linli.notices.models import Audience, Notice, NoticeStatus, open_objections_for
from tests.notices.test_publish import WELFARE_ROWS, welfare
from tests.world import World


def test_a_correction_supersedes_and_keeps_both(world: World) -> None:
    first = welfare(world, source=world.residents["wang"])
    objection = file_objection(
        actor=world.users["resident"],
        notice=first,
        reason="金额算错了，请核对。",
        idempotency_key="v",
    )
    second = correct_notice(
        actor=world.users["welfare_reviewer"],
        notice=first,
        title=first.title,
        body=first.body,
        entries=[{**WELFARE_ROWS[0], "amount": "980"}],
        reason="金额更正",
    )
    first.refresh_from_db()
    assert first.status == NoticeStatus.SUPERSEDED
    assert (second.version, second.supersedes, second.status) == (2, first, "published")
    assert second.entries[0]["amount"] == "980.00"
    assert second.source_id == first.source_id
    assert list(open_objections_for(world.residents["wang"])) == [objection]
    assert AuditEvent.objects.filter(code="notices.corrected").count() == 1
    with pytest.raises(DomainError):
        correct_notice(
            actor=world.users["welfare_reviewer"], notice=first, title="x", body="y", reason="again"
        )


def test_withdrawal_is_for_leaders_with_a_reason(world: World) -> None:
    notice = welfare(world)
    with pytest.raises(AccessDenied):
        withdraw_notice(actor=world.users["welfare_reviewer"], notice=notice, reason="错了")
    with pytest.raises(DomainError):
        withdraw_notice(actor=world.users["leader"], notice=notice, reason=" ")
    withdrawn = withdraw_notice(actor=world.users["leader"], notice=notice, reason="对象有误")
    assert (withdrawn.status, withdrawn.withdrawal_reason) == ("withdrawn", "对象有误")
    assert withdrawn.withdrawn_by == world.users["leader"]


def test_the_board_and_the_archive(client: Client, world: World) -> None:
    kept = welfare(world, title="在公示的")
    gone = welfare(world, title="撤回的")
    withdraw_notice(actor=world.users["leader"], notice=gone, reason="对象有误")
    board = client.get(reverse("notices:board", args=["xfl"])).content.decode()
    assert "在公示的" in board
    assert "撤回的" not in board
    archive = client.get(reverse("notices:archive", args=["xfl"])).content.decode()
    assert "在公示的" in archive
    assert "撤回的" in archive
    assert "已撤回" in archive
    month = kept.published_at.strftime("%Y-%m")
    assert (
        "在公示的"
        in client.get(reverse("notices:archive", args=["xfl"]), {"month": month}).content.decode()
    )
    assert (
        "在公示的"
        not in client.get(
            reverse("notices:archive", args=["xfl"]), {"month": "2001-01"}
        ).content.decode()
    )
    assert Notice.objects.count() == 2


def test_a_correction_without_new_files_keeps_the_attachments(world: World) -> None:
    minutes = publish_notice(
        actor=world.users["leader"],
        community=world.community,
        kind="minutes",
        title="会议纪要",
        attachments=[AttachmentInput("纪要.pdf", b"%PDF-1.4 x")],
    )
    corrected = correct_notice(
        actor=world.users["leader"], notice=minutes, title="会议纪要（更正）", reason="标题有误"
    )
    assert [a.name for a in corrected.attachments.all()] == ["纪要.pdf"]
    assert corrected.attachments.get().file.read() == b"%PDF-1.4 x"


def test_an_objection_to_a_stale_copy_of_a_corrected_notice_is_refused(world: World) -> None:
    stale = welfare(world)
    correct_notice(
        actor=world.users["welfare_reviewer"],
        notice=stale,
        title=stale.title,
        entries=WELFARE_ROWS,
        reason="更正",
    )
    with pytest.raises(DomainError):
        file_objection(
            actor=world.users["resident"],
            notice=stale,
            reason="过时版本的异议",
            idempotency_key="stale",
        )


def test_liaisons_do_not_read_residents_only_notices(client: Client, world: World) -> None:
    notice = welfare(world, audience=Audience.RESIDENTS)
    client.force_login(world.users["liaison"])
    assert client.get(reverse("notices:detail", args=["xfl", notice.pk])).status_code == 404
