"""The notice board's actions inside another action's transaction: they commit with it or not
at all (a decision that fails after publishing leaves no notice behind)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import transaction

from linli.core.models import AuditEvent, Notification
from linli.notices.actions import (
    AttachmentInput,
    answer_objection,
    file_objection,
    publish_notice,
)
from linli.notices.models import Notice, NoticeAttachment, NoticeKind, Objection, ObjectionStatus
from tests.notices.test_publish import welfare
from tests.world import World


class DecisionFailed(Exception):
    """What the calling action raises after the notice was published."""


def fails_after(work: Callable[[], object]) -> None:
    """An action of another app: it calls `work` in its transaction, then fails."""
    with transaction.atomic():
        work()
        raise DecisionFailed


def test_a_notice_published_in_a_transaction_that_fails_leaves_nothing(
    world: World, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    notices, events = Notice.objects.count(), AuditEvent.objects.count()

    def publish() -> None:
        notice = publish_notice(
            actor=world.users["leader"],
            community=world.community,
            kind=NoticeKind.MINUTES,
            title="居民会议纪要",
            body="见附件",
            attachments=[AttachmentInput("纪要.pdf", b"%PDF-1.4 minutes")],
        )
        assert NoticeAttachment.objects.filter(notice=notice).count() == 1

    with pytest.raises(DecisionFailed):
        fails_after(publish)
    assert Notice.objects.count() == notices
    assert not NoticeAttachment.objects.exists()
    assert AuditEvent.objects.count() == events
    assert not AuditEvent.objects.filter(code="notices.published").exists()


def test_a_published_notice_commits_with_its_caller(world: World) -> None:
    with transaction.atomic():
        notice = publish_notice(
            actor=world.users["leader"],
            community=world.community,
            kind=NoticeKind.ANNOUNCEMENT,
            title="停水通知",
            body="周六上午停水。",
        )
    assert Notice.objects.get(pk=notice.pk).title == "停水通知"
    assert AuditEvent.objects.filter(code="notices.published", target_id=str(notice.pk)).exists()


def test_an_objection_and_its_answer_roll_back_with_their_caller(world: World) -> None:
    notice = welfare(world)
    with pytest.raises(DecisionFailed):
        fails_after(
            lambda: file_objection(
                actor=world.users["resident"],
                notice=notice,
                reason="张三家有两套住房，不符合条件。",
                idempotency_key="joined-1",
            )
        )
    assert not Objection.objects.exists()
    assert not Notification.objects.filter(code="notices.objection_filed").exists()
    assert not AuditEvent.objects.filter(code="notices.objection_filed").exists()

    objection = file_objection(
        actor=world.users["resident"],
        notice=notice,
        reason="张三家有两套住房，不符合条件。",
        idempotency_key="joined-2",
    )
    with pytest.raises(DecisionFailed):
        fails_after(
            lambda: answer_objection(
                actor=world.users["leader"], objection=objection, answer="已复核。"
            )
        )
    objection.refresh_from_db()
    assert (objection.status, objection.answer) == (ObjectionStatus.OPEN, "")
    assert not Notification.objects.filter(code="notices.objection_answered").exists()
    assert not AuditEvent.objects.filter(code="notices.objection_answered").exists()
