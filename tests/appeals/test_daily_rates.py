"""The daily counts behind the dashboards stay equal to counting the appeals themselves."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from linli.appeals import actions
from linli.appeals.models import Appeal, DailyRates
from linli.appeals.rates import (
    daily_rates,
    daily_rates_by_community,
    monthly_trend,
    rebuild_daily_rates,
    three_rates,
)
from linli.core.models import AuditEvent
from tests.appeals.helpers import appeal
from tests.appeals.test_rates import close
from tests.world import World

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def freeze(when: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: when)

    return freeze


def table() -> dict[tuple[int, dt.date], tuple[int, ...]]:
    return {
        (row[0], row[1]): tuple(row[2:])
        for row in DailyRates.objects.values_list("community_id", "day", *DailyRates.COUNTS)
        if any(row[2:])
    }


def raw(world: World, first: dt.date, last: dt.date) -> tuple[int, ...]:
    start = dt.datetime.combine(first, dt.time(), tzinfo=SH)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=SH)
    rates = three_rates(Appeal.objects.filter(community=world.community), start, end)
    return (rates.due, rates.responded, rates.closed, rates.resolved, rates.rated, rates.satisfied)


def counted(world: World, first: dt.date, last: dt.date) -> tuple[int, ...]:
    rates = daily_rates([world.community.pk], first, last)
    return (rates.due, rates.responded, rates.closed, rates.resolved, rates.rated, rates.satisfied)


def test_every_kind_of_step_keeps_the_counts_equal_to_the_appeals(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    staff, leader, resident = world.users["staff"], world.users["leader"], world.users["resident"]
    # Friday evening, late: the contact deadline falls on Monday; closings on several days.
    frozen(at("2026-06-05 23:30"))
    satisfied = close(world, "satisfied")
    cannot = close(world, "basically_satisfied", cannot=True)
    never_accepted = appeal(world)
    invalid = appeal(world)
    actions.mark_invalid(actor=leader, appeal=invalid, reason="广告")
    reopened = close(world, "dissatisfied")
    assert reopened.status == "in_progress"
    main = appeal(world)
    duplicate = appeal(world, actor=world.users["staff"], channel="phone", place="3号楼")
    actions.merge_appeal(actor=staff, duplicate=duplicate, into=main)
    frozen(at("2026-06-08 10:00"))
    late = actions.accept_appeal(actor=staff, appeal=main)  # after its contact deadline
    late = actions.resolve_appeal(actor=staff, appeal=late, note="已清理")
    actions.report_back(actor=staff, appeal=late, note="已清理")
    duplicate.refresh_from_db()
    actions.give_verdict(actor=staff, appeal=duplicate, verdict="very_satisfied")
    frozen(at("2026-06-09 00:30"))
    reopened = actions.resolve_appeal(actor=staff, appeal=reopened, note="再次处理")
    reopened = actions.report_back(actor=staff, appeal=reopened, note="已再次处理")
    actions.give_verdict(actor=resident, appeal=reopened, verdict="satisfied")
    # Never judged: the tick closes it as "no verdict" weeks later.
    silent = close(world, None)
    actions.tick(now=at("2026-06-14 10:00"))
    actions.tick(now=at("2026-06-30 10:00"))
    silent.refresh_from_db()
    assert (silent.status, silent.verdict) == ("closed", "none")
    assert {satisfied.status, cannot.status, never_accepted.status} == {"closed", "received"}

    days = [dt.date(2026, 6, 1) + dt.timedelta(days=n) for n in range(40)]
    for first in days[::3]:
        for last in days[::4]:
            if first <= last:
                assert counted(world, first, last) == raw(world, first, last), (first, last)
    assert counted(world, days[0], days[-1]) == raw(world, days[0], days[-1])
    # Recomputing from scratch gives the table that the steps kept.
    kept = table()
    assert kept
    assert rebuild_daily_rates() == len(kept)
    assert table() == kept
    assert AuditEvent.objects.filter(code="appeals.rates_rebuilt").exists()


def test_the_day_is_the_local_day(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen(at("2026-06-01 23:50"))
    close(world, "satisfied")  # closed at 23:50 Shanghai time: 15:50 UTC, same day
    frozen(at("2026-06-02 00:10"))
    close(world, "satisfied")  # 16:10 UTC on June 1st, but June 2nd here
    june_1 = counted(world, dt.date(2026, 6, 1), dt.date(2026, 6, 1))
    june_2 = counted(world, dt.date(2026, 6, 2), dt.date(2026, 6, 2))
    assert (june_1[2], june_2[2]) == (1, 1)
    assert june_1 == raw(world, dt.date(2026, 6, 1), dt.date(2026, 6, 1))


def test_breakdown_by_community_and_monthly_trend(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen(at("2026-05-20 10:00"))
    close(world, "satisfied")
    frozen(at("2026-06-03 10:00"))
    close(world, "dissatisfied")
    close(world, "very_satisfied", cannot=True)
    ids = [world.community.pk, world.other.pk]
    rows = dict(daily_rates_by_community(ids, dt.date(2026, 6, 1), dt.date(2026, 6, 30)))
    june = rows[world.community.name]
    assert (june.due, june.closed, june.resolved, june.satisfied) == (2, 1, 0, 1)
    assert world.other.name not in rows  # nothing there
    trend = dict(monthly_trend(ids, dt.date(2026, 6, 15), months=3))
    assert list(trend) == [dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert trend[dt.date(2026, 4, 1)].due == 0
    assert (trend[dt.date(2026, 5, 1)].due, trend[dt.date(2026, 5, 1)].satisfied) == (1, 1)
    assert trend[dt.date(2026, 6, 1)].closed == 1


def test_the_counts_are_kept_by_the_actions_not_by_a_plain_save(world: World) -> None:
    a = appeal(world)
    kept = table()
    loaded = Appeal.objects.get(pk=a.pk)
    loaded.status = "invalid"
    loaded.save(update_fields=["status"])  # not an action: the counts are left as they were
    assert table() == kept
    rebuild_daily_rates()  # what `linli rebuild_rates` does after writes outside the actions
    assert table() == {}


def test_rebuild_after_a_bulk_load(world: World) -> None:
    close(world, "satisfied")
    DailyRates.objects.all().delete()  # as after loading appeals with COPY
    call_command("rebuild_rates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = timezone.localdate()
    span = (today - dt.timedelta(days=3), today + dt.timedelta(days=3))
    assert counted(world, *span) == raw(world, *span)
    assert counted(world, *span)[2] == 1
