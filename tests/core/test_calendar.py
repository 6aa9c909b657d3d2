"""Working days from the official calendar (with 调休), overrides and the estimate beyond it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from linli.core.access import SYSTEM
from linli.core.actions import set_calendar_override
from linli.core.calendar import (
    add_working_days,
    add_working_hours,
    coverage_warning,
    data_years,
    is_working_day,
)
from linli.core.errors import AccessDenied

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        # National Day 2025: Oct 1–8 off; Sunday Sep 28 and Saturday Oct 11 are working days.
        ("2025-09-30 10:00", 1, "2025-10-09 23:59:59"),
        ("2025-09-26 17:00", 1, "2025-09-28 23:59:59"),
        ("2025-10-09 09:00", 2, "2025-10-11 23:59:59"),
        # Spring Festival 2026: Feb 15–23 off, Saturday Feb 14 and Feb 28 worked.
        ("2026-02-13 09:00", 1, "2026-02-14 23:59:59"),
        ("2026-02-14 09:00", 1, "2026-02-24 23:59:59"),
        # An ordinary week: Friday + 3 working days is Wednesday.
        ("2026-06-05 15:00", 3, "2026-06-10 23:59:59"),
        ("2026-06-05 15:00", 0, "2026-06-05 23:59:59"),
    ],
)
def test_add_working_days(start: str, days: int, deadline: str) -> None:
    result = add_working_days(at(start), days)
    assert result.at == at(deadline)
    assert result.estimated is False


@pytest.mark.django_db
def test_adjusted_weekend_days_are_working_days() -> None:
    assert is_working_day(dt.date(2026, 1, 4))  # a Sunday, worked for New Year
    assert not is_working_day(dt.date(2026, 10, 7))  # a Wednesday in the National Day holiday


@pytest.mark.django_db
def test_beyond_the_calendar_data_monday_to_friday_is_estimated() -> None:
    _first, last = data_years()
    monday = dt.date(last + 1, 3, 1)
    monday -= dt.timedelta(days=monday.weekday())
    result = add_working_days(dt.datetime.combine(monday, dt.time(10), tzinfo=SH), 5)
    assert result.at.date() == monday + dt.timedelta(days=7)
    assert result.estimated is True


@pytest.mark.django_db
def test_the_admin_is_warned_when_the_data_runs_out() -> None:
    _first, last = data_years()
    assert coverage_warning(dt.date(last, 1, 10)) is None
    assert coverage_warning(dt.date(last, 11, 1)) == str(last)


@pytest.mark.django_db
def test_an_override_turns_a_working_day_into_a_day_off(world: object) -> None:
    set_calendar_override(
        actor=SYSTEM, date=dt.date(2026, 6, 8), is_working_day=False, note="local holiday"
    )
    assert add_working_days(at("2026-06-05 15:00"), 1).at == at("2026-06-09 23:59:59")


@pytest.mark.django_db
def test_only_an_admin_may_override_the_calendar(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AccessDenied):
        set_calendar_override(
            actor=world.users["leader"], date=dt.date(2026, 6, 8), is_working_day=False
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "hours", "deadline"),
    [
        ("2026-06-08 09:00", 2, "2026-06-08 11:00"),
        ("2026-06-08 11:00", 2, "2026-06-08 14:30"),  # lunch 12:00–13:30 not counted
        ("2026-06-05 16:30", 2, "2026-06-08 09:30"),  # Friday afternoon → Monday morning
        ("2026-06-06 10:00", 1, "2026-06-08 09:30"),  # asked on Saturday
        ("2026-09-30 17:00", 2, "2026-10-08 10:00"),  # across the National Day holiday
        ("2026-06-08 07:00", 0.5, "2026-06-08 09:00"),
    ],
)
def test_add_working_hours(start: str, hours: float, deadline: str) -> None:
    assert add_working_hours(at(start), hours).at == at(deadline)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_working_days(dt.datetime(2026, 6, 1), 1)  # noqa: DTZ001


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_overrides_are_kept_a_while_and_forgotten_when_changed() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from linli.core.calendar import is_working_day
    from tests.world import make_user

    day = dt.date(2026, 6, 3)  # a Wednesday
    assert is_working_day(day)
    with CaptureQueriesContext(connection) as kept:
        assert is_working_day(day)
    assert len(kept) == 0  # outside a transaction, the process's copy answers
    admin = make_user("calendar-admin", is_superuser=True)
    set_calendar_override(actor=admin, date=day, is_working_day=False, note="临时调整")
    assert not is_working_day(day)  # the change cleared the copy
