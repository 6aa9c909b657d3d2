"""Meeting screens: refusals keep what was typed, double clicks make one record."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.meetings import actions
from linli.meetings.models import Petition, Resolution
from tests.meetings.helpers import opened, plan
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


def forms_on(client: Client, meeting_pk: int) -> set[str]:
    """The meeting steps whose forms the page offers (their URLs' last part)."""
    page = client.get(reverse("meetings:detail", args=["xfl", meeting_pk])).content.decode()
    steps = {"open", "cancel", "close", "approve", "search", "opinion", "resolution"}
    return {step for step in steps if f"/meetings/{meeting_pk}/{step}/" in page}


def test_each_role_sees_the_steps_it_may_take(world: World, client: Client) -> None:
    planned = plan(world)
    client.force_login(world.users["staff"])
    assert forms_on(client, planned.pk) == {"open"}  # cancelling is the leader's
    client.force_login(world.users["leader"])
    assert forms_on(client, planned.pk) == {"open", "cancel"}
    client.force_login(world.users["supervisor"])
    assert forms_on(client, planned.pk) == set()
    session = opened(world)
    client.force_login(world.users["staff"])
    assert forms_on(client, session.pk) == {"search", "opinion", "resolution", "close"}
    # Minutes planned by the leader: the staff member is not their chair.
    chaired = actions.open_meeting(
        actor=world.users["leader"],
        meeting=actions.plan_meeting(
            actor=world.users["leader"],
            community=world.community,
            data=actions.MeetingInput(
                kind="forum", topic="座谈会", starts_at=timezone.now(), place="活动室"
            ),
            idempotency_key="chaired-by-leader",
        ),
    )
    closed = actions.close_meeting(actor=world.users["leader"], meeting=chaired)
    assert forms_on(client, closed.pk) == set()
    client.force_login(world.users["leader"])
    assert forms_on(client, closed.pk) == {"approve"}
    response = client.post(reverse("meetings:approve", args=["xfl", closed.pk]))
    assert response.status_code == 302
    assert forms_on(client, closed.pk) == set()  # published: nothing changes any more


def test_the_petition_page_offers_signing_until_the_meeting(world: World, client: Client) -> None:
    petition = actions.start_petition(
        actor=world.users["staff"], community=world.community, basis="households", subject="停车"
    )
    url = reverse("meetings:petition", args=["xfl", petition.pk])
    client.force_login(world.users["resident"])
    assert f"/petitions/{petition.pk}/sign/" in client.get(url).content.decode()
    client.force_login(world.users["staff"])
    page = client.get(url).content.decode()
    assert f"/petitions/{petition.pk}/paper/" in page
    assert f"/petitions/{petition.pk}/sign/" not in page
    opened(world, kind="residents_meeting", body="adults", petition=petition)
    assert f"/petitions/{petition.pk}/paper/" not in client.get(url).content.decode()
    client.force_login(world.users["resident"])
    assert f"/petitions/{petition.pk}/sign/" not in client.get(url).content.decode()
