"""`linli tick`: the command runs every app's tick; an overdue appeal is escalated once."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from linli.appeals import actions
from linli.appeals.models import Appeal, AppealEvent
from linli.core.models import AuditEvent, Notification
from tests.appeals.helpers import appeal
from tests.world import World

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def overdue(world: World, monkeypatch: pytest.MonkeyPatch) -> Appeal:
    """An appeal received and accepted in June 2026, never handled: long overdue now."""
    june = dt.datetime(2026, 6, 1, 9, 0, tzinfo=SH)
    monkeypatch.setattr(timezone, "now", lambda: june)
    late = actions.accept_appeal(actor=world.users["staff"], appeal=appeal(world))
    monkeypatch.undo()
    assert late.feedback_due_at < timezone.now()
    return late


def tick() -> str:
    out = io.StringIO()
    call_command("tick", stdout=out)
    return out.getvalue()


def escalations(a: Appeal) -> tuple[int, int, int, int]:
    return (
        AppealEvent.objects.filter(appeal=a, code="escalated").count(),
        AuditEvent.objects.filter(code="appeals.escalated", target_id=str(a.pk)).count(),
        Notification.objects.filter(code="appeals.overdue").count(),
        Notification.objects.filter(code="appeals.not_contacted").count(),
    )


def test_the_tick_command_escalates_an_overdue_appeal_once(world: World, overdue: Appeal) -> None:
    output = tick()
    assert "overdue=1" in output.split()
    overdue.refresh_from_db()
    assert overdue.escalated
    # One timeline line, one audit event, and the leader and the handler each told once;
    # accepted in time, so no "not contacted" reminder.
    assert escalations(overdue) == (1, 1, 2, 0)
    told = set(
        Notification.objects.filter(code="appeals.overdue").values_list("user__username", flat=True)
    )
    assert told == {"leader", "staff"}


def test_running_the_tick_again_the_same_day_changes_nothing(world: World, overdue: Appeal) -> None:
    tick()
    first = escalations(overdue)
    output = tick()
    # Today's behaviour: an overdue appeal is escalated at most once a day (a later day
    # escalates it again, see test_deadlines_and_tick), so a second run writes nothing.
    assert "overdue=1" not in output.split()
    assert escalations(overdue) == first == (1, 1, 2, 0)
