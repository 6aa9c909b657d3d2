"""The staff evaluation sheet: one staff member's scores, appeals and visits over a period."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.appeals import actions as appeals
from linli.care.actions import VisitInput, record_visit
from linli.dashboard.staff_sheet import staff_sheet
from linli.evaluations import actions as evaluations
from tests.appeals.helpers import appeal
from tests.ballots.helpers import voter
from tests.evaluations.helpers import make, sheet
from tests.world import World


def _handled_and_judged(world: World) -> None:
    staff = world.users["staff"]
    a = appeals.accept_appeal(actor=staff, appeal=appeal(world))
    a = appeals.resolve_appeal(actor=staff, appeal=a, note="已处理")
    a = appeals.report_back(actor=staff, appeal=a, note="已处理")
    appeals.give_verdict(actor=world.users["resident"], appeal=a, verdict="satisfied")


def test_the_sheet_gathers_verdicts_rates_and_visits(world: World) -> None:
    staff = world.users["staff"]
    _handled_and_judged(world)
    today = timezone.localdate()
    record_visit(
        actor=staff,
        resident=world.residents["wang"],
        data=VisitInput(visited_on=today, place="home", visitors=(staff,)),
        idempotency_key="sheet-visit",
    )
    got = staff_sheet(world.community, staff, today - dt.timedelta(days=1), today)
    assert got.verdicts == {"satisfied": 1}
    assert got.rates is not None
    assert got.rates.satisfaction == 100
    assert got.overdue == 0
    assert got.visits == 1
    assert got.scores == []
    # Another period holds none of it.
    earlier = staff_sheet(
        world.community, staff, today - dt.timedelta(days=30), today - dt.timedelta(days=2)
    )
    assert (earlier.verdicts, earlier.visits) == ({}, 0)


def test_the_sheet_shows_a_score_only_where_enough_answered(world: World) -> None:
    leader, staff = world.users["leader"], world.users["staff"]
    people = [voter(world) for _ in range(5)]
    few = evaluations.open_campaign(actor=leader, campaign=make(world, title="人少"))
    for person in people[:4]:
        evaluations.answer_campaign(actor=person.user, campaign=few, raw=sheet(few, 4, 80))
    evaluations.close_campaign(actor=leader, campaign=few)
    enough = evaluations.open_campaign(actor=leader, campaign=make(world, title="人够"))
    for person in people:
        evaluations.answer_campaign(actor=person.user, campaign=enough, raw=sheet(enough, 4, 90))
    evaluations.publish_results(
        actor=leader, campaign=evaluations.close_campaign(actor=leader, campaign=enough)
    )
    today = timezone.localdate()
    got = staff_sheet(world.community, staff, today, today + dt.timedelta(days=14))
    assert sorted(got.scores) == [("人够", "90.0", 5), ("人少", None, 4)]


def test_the_page_for_a_leader_to_print(world: World, client: Client) -> None:
    _handled_and_judged(world)
    client.force_login(world.users["leader"])
    url = reverse("dashboard:staff_sheet", args=["xfl"])
    assert client.get(url).context["sheet"] is None
    today = timezone.localdate().isoformat()
    page = client.get(url, {"staff": world.users["staff"].pk, "first": today, "last": today})
    assert page.status_code == 200
    assert page.context["sheet"].verdicts == {"satisfied": 1}
    assert page.context["sheet"].staff == world.users["staff"]


def test_the_evaluations_list_links_the_sheet_only_for_who_may_read_it(
    world: World, client: Client
) -> None:
    url = reverse("dashboard:staff_sheet", args=["xfl"])
    for role, shown in (("leader", True), ("supervisor", True), ("staff", False)):
        client.force_login(world.users[role])
        page = client.get(reverse("evaluations:list", args=["xfl"])).content.decode()
        assert (url in page) is shown, role
