"""Every refusal of an action that makes a record (a meeting, a petition and its signatures, an
opinion, a resolution): the exact code, and nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from linli.core.access import SYSTEM
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Organisation
from linli.meetings import actions
from linli.meetings.models import Petition
from linli.people.actions import ResidentInput, register_resident
from linli.people.models import Resident
from tests.meetings.helpers import opened, plan
from tests.permissions import snapshot
from tests.world import World, id_number


def refused(call: Callable[[], Any]) -> str:
    """Run a refused action; the refusal's code, once sure it wrote nothing."""
    before = snapshot()
    with pytest.raises((DomainError, AccessDenied)) as refusal:
        call()
    assert snapshot() == before
    return str(refusal.value.code)


def meeting_input(**overrides: Any) -> actions.MeetingInput:
    fields: dict[str, Any] = {
        "kind": "forum",
        "topic": "供水座谈会",
        "starts_at": timezone.now() + dt.timedelta(days=1),
        "place": "活动室",
    }
    return actions.MeetingInput(**{**fields, **overrides})


def resident_elsewhere(world: World) -> Resident:
    return register_resident(
        actor=SYSTEM,
        community=world.other,
        data=ResidentInput(
            name="赵六",
            id_number=id_number(dt.date(1970, 1, 1), 55),
            building="1",
            entrance="1",
            room="101",
        ),
    )


def elsewhere() -> Organisation:
    return Organisation.objects.create(kind="power", name="别处的供电所")


@pytest.mark.parametrize("role", ["supervisor", "resident", "liaison", "outsider", "teller"])
def test_planning_is_for_the_community_workers(world: World, role: str) -> None:
    assert (
        refused(
            lambda: actions.plan_meeting(
                actor=world.users[role],
                community=world.community,
                data=meeting_input(),
                idempotency_key="refused",
            )
        )
        == "access_denied"
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kind": "party"}, "kind_unknown"),
        ({"kind": "residents_meeting", "body": ""}, "body_missing"),
        ({"topic": "   "}, "topic_missing"),
        ({"place": ""}, "topic_missing"),
        ({"starts_at": timezone.now() - dt.timedelta(days=1)}, "past"),
        ({"organisations": "elsewhere"}, "organisation_elsewhere"),
        ({"petition": "elsewhere"}, "petition_elsewhere"),
    ],
)
def test_a_meeting_planned_wrongly_is_refused(
    world: World, overrides: dict[str, Any], code: str
) -> None:
    if overrides.get("organisations") == "elsewhere":
        overrides = {"organisations": (elsewhere(),)}
    if overrides.get("petition") == "elsewhere":
        overrides = {
            "petition": actions.start_petition(
                actor=world.users["outsider"], community=world.other, basis="adults", subject="x"
            )
        }
    assert (
        refused(
            lambda: actions.plan_meeting(
                actor=world.users["staff"],
                community=world.community,
                data=meeting_input(**overrides),
                idempotency_key="refused",
            )
        )
        == code
    )


@pytest.mark.parametrize("role", ["supervisor", "liaison", "outsider", "teller"])
def test_petitions_are_started_by_residents_or_workers(world: World, role: str) -> None:
    assert (
        refused(
            lambda: actions.start_petition(
                actor=world.users[role], community=world.community, basis="adults", subject="停车"
            )
        )
        == "access_denied"
    )


@pytest.mark.parametrize(
    ("basis", "subject", "code"),
    [("everyone", "停车", "basis_unknown"), ("adults", "  ", "subject_missing")],
)
def test_a_petition_started_wrongly_is_refused(
    world: World, basis: str, subject: str, code: str
) -> None:
    for role in ("resident", "staff"):
        assert (
            refused(
                lambda role=role: actions.start_petition(
                    actor=world.users[role],
                    community=world.community,
                    basis=basis,
                    subject=subject,
                )
            )
            == code
        )


def test_signatures_refused(world: World) -> None:
    petition = actions.start_petition(
        actor=world.users["staff"], community=world.community, basis="households", subject="停车"
    )
    child = register_resident(
        actor=SYSTEM,
        community=world.community,
        data=ResidentInput(
            name="张小明",
            id_number=id_number(timezone.localdate() - dt.timedelta(days=3650), 44),
            building="3",
            entrance="2",
            room="501",
        ),
    )
    stranger = resident_elsewhere(world)
    staff = world.users["staff"]
    for actor, resident, code in [
        (world.users["staff"], None, "access_denied"),  # staff do not sign for themselves
        (world.users["supervisor"], world.residents["wang"], "access_denied"),
        (staff, child, "not_adult"),
        (staff, stranger, "not_resident"),
    ]:
        assert (
            refused(
                lambda actor=actor, resident=resident: actions.sign_petition(
                    actor=actor, petition=petition, resident=resident
                )
            )
            == code
        )
    opened(world, kind="residents_meeting", body="adults", petition=petition)
    assert Petition.objects.get(pk=petition.pk).status == "convened"
    assert (
        refused(lambda: actions.sign_petition(actor=world.users["resident"], petition=petition))
        == "petition_done"
    )
    assert (
        refused(
            lambda: actions.sign_petition(
                actor=staff, petition=petition, resident=world.residents["wang"]
            )
        )
        == "petition_done"
    )


def test_opinions_refused(world: World) -> None:
    meeting = opened(world)
    stranger = resident_elsewhere(world)
    cases: list[tuple[str, actions.OpinionInput, str]] = [
        ("supervisor", actions.OpinionInput(text="路灯不亮"), "access_denied"),
        ("resident", actions.OpinionInput(text="路灯不亮"), "access_denied"),
        ("staff", actions.OpinionInput(text="  "), "text_missing"),
        ("staff", actions.OpinionInput(text="长" * 4001), "text_long"),
        (
            "staff",
            actions.OpinionInput(text="路灯不亮", speaker_resident=stranger),
            "speaker_elsewhere",
        ),
        ("staff", actions.OpinionInput(text="路灯不亮", handling="later"), "handling_missing"),
        ("staff", actions.OpinionInput(text="路灯不亮", handling="follow_up"), "category_missing"),
    ]
    for role, data, code in cases:
        assert (
            refused(
                lambda role=role, data=data: actions.record_opinion(
                    actor=world.users[role], meeting=meeting, data=data, idempotency_key="o"
                )
            )
            == code
        )
    planned = plan(world)
    assert (
        refused(
            lambda: actions.record_opinion(
                actor=world.users["staff"],
                meeting=planned,
                data=actions.OpinionInput(text="路灯不亮"),
                idempotency_key="o",
            )
        )
        == "meeting_state"
    )


def test_resolutions_refused(world: World) -> None:
    meeting = opened(world)

    def vote(
        role: str = "staff", text: str = "同意", votes: tuple[int, int, int] = (0, 0, 0)
    ) -> Any:
        return lambda: actions.record_resolution(
            actor=world.users[role],
            meeting=meeting,
            text=text,
            votes_for=votes[0],
            against=votes[1],
            abstain=votes[2],
        )

    assert refused(vote(role="supervisor")) == "access_denied"
    assert refused(vote(text=" ")) == "text_missing"
    assert refused(vote(votes=(-1, 0, 0))) == "votes_invalid"
    assert refused(vote(votes=(1, 0, 0))) == "votes_exceed"  # nobody signed in
    meeting = actions.close_meeting(actor=world.users["staff"], meeting=meeting)
    assert refused(vote()) == "meeting_state"


def test_sign_in_refused_for_the_wrong_person(world: World) -> None:
    meeting = opened(world)
    staff = world.users["staff"]
    power = elsewhere()
    assert (
        refused(lambda: actions.sign_in(actor=world.users["supervisor"], meeting=meeting))
        == "access_denied"
    )
    assert refused(lambda: actions.sign_in(actor=staff, meeting=meeting)) == "who_missing"
    assert (
        refused(lambda: actions.sign_in(actor=staff, meeting=meeting, organisation=power))
        == "not_invited"
    )
