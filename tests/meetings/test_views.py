"""Meeting screens: refusals keep what was typed, double clicks make one record."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from linli.meetings.models import Petition, Resolution
from tests.meetings.helpers import opened
from tests.world import World


def test_a_resolution_without_quorum_is_refused_and_the_text_kept(
    world: World, client: Client
) -> None:
    meeting = opened(world, kind="residents_meeting", body="adults", organisations=())
    client.force_login(world.users["staff"])
    url = reverse("meetings:resolution", args=["xfl", meeting.pk])
    data = {
        "vote-text": "同意加装电梯",
        "vote-votes_for": 0,
        "vote-against": 0,
        "vote-abstain": 0,
        "vote-idempotency_key": "v1",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "同意加装电梯" in page  # kept in the form
    assert "No quorum" in page or "未达法定人数" in page
    assert not Resolution.objects.exists()


def test_a_double_click_records_one_vote_and_one_petition(world: World, client: Client) -> None:
    meeting = opened(world)
    client.force_login(world.users["staff"])
    url = reverse("meetings:resolution", args=["xfl", meeting.pk])
    data = {
        "vote-text": "请自来水公司检修",
        "vote-votes_for": 0,
        "vote-against": 0,
        "vote-abstain": 0,
        "vote-idempotency_key": "v2",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Resolution.objects.count() == 1
    client.force_login(world.users["resident"])
    url = reverse("meetings:petitions", args=["xfl"])
    data = {"basis": "adults", "subject": "讨论停车", "idempotency_key": "p1"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Petition.objects.count() == 1


def test_the_secretary_page_and_the_minutes_render(world: World, client: Client) -> None:
    meeting = opened(world)
    client.force_login(world.users["staff"])
    search = client.post(
        reverse("meetings:search", args=["xfl", meeting.pk]), {"find-q": "王五"}
    ).content.decode()
    assert "王五" in search
    minutes = client.get(reverse("meetings:minutes", args=["xfl", meeting.pk]))
    assert minutes.status_code == 200
    counter = client.get(reverse("meetings:count", args=["xfl", meeting.pk])).content.decode()
    assert 'hx-trigger="every 5s"' in counter
