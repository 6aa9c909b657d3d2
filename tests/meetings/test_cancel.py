"""Cancelling a meeting: a leader, a planned meeting, a reason; the invited organisations are
told and the announcement comes off the board; a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Notification
from linli.meetings import actions
from linli.meetings.models import Meeting, Status
from linli.notices.models import Notice
from tests.appeals.helpers import categories
from tests.meetings.helpers import opened, opinion_key, plan
from tests.permissions import snapshot
from tests.world import World


def test_a_leader_cancels_a_planned_meeting(world: World) -> None:
    meeting = plan(world, announce=True)
    invitation = meeting.invitations.get()
    cancelled = actions.cancel_meeting(
        actor=world.users["leader"], meeting=meeting, reason="  场地临时占用  "
    )
    assert cancelled.status == Status.CANCELLED
    # The invitation stays on record; the organisation's liaison is told why.
    assert meeting.invitations.get() == invitation
    told = Notification.objects.get(user=world.users["liaison"], code="meetings.cancelled")
    assert told.data == {"topic": "供水问题座谈会", "reason": "场地临时占用"}
    # The announcement is withdrawn with the same reason.
    announcement = Notice.objects.get(pk=meeting.announcement_id)
    assert (announcement.status, announcement.withdrawal_reason) == ("withdrawn", "场地临时占用")
    event = AuditEvent.objects.get(code="meetings.cancelled")
    assert (event.actor, event.data["reason"]) == (world.users["leader"], "场地临时占用")
    # Nothing more happens to a cancelled meeting.
    with pytest.raises(DomainError) as reopened:
        actions.open_meeting(actor=world.users["staff"], meeting=cancelled)
    assert reopened.value.code == "meeting_state"
    with pytest.raises(DomainError) as confirmed:
        actions.confirm_invitation(
            actor=world.users["liaison"], invitation=invitation, attendees="李工程师"
        )
    assert confirmed.value.code == "meeting_state"
    assert cancelled not in Meeting.objects.coming_for_resident(world.users["resident"])


def test_a_meeting_without_announcement_or_invitations_is_cancelled_quietly(
    world: World,
) -> None:
    meeting = plan(world, organisations=())
    actions.cancel_meeting(actor=world.users["admin"], meeting=meeting, reason="改期")
    assert Meeting.objects.get(pk=meeting.pk).status == Status.CANCELLED
    assert not Notification.objects.filter(code="meetings.cancelled").exists()


@pytest.mark.parametrize("role", ["staff", "supervisor", "liaison", "resident"])
def test_only_a_leader_cancels(world: World, role: str) -> None:
    meeting = plan(world, announce=True)
    before = snapshot()
    with pytest.raises(AccessDenied) as refused:
        actions.cancel_meeting(actor=world.users[role], meeting=meeting, reason="改期")
    assert refused.value.code == "access_denied"
    assert snapshot() == before


def test_a_cancellation_needs_a_reason(world: World) -> None:
    meeting = plan(world)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        actions.cancel_meeting(actor=world.users["leader"], meeting=meeting, reason="   ")
    assert refused.value.code == "reason_missing"
    assert snapshot() == before


def _open(world: World) -> Meeting:
    return opened(world)


def _closed(world: World) -> Meeting:
    return actions.close_meeting(actor=world.users["staff"], meeting=opened(world))


def _published(world: World) -> Meeting:
    return actions.approve_minutes(actor=world.users["staff"], meeting=_closed(world))


def _cancelled(world: World) -> Meeting:
    return actions.cancel_meeting(actor=world.users["leader"], meeting=plan(world), reason="改期")


@pytest.mark.parametrize("make", [_open, _closed, _published, _cancelled])
def test_only_a_planned_meeting_is_cancelled(
    world: World, make: Callable[[World], Meeting]
) -> None:
    meeting = make(world)
    status = meeting.status
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        actions.cancel_meeting(actor=world.users["leader"], meeting=meeting, reason="改期")
    assert refused.value.code == "meeting_state"
    assert Meeting.objects.get(pk=meeting.pk).status == status
    assert snapshot() == before


def test_an_open_meeting_with_opinions_is_not_cancelled(world: World) -> None:
    meeting = opened(world)
    actions.record_opinion(
        actor=world.users["staff"],
        meeting=meeting,
        idempotency_key=opinion_key(),
        data=actions.OpinionInput(
            text="路灯不亮", handling="follow_up", category=categories()["environment"]
        ),
    )
    with pytest.raises(DomainError) as refused:
        actions.cancel_meeting(actor=world.users["leader"], meeting=meeting, reason="改期")
    assert refused.value.code == "meeting_state"


def test_the_cancel_form(world: World, client: Client) -> None:
    meeting = plan(world)
    url = reverse("meetings:cancel", args=["xfl", meeting.pk])
    client.force_login(world.users["staff"])
    assert client.post(url, {"reason": "改期"}).status_code == 403
    client.force_login(world.users["leader"])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "请填写原因。" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == Status.PLANNED
    response = client.post(url, {"reason": "改期"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Status.CANCELLED
