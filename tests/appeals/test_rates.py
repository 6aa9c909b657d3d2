"""The three rates on a dataset small enough to count by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.appeals import actions
from linli.appeals.actions import publish_monthly_results
from linli.appeals.models import Appeal
from linli.appeals.rates import rates_by, three_rates
from linli.core.errors import AccessDenied
from linli.notices.models import Notice
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


def test_rates_by_handler_and_category(world: World) -> None:
    close(world, "satisfied")
    close(world, "dissatisfied")
    start = dt.datetime(2000, 1, 1, tzinfo=SH)
    end = dt.datetime(2100, 1, 1, tzinfo=SH)
    by_handler = rates_by(Appeal.objects.all(), start, end, "handler")
    assert [(name, r.due, r.responded) for name, r in by_handler] == [("测试staff", 2, 2)]
    by_category = dict(rates_by(Appeal.objects.all(), start, end, "category"))
    environment = by_category["环境卫生"]
    # The dissatisfied one was reopened: it is open again, so only one is closed.
    assert (environment.closed, environment.rated, environment.satisfied) == (1, 1, 1)


def test_the_rates_page(client, world: World) -> None:  # type: ignore[no-untyped-def]
    close(world, "satisfied")
    client.force_login(world.users["leader"])
    url = reverse("appeals:rates", args=["xfl"])
    page = client.get(url, {"by": "category"}).content.decode()
    assert "环境卫生" in page
    assert "100.0%" in page
    assert 'id="rates-trend"' in page
    assert client.get(url, {"start": "2026-12-01", "end": "2026-01-01"}).status_code == 200
    assert client.get(url, {"by": "nonsense"}).status_code == 200


def test_a_months_results_go_on_the_board_without_names(world: World) -> None:
    shown = close(world, "satisfied")
    Appeal.objects.filter(pk=shown.pk).update(allow_public=True)
    close(world, "very_satisfied")  # not agreed to be shown
    with pytest.raises(AccessDenied):
        publish_monthly_results(
            actor=world.users["staff"], community=world.community, month=timezone.localdate()
        )
    notice = publish_monthly_results(
        actor=world.users["leader"], community=world.community, month=timezone.localdate()
    )
    assert Notice.objects.get() == notice
    assert notice.kind == "opinion_results"
    assert "环境卫生" in notice.body
    assert notice.body.count("环境卫生") == 1
    assert "楼道" not in notice.body  # what the resident wrote stays private
    assert "张三" not in notice.body


def test_a_supervisor_compares_the_communities(client, world: World) -> None:  # type: ignore[no-untyped-def]
    close(world, "satisfied")
    client.force_login(world.users["supervisor"])
    url = reverse("appeals:subdistrict_rates", args=[world.community.subdistrict_id])
    page = client.get(url).content.decode()
    assert "幸福里社区" in page
    assert "100.0%" in page
    other = reverse("appeals:subdistrict_rates", args=[world.other.subdistrict_id])
    assert client.get(other).status_code == 404
