"""Deadlines across holidays and adjusted working days; the periodic tick."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from linli.appeals import actions
from linli.appeals.models import AppealEvent, Status
from linli.core.models import Notification
from tests.appeals.helpers import appeal, categories
from tests.world import World

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def freeze(when: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: when)

    return freeze


def test_deadlines_across_national_day_and_an_adjusted_saturday(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen(at("2026-09-30 17:00"))
    a = appeal(world)
    # 2 working hours: half an hour on Sep 30, then 1.5 h on Oct 8 after the holiday.
    assert a.contact_due_at.astimezone(SH) == at("2026-10-08 10:00")
    # 7 working days: Oct 8, 9, Saturday Oct 10 (worked), 12, 13, 14, 15.
    assert a.feedback_due_at.astimezone(SH) == at("2026-10-15 23:59:59")
    urgent = appeal(world, category=categories()["water"])
    assert urgent.feedback_due_at.astimezone(SH) == at("2026-10-01 17:00")  # 24 h on the clock


def test_the_tick_reminds_escalates_and_closes_without_a_verdict(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    staff = world.users["staff"]
    frozen(at("2026-06-01 09:00"))
    late = appeal(world)
    waiting = appeal(world)
    for step in (actions.accept_appeal, actions.start_work):
        waiting = step(actor=staff, appeal=waiting)
    waiting = actions.resolve_appeal(actor=staff, appeal=waiting, note="已处理")
    waiting = actions.report_back(actor=staff, appeal=waiting, note="已处理")

    counts = actions.tick(now=at("2026-06-01 12:00"))
    assert counts["not_contacted"] == 1
    assert actions.tick(now=at("2026-06-01 12:05"))["not_contacted"] == 0  # once only
    assert Notification.objects.filter(code="appeals.not_contacted", user=staff).count() == 1

    counts = actions.tick(now=at("2026-06-20 09:00"))
    assert counts["overdue"] == 1
    late.refresh_from_db()
    assert late.escalated
    assert counts["asked_again"] == 1
    waiting.refresh_from_db()
    assert waiting.status == Status.REPORTED

    counts = actions.tick(now=at("2026-06-30 09:00"))
    assert counts["closed_without_verdict"] == 1
    waiting.refresh_from_db()
    assert (waiting.status, waiting.verdict) == (Status.CLOSED, "none")
    assert AppealEvent.objects.filter(appeal=waiting, code="closed_without_verdict").exists()
