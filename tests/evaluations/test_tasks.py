"""Improvement tasks: added by a leader, updated by staff, finished and published on the board
together (or not at all)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.core import audit
from linli.core.errors import AccessDenied, DomainError
from linli.evaluations import actions
from linli.evaluations.models import Task, TaskStatus
from linli.notices.models import Notice
from tests.evaluations.helpers import closed, make
from tests.world import World


def _task(world: World) -> Task:
    return actions.add_task(
        actor=world.users["leader"],
        campaign=closed(world),
        title="增加保洁频次",
        owner=world.users["staff"],
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )


def _rows() -> list[dict[str, Any]]:
    return list(Task.objects.order_by("pk").values())


def test_a_leader_adds_a_task_with_a_name_and_a_deadline(world: World) -> None:
    leader = world.users["leader"]
    campaign = closed(world)
    before = _rows()
    later = timezone.localdate() + dt.timedelta(days=7)
    refusals: list[tuple[Any, dict[str, Any], str]] = [
        (world.users["staff"], {}, "access_denied"),
        (world.users["supervisor"], {}, "access_denied"),
        (leader, {"title": "  "}, "title_missing"),
        (leader, {"deadline": timezone.localdate() - dt.timedelta(days=1)}, "deadline_past"),
    ]
    for actor, change, code in refusals:
        fields: dict[str, Any] = {
            "title": "楼道照明",
            "owner": world.users["staff"],
            "deadline": later,
            **change,
        }
        with pytest.raises((AccessDenied, DomainError)) as refused:
            actions.add_task(actor=actor, campaign=campaign, **fields)
        assert refused.value.code == code, code
    draft = make(world, title="草稿")
    with pytest.raises(DomainError) as early:
        actions.add_task(
            actor=leader, campaign=draft, title="楼道照明", owner=leader, deadline=later
        )
    assert early.value.code == "campaign_state"
    assert _rows() == before
    task = actions.add_task(
        actor=leader,
        campaign=campaign,
        title=" 楼道照明 ",
        owner=world.users["staff"],
        deadline=later,
    )
    assert (task.title, task.status, task.question_id) == ("楼道照明", TaskStatus.OPEN, None)


def test_finishing_needs_progress_and_a_done_task_is_closed(world: World) -> None:
    task = _task(world)
    before = _rows()
    with pytest.raises(DomainError) as empty:
        actions.update_task(actor=world.users["leader"], task=task, done=True)
    assert empty.value.code == "progress_missing"
    assert _rows() == before
    with pytest.raises(AccessDenied):
        actions.update_task(actor=world.users["supervisor"], task=task, plan="不可")
    assert _rows() == before
    actions.update_task(actor=world.users["staff"], task=task, progress="已增加", done=True)
    done = Task.objects.get()
    # Finished by staff: done, but only a leader publishes on the board.
    assert (done.status, done.notice_id) == (TaskStatus.DONE, None)
    with pytest.raises(DomainError) as again:
        actions.update_task(actor=world.users["leader"], task=task, plan="再改")
    assert again.value.code == "task_done"


def test_a_task_finished_by_a_leader_is_published_with_it(world: World) -> None:
    task = _task(world)
    actions.update_task(actor=world.users["leader"], task=task, progress="已增加", done=True)
    done = Task.objects.get()
    assert done.status == TaskStatus.DONE
    assert done.notice == Notice.objects.get()


def test_a_failure_after_the_publish_leaves_the_task_open_and_no_notice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = _task(world)
    record = audit.record

    def failing(**kwargs: Any) -> Any:
        if kwargs["code"] == "evaluations.task_updated":
            raise RuntimeError("the audit trail is down")
        return record(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        actions.update_task(actor=world.users["leader"], task=task, progress="已增加", done=True)
    task.refresh_from_db()
    assert (task.status, task.progress, task.notice_id) == (TaskStatus.OPEN, "", None)
    assert not Notice.objects.exists()
