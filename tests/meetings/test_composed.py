"""Meeting actions that call other apps' actions commit with them or not at all: the minutes
and their notice, an opinion and its appeal, a meeting and its announcement."""

from __future__ import annotations

from typing import Any

import pytest

from linli.appeals.models import Appeal, AppealEvent
from linli.core import audit
from linli.core.errors import DomainError
from linli.meetings import actions
from linli.meetings.models import Handling, Meeting, Opinion, Status
from linli.notices.models import Notice
from tests.appeals.helpers import categories
from tests.meetings.helpers import opened, opinion_key, plan, water
from tests.world import World


class Injected(Exception):
    """A failure injected into an action after some of its work is done."""


def fail_on(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """Make the audit of the step with this code fail, after the step's rows are written."""
    record = audit.record

    def failing(**kwargs: Any) -> Any:
        if kwargs["code"] == code:
            raise Injected(code)
        return record(**kwargs)

    monkeypatch.setattr(audit, "record", failing)


def closed_meeting(world: World) -> Meeting:
    meeting = opened(world)
    actions.record_opinion(
        actor=world.users["staff"],
        meeting=meeting,
        idempotency_key=opinion_key(),
        data=actions.OpinionInput(
            text="小区路灯不亮", handling=Handling.FOLLOW_UP, category=categories()["environment"]
        ),
    )
    return actions.close_meeting(actor=world.users["staff"], meeting=meeting)


def test_a_failure_after_the_minutes_notice_publishes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = closed_meeting(world)
    notices = Notice.objects.count()
    fail_on(monkeypatch, "meetings.minutes_published")
    with pytest.raises(Injected):
        actions.approve_minutes(actor=world.users["staff"], meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.notice_id) == (Status.CLOSED, None)
    assert Notice.objects.count() == notices
    monkeypatch.undo()
    published = actions.approve_minutes(actor=world.users["staff"], meeting=meeting)
    assert published.status == Status.PUBLISHED
    assert Notice.objects.filter(pk=published.notice_id, kind="minutes").count() == 1


def test_minutes_approved_twice_are_published_once(world: World) -> None:
    meeting = closed_meeting(world)
    actions.approve_minutes(actor=world.users["staff"], meeting=meeting)
    with pytest.raises(DomainError) as twice:
        actions.approve_minutes(actor=world.users["leader"], meeting=meeting)
    assert twice.value.code == "meeting_state"
    assert Notice.objects.filter(kind="minutes").count() == 1


def classify(world: World, opinion: Opinion, handling: str, **extra: Any) -> Opinion:
    return actions.classify_opinion(
        actor=world.users["staff"],
        opinion=opinion,
        handling=handling,
        category=categories()["water"],
        **extra,
    )


def pending(world: World, meeting: Meeting, text: str) -> Opinion:
    return actions.record_opinion(
        actor=world.users["staff"],
        meeting=meeting,
        idempotency_key=opinion_key(),
        data=actions.OpinionInput(text=text, speaker_resident=world.residents["zhang"]),
    )


@pytest.mark.parametrize(
    ("handling", "extra", "last_step", "status"),
    [
        (Handling.ON_THE_SPOT, {"answer": "周五恢复供水"}, "appeals.reported_back", "reported"),
        (Handling.FOLLOW_UP, {"organisation": "water"}, "appeals.referred", "referred"),
        (Handling.FOLLOW_UP, {}, "appeals.deferred", "deferred"),
    ],
)
def test_a_failure_in_the_last_appeals_step_leaves_no_appeal(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    handling: str,
    extra: dict[str, Any],
    last_step: str,
    status: str,
) -> None:
    if extra.get("organisation") == "water":
        extra = {**extra, "organisation": water(world)}
    opinion = pending(world, opened(world), "3号楼水压低")
    fail_on(monkeypatch, last_step)
    with pytest.raises(Injected):
        classify(world, opinion, handling, **extra)
    opinion.refresh_from_db()
    assert (opinion.handling, opinion.appeal_id, opinion.category_id) == (
        Handling.PENDING,
        None,
        None,
    )
    assert not Appeal.objects.exists()
    assert not AppealEvent.objects.exists()
    # Nothing is left half done: the same classification, sent again, goes through.
    monkeypatch.undo()
    done = classify(world, opinion, handling, **extra)
    assert done.appeal is not None
    assert (done.handling, done.appeal.status) == (handling, status)


def test_an_opinion_refused_its_classification_is_not_recorded(world: World) -> None:
    meeting = opened(world)
    with pytest.raises(DomainError) as refused:
        actions.record_opinion(
            actor=world.users["staff"],
            meeting=meeting,
            idempotency_key="opinion-without-answer",
            data=actions.OpinionInput(
                text="下周停水吗？", handling=Handling.ON_THE_SPOT, category=categories()["water"]
            ),
        )
    assert refused.value.code == "answer_missing"
    assert not Opinion.objects.exists()
    assert not Appeal.objects.exists()


def test_a_classification_sent_twice_makes_one_appeal(world: World) -> None:
    opinion = pending(world, opened(world), "增加座椅")
    first = classify(world, opinion, Handling.FOLLOW_UP)
    again = classify(world, opinion, Handling.FOLLOW_UP)
    assert again.appeal_id == first.appeal_id
    assert Appeal.objects.count() == 1
    with pytest.raises(DomainError) as other:
        classify(world, opinion, Handling.ON_THE_SPOT, answer="已答复")
    assert other.value.code == "classified"


def test_a_failure_in_the_announcement_plans_no_meeting(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_on(monkeypatch, "notices.published")
    with pytest.raises(Injected):
        plan(world, announce=True)
    assert not Meeting.objects.exists()
    assert not Notice.objects.exists()
