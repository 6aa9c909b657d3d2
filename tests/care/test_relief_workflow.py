"""A relief campaign moves draft → open → closed; each step by its roles, and the pages show
only the buttons a person may press."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from linli.care import actions
from linli.care.models import Recipient, ReliefCampaign
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from tests.care.test_care import person
from tests.world import World


def _campaign(world: World) -> ReliefCampaign:
    return actions.create_relief(
        actor=world.users["leader"],
        community=world.community,
        title="春节慰问",
        budget=Decimal("1000"),
        per_person_limit=Decimal("400"),
        standard_amount=Decimal("200"),
    )


def test_each_step_starts_only_from_its_status(world: World) -> None:
    leader, staff = world.users["leader"], world.users["staff"]
    old = person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    other = person(world, "低保户乙", dt.date(1960, 5, 1), ["dibao"], 2)
    campaign = _campaign(world)
    with pytest.raises(DomainError) as not_open:
        actions.close_relief(actor=leader, campaign=campaign)
    assert not_open.value.code == "campaign_state"
    with pytest.raises(DomainError) as draft:
        actions.add_recipient(actor=leader, campaign=campaign, resident=old)
    assert draft.value.code == "campaign_state"
    campaign = actions.open_relief(actor=leader, campaign=campaign)
    with pytest.raises(DomainError) as twice:
        actions.open_relief(actor=leader, campaign=campaign)
    assert twice.value.code == "campaign_state"
    recipient = Recipient.objects.get(campaign=campaign, resident=other)
    actions.close_relief(actor=leader, campaign=campaign)
    with pytest.raises(DomainError) as closed:
        actions.give_relief(actor=staff, recipient=recipient)
    assert closed.value.code == "campaign_state"
    recipient.refresh_from_db()
    assert recipient.received_on is None
    assert ReliefCampaign.objects.get(pk=campaign.pk).status == "closed"


def test_only_leaders_open_and_close(world: World) -> None:
    person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    campaign = _campaign(world)
    with pytest.raises(AccessDenied):
        actions.open_relief(actor=world.users["staff"], campaign=campaign)
    assert ReliefCampaign.objects.get(pk=campaign.pk).status == "draft"
    assert not Recipient.objects.filter(campaign=campaign).exists()
    campaign = actions.open_relief(actor=world.users["leader"], campaign=campaign)
    with pytest.raises(AccessDenied):
        actions.close_relief(actor=world.users["staff"], campaign=campaign)
    assert ReliefCampaign.objects.get(pk=campaign.pk).status == "open"
    assert not AuditEvent.objects.filter(code="care.relief_closed").exists()


def _page(client: Client, world: World, role: str, campaign: ReliefCampaign) -> str:
    client.force_login(world.users[role])
    response = client.get(reverse("care:relief", args=["xfl", campaign.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_campaign_page_shows_each_person_their_buttons(client: Client, world: World) -> None:
    person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    campaign = _campaign(world)
    open_url = reverse("care:relief_open", args=["xfl", campaign.pk])
    close_url = reverse("care:relief_close", args=["xfl", campaign.pk])
    assert open_url in _page(client, world, "leader", campaign)
    assert open_url not in _page(client, world, "staff", campaign)
    actions.open_relief(actor=world.users["leader"], campaign=campaign)
    recipient = Recipient.objects.get(campaign=campaign)
    give_url = reverse("care:give", args=["xfl", recipient.pk])
    leader_page = _page(client, world, "leader", campaign)
    assert (open_url in leader_page, close_url in leader_page) == (False, True)
    staff_page = _page(client, world, "staff", campaign)
    assert (give_url in staff_page, close_url in staff_page) == (True, False)
    supervisor_page = _page(client, world, "supervisor", campaign)
    assert give_url not in supervisor_page
    assert close_url not in supervisor_page


def test_a_supervisor_sees_no_link_to_visits_of_their_own(client: Client, world: World) -> None:
    due = reverse("care:due", args=["xfl"])
    client.force_login(world.users["supervisor"])
    assert due not in client.get(reverse("care:register", args=["xfl"])).content.decode()
    client.force_login(world.users["staff"])
    assert due in client.get(reverse("care:register", args=["xfl"])).content.decode()
