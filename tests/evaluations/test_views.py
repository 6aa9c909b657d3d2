"""The campaign page shows each role only the steps the workflow lets it take, and each step
has its own view."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from linli.evaluations import actions
from linli.evaluations.models import Campaign, PaperBatch, Status
from tests.evaluations.helpers import closed, make, sheet
from tests.world import World

STEPS = ("open", "close", "publish", "paper_out", "batches")


def _shown(client: Client, world: World, role: str, campaign: Campaign) -> set[str]:
    """The campaign's step URLs that the role finds on its page."""
    client.force_login(world.users[role])
    page = client.get(reverse("evaluations:detail", args=["xfl", campaign.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    return {s for s in STEPS if reverse(f"evaluations:{s}", args=["xfl", campaign.pk]) in html}


def test_each_role_sees_the_steps_it_may_take(world: World, client: Client) -> None:
    draft = make(world)
    assert _shown(client, world, "leader", draft) == {"open"}
    assert _shown(client, world, "staff", draft) == set()
    assert _shown(client, world, "supervisor", draft) == set()
    opened = actions.open_campaign(actor=world.users["leader"], campaign=draft)
    assert _shown(client, world, "leader", opened) == {"close", "paper_out", "batches"}
    assert _shown(client, world, "staff", opened) == {"paper_out", "batches"}
    assert _shown(client, world, "supervisor", opened) == set()
    done = closed(world, title="已结束")
    assert _shown(client, world, "leader", done) == {"publish"}
    assert _shown(client, world, "staff", done) == set()
    published = actions.publish_results(actor=world.users["leader"], campaign=done)
    assert _shown(client, world, "leader", published) == set()


def test_batches_are_links_only_for_who_may_open_them(world: World, client: Client) -> None:
    campaign = actions.open_campaign(actor=world.users["leader"], campaign=make(world))
    batch = actions.start_batch(actor=world.users["staff"], campaign=campaign, sheets=1)
    url = reverse("evaluations:batch", args=["xfl", batch.pk])
    page = reverse("evaluations:detail", args=["xfl", campaign.pk])
    client.force_login(world.users["staff"])
    assert url in client.get(page).content.decode()
    client.force_login(world.users["supervisor"])
    shown = client.get(page).content.decode()
    assert url not in shown


def test_a_colleague_checks_a_batch_on_its_own_url(world: World, client: Client) -> None:
    staff, leader = world.users["staff"], world.users["leader"]
    campaign = actions.open_campaign(actor=leader, campaign=make(world))
    batch = actions.start_batch(actor=staff, campaign=campaign, sheets=1)
    actions.enter_sheet(actor=staff, batch=batch, raw=sheet(campaign, 4, 80))
    check = reverse("evaluations:check_batch", args=["xfl", batch.pk])
    client.force_login(staff)
    assert (
        check
        not in client.get(reverse("evaluations:batch", args=["xfl", batch.pk])).content.decode()
    )
    client.post(check)  # who entered it may not check it: a message, nothing changes
    assert PaperBatch.objects.get().checked is False
    client.force_login(leader)
    assert (
        check in client.get(reverse("evaluations:batch", args=["xfl", batch.pk])).content.decode()
    )
    response = client.post(check)
    assert response["Location"] == reverse("evaluations:detail", args=["xfl", campaign.pk])
    assert PaperBatch.objects.get().checked_by == leader


def test_open_close_and_publish_each_have_a_view(world: World, client: Client) -> None:
    client.force_login(world.users["leader"])
    campaign = make(world)
    client.post(reverse("evaluations:open", args=["xfl", campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == Status.OPEN
    actions.answer_campaign(
        actor=world.users["resident"], campaign=campaign, raw=sheet(campaign, 2, 60)
    )
    client.post(reverse("evaluations:close", args=["xfl", campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == Status.CLOSED
    client.post(reverse("evaluations:publish", args=["xfl", campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == Status.PUBLISHED
    client.force_login(world.users["staff"])
    assert client.post(reverse("evaluations:open", args=["xfl", campaign.pk])).status_code == 403
