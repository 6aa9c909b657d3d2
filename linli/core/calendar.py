"""The working-day calendar: official holidays and adjusted working weekends (调休).

Data comes from `chinese-calendar`, corrected by administrators' CalendarOverride rows.
Beyond the years the data covers, Monday to Friday count as working days and every result
says it is an estimate.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

import chinese_calendar
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from linli.core.models import CalendarOverride


@dataclass(frozen=True)
class Deadline:
    at: dt.datetime
    estimated: bool


@cache
def data_years() -> tuple[int, int]:
    """First and last year the official calendar data covers."""
    years = {d.year for d in chinese_calendar.holidays} | {
        d.year for d in chinese_calendar.workdays
    }
    return min(years), max(years)


def _official(day: dt.date) -> tuple[bool, bool]:
    first, last = data_years()
    if first <= day.year <= last:
        return chinese_calendar.is_workday(day), False
    return day.weekday() < 5, True


# Each process keeps the overrides for a short while: a deadline is computed on every intake,
# and overrides change a few times a year. A read inside a transaction always queries (it may
# need to see the transaction's own change); a change clears this process's copy at once and
# again on commit; other processes see it within OVERRIDES_TTL seconds.
OVERRIDES_TTL = 60.0
_cached: tuple[float, dict[dt.date, bool]] | None = None


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    global _cached
    if transaction.get_connection().in_atomic_block:
        return dict(
            CalendarOverride.objects.filter(date__range=(start, end)).values_list(
                "date", "is_working_day"
            )
        )
    now = time.monotonic()
    if _cached is None or now - _cached[0] > OVERRIDES_TTL:
        _cached = (now, dict(CalendarOverride.objects.values_list("date", "is_working_day")))
    return _cached[1]


def forget_overrides(**_kwargs: Any) -> None:
    """Drop this process's copy of the overrides (now, and once the change commits)."""
    global _cached
    _cached = None
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(forget_overrides)


post_save.connect(forget_overrides, sender=CalendarOverride, dispatch_uid="calendar-saved")
post_delete.connect(forget_overrides, sender=CalendarOverride, dispatch_uid="calendar-deleted")


class WorkingCalendar:
    """Answers "is this a working day?" for a span, with the overrides loaded once."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.overrides = _overrides(start, end)
        self.estimated = False

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        working, estimated = _official(day)
        self.estimated = self.estimated or estimated
        return working


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)


def _local(instant: dt.datetime) -> dt.datetime:
    if timezone.is_naive(instant):
        raise ValueError("deadlines are computed from aware datetimes only")
    return timezone.localtime(instant)


def add_working_days(start: dt.datetime, days: int) -> Deadline:
    """The end of the `days`-th working day after the start's date (the start day not counted).

    E.g. accepted on Friday with 3 working days: the deadline is the end of next Wednesday,
    skipping the weekend, holidays, and counting adjusted working Saturdays.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    local = _local(start)
    calendar = WorkingCalendar(local.date(), local.date() + dt.timedelta(days=days * 3 + 40))
    day = local.date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=local.tzinfo)
    return Deadline(timezone.localtime(end), calendar.estimated)


def add_calendar_days(start: dt.datetime, days: int) -> Deadline:
    """The end of a period of `days` natural days (e.g. a 7-day public notice).

    Civil Code art. 201: the starting day is not counted; art. 203: a period whose last day
    is a statutory holiday ends on the first working day after it.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    local = _local(start)
    last = local.date() + dt.timedelta(days=days)
    calendar = WorkingCalendar(last, last + dt.timedelta(days=40))
    while days and not calendar.is_working_day(last):
        last += dt.timedelta(days=1)
    end = dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=local.tzinfo)
    return Deadline(timezone.localtime(end), calendar.estimated)


def _working_windows() -> list[tuple[dt.time, dt.time]]:
    return [
        (dt.time.fromisoformat(begin), dt.time.fromisoformat(end))
        for begin, end in settings.WORKING_HOURS
    ]


def add_working_hours(start: dt.datetime, hours: float) -> Deadline:
    """The instant `hours` of office time after `start`, counting only working-day office hours."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    local = _local(start)
    tz = local.tzinfo
    remaining = dt.timedelta(hours=hours)
    windows = _working_windows()
    calendar = WorkingCalendar(local.date(), local.date() + dt.timedelta(days=int(hours) + 60))
    day = local.date()
    cursor = local
    while True:
        if calendar.is_working_day(day):
            for begin, end in windows:
                w_start = dt.datetime.combine(day, begin, tzinfo=tz)
                w_end = dt.datetime.combine(day, end, tzinfo=tz)
                if cursor >= w_end:
                    continue
                cursor = max(cursor, w_start)
                available = w_end - cursor
                if remaining <= available:
                    return Deadline(timezone.localtime(cursor + remaining), calendar.estimated)
                remaining -= available
                cursor = w_end
        day += dt.timedelta(days=1)
        cursor = dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)


def coverage_warning(today: dt.date | None = None) -> str | None:
    """A message for administrators when the official data runs out within 90 days."""
    today = today or timezone.localdate()
    _first, last = data_years()
    if today + dt.timedelta(days=90) > dt.date(last, 12, 31):
        return str(last)
    return None
