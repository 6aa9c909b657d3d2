"""The three rates on a dataset small enough to count by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from linli.appeals import actions
from linli.appeals.models import Appeal
from linli.appeals.rates import three_rates
from tests.appeals.helpers import appeal
from tests.world import World

SH = ZoneInfo("Asia/Shanghai")


def close(
    world: World, verdict: str | None, *, cannot: bool = False, accept: bool = True
) -> Appeal:
    staff = world.users["staff"]
    a = appeal(world)
    if accept:
        a = actions.accept_appeal(actor=staff, appeal=a)
    else:
        return a
    if cannot:
        a = actions.cannot_resolve(actor=staff, appeal=a, reason="政策不允许")
    else:
        a = actions.resolve_appeal(actor=staff, appeal=a, note="已解决")
    a = actions.report_back(actor=staff, appeal=a, note="答复")
    if verdict:
        a = actions.give_verdict(actor=world.users["resident"], appeal=a, verdict=verdict)
    return a


def test_three_rates_by_hand(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    close(world, "very_satisfied")
    close(world, "satisfied")
    close(world, "basically_satisfied", cannot=True)
    late = close(world, "satisfied")
    # One appeal accepted after its contact deadline, one never accepted.
    Appeal.objects.filter(pk=late.pk).update(
        accepted_at=late.contact_due_at + dt.timedelta(hours=1)
    )
    close(world, None, accept=False)
    invalid = appeal(world)
    actions.mark_invalid(actor=world.users["leader"], appeal=invalid, reason="广告")
    start = dt.datetime(2000, 1, 1, tzinfo=SH)
    end = dt.datetime(2100, 1, 1, tzinfo=SH)
    rates = three_rates(Appeal.objects.all(), start, end)
    # Due: 5 (invalid excluded); responded in time: 3 → 60.0 %.
    assert (rates.due, rates.responded) == (5, 3)
    assert rates.response == Decimal("60.0")
    # Closed: 4; resolved: 3 (one "cannot") → 75.0 %.
    assert (rates.closed, rates.resolved) == (4, 3)
    assert rates.resolution == Decimal("75.0")
    # Rated: 4, all satisfied or better → 100.0 %.
    assert (rates.rated, rates.satisfied) == (4, 4)
    assert rates.satisfaction == Decimal("100.0")
    # Composite with 30/35/35: 0.3*60 + 0.35*75 + 0.35*100 = 79.25 → 79.3.
    assert rates.composite == Decimal("79.3")
    settings.APPEAL_RATE_WEIGHTS = {"response": 1, "resolution": 1, "satisfaction": 2}
    assert rates.composite == Decimal("83.8")


def test_no_appeals_means_no_rate_not_zero(world: World) -> None:
    start = dt.datetime(2000, 1, 1, tzinfo=SH)
    rates = three_rates(Appeal.objects.none(), start, start + dt.timedelta(days=1))
    assert (rates.response, rates.resolution, rates.satisfaction, rates.composite) == (
        None,
        None,
        None,
        None,
    )
