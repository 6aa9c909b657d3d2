"""The handling page shows each person exactly the steps they may take now, and every button
it shows is taken without a refusal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.appeals import actions
from linli.appeals.models import Appeal
from linli.core.models import Organisation
from tests.appeals.helpers import appeal
from tests.world import World

TARGETS = re.compile(r'(?:form)?action="(/c/xfl/appeals/[^"]+)"')


def _in(world: World, status: str) -> Appeal:
    staff = world.users["staff"]
    a = appeal(world)
    if status == "received":
        return a
    a = actions.accept_appeal(actor=staff, appeal=a)
    if status == "accepted":
        return a
    if status == "referred":
        water = Organisation.objects.get(name="自来水公司")
        return actions.refer_appeal(actor=staff, appeal=a, organisation=water)
    a = actions.resolve_appeal(actor=staff, appeal=a, note="已清理")
    if status == "solved":
        return a
    a = actions.report_back(actor=staff, appeal=a, note="已清理")
    if status == "reported":
        return a
    return actions.give_verdict(actor=world.users["resident"], appeal=a, verdict="satisfied")


def _targets(client: Client, a: Appeal) -> set[str]:
    page = client.get(reverse("appeals:detail", args=["xfl", a.pk])).content.decode()
    return set(TARGETS.findall(page)) - {reverse("appeals:detail", args=["xfl", a.pk])}


def _names(targets: set[str]) -> set[str]:
    return {url.rstrip("/").rsplit("/", 1)[-1] for url in targets}


@pytest.mark.parametrize(
    ("role", "status", "shown"),
    [
        ("staff", "received", {"accept", "dispute", "note", "extend"}),
        ("leader", "received", {"accept", "dispute", "note", "extend", "invalid", "supervise"}),
        ("staff", "accepted", {"dispute", "start", "resolve", "resolve-on-the-spot",
                               "cannot-resolve", "defer", "refer", "note", "extend"}),
        ("staff", "referred", {"note", "extend"}),
        ("liaison", "referred", {"answer", "answer-unresolved"}),
        ("leader", "referred", {"note", "extend", "supervise"}),
        ("staff", "solved", {"report-back", "note", "extend"}),
        ("resident", "reported", {"verdict", "add"}),
        ("staff", "reported", {"note"}),
        ("supervisor", "accepted", set()),
        ("resident", "closed", set()),
    ],
)  # fmt: skip
def test_the_buttons_are_the_steps_allowed_now(
    world: World, client: Client, role: str, status: str, shown: set[str]
) -> None:
    a = _in(world, status)
    client.force_login(world.users[role])
    assert _names(_targets(client, a)) == shown


@pytest.mark.parametrize("status", ["received", "accepted", "referred", "solved", "reported"])
@pytest.mark.parametrize("role", ["staff", "leader", "liaison", "resident", "admin"])
def test_every_button_shown_is_taken_without_a_refusal(
    world: World, client: Client, role: str, status: str
) -> None:
    a = _in(world, status)
    other = appeal(world)
    client.force_login(world.users[role])
    data = {
        "note": "已处理",
        "organisation": Organisation.objects.get(name="自来水公司").pk,
        "days": "2",
        "reason": "等待物业回复",
        "deadline": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        "verdict": "satisfied",
        "approve": "1",
        "into": other.pk,
    }
    for url in _targets(client, a):
        # Each button on its own: the step is taken, then undone for the next one.
        with transaction.atomic():
            response = client.post(url, data)
            errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
            transaction.set_rollback(True)
        assert response.status_code == 302, (url, response.status_code)
        assert errors == [], (url, [str(m) for m in errors])
