"""Publishing a campaign's results: once, on the board, together with the campaign's status."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from linli.core import audit
from linli.core.errors import AccessDenied, DomainError
from linli.evaluations import actions
from linli.evaluations.models import Campaign, Status
from linli.notices.models import Notice
from tests.evaluations.helpers import closed, make
from tests.world import World


def test_the_results_are_published_once(world: World) -> None:
    leader = world.users["leader"]
    campaign = closed(world)
    published = actions.publish_results(actor=leader, campaign=campaign)
    assert published.status == Status.PUBLISHED
    notice = Notice.objects.get()
    assert published.notice == notice
    assert "2026年居民满意度测评" in notice.title
    # The second click of a double click holds the campaign as it was before the first.
    with pytest.raises(DomainError) as twice:
        actions.publish_results(actor=leader, campaign=campaign)
    assert twice.value.code == "campaign_state"
    assert Notice.objects.count() == 1
    assert Campaign.objects.get().status == Status.PUBLISHED


def test_a_failure_after_the_publish_leaves_neither_the_status_nor_the_notice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = closed(world)
    record = audit.record

    def failing(**kwargs: Any) -> Any:
        if kwargs["code"] == "evaluations.results_published":
            raise RuntimeError("the audit trail is down")
        return record(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        actions.publish_results(actor=world.users["leader"], campaign=campaign)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.notice_id) == (Status.CLOSED, None)
    assert not Notice.objects.exists()


def test_only_a_leader_publishes_and_only_closed_results(world: World) -> None:
    campaign = closed(world)
    with pytest.raises(AccessDenied):
        actions.publish_results(actor=world.users["staff"], campaign=campaign)
    draft = make(world, title="尚未开始")
    with pytest.raises(DomainError) as early:
        actions.publish_results(actor=world.users["leader"], campaign=draft)
    assert early.value.code == "campaign_state"
    assert not Notice.objects.exists()
    assert set(Campaign.objects.values_list("status", flat=True)) == {Status.CLOSED, Status.DRAFT}


def test_published_results_keep_their_page_and_export(world: World, client: Any) -> None:
    leader = world.users["leader"]
    campaign = closed(world)
    client.force_login(leader)
    page = f"/c/xfl/evaluations/{campaign.pk}/"
    publish = reverse("evaluations:publish", args=["xfl", campaign.pk])
    assert publish in client.get(page).content.decode()
    assert client.post(publish).status_code == 302
    assert client.post(publish).status_code == 302  # the double click: refused, a message
    assert Notice.objects.count() == 1
    shown = client.get(page).content.decode()
    assert publish not in shown
    assert reverse("notices:detail", args=["xfl", Notice.objects.get().pk]) in shown
    assert client.get(f"/c/xfl/evaluations/{campaign.pk}/results.xlsx").status_code == 200
