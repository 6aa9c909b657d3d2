"""Preparing a ballot: every refusal of create_ballot and nominate, with its code, and nothing
written when refused."""

from __future__ import annotations

from typing import Any

import pytest

from linli.ballots import actions
from linli.ballots.models import Ballot, Candidate, Nomination
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from tests.ballots.helpers import ballot, opened, voter
from tests.world import World

VALID: dict[str, Any] = {
    "kind": "recommendation",
    "title": "推荐入党积极分子",
    "electorate": "party",
    "candidates": ("甲", "乙", "丙"),
    "choose": 1,
}


def written() -> tuple[int, ...]:
    return (
        Ballot.objects.count(),
        Candidate.objects.count(),
        Nomination.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "referendum"}, "kind_unknown"),
        ({"electorate": "everyone"}, "kind_unknown"),
        ({"title": "  "}, "title_missing"),
        ({"candidates": (" ", "")}, "candidates_missing"),
        ({"candidates": ("甲", "乙", "甲")}, "candidates_repeated"),
        ({"kind": "opinion", "candidates": ("甲", "乙")}, "one_subject"),
        ({"choose": 0}, "choose_invalid"),
        ({"choose": 4}, "choose_invalid"),
        ({"kind": "election", "choose": 4}, "choose_invalid"),
        ({"excellent_share": "2/3"}, "share_invalid"),
    ],
)
def test_create_ballot_refuses_what_makes_no_ballot(
    world: World, changes: dict[str, Any], code: str
) -> None:
    before = written()
    with pytest.raises(DomainError) as refused:
        actions.create_ballot(
            actor=world.users["leader"],
            community=world.community,
            data=actions.BallotInput(**{**VALID, **changes}),
        )
    assert refused.value.code == code
    assert written() == before


@pytest.mark.parametrize("role", ["staff", "teller", "supervisor", "welfare_reviewer", "outsider"])
def test_only_the_organisers_prepare_a_ballot(world: World, role: str) -> None:
    before = written()
    with pytest.raises(AccessDenied) as refused:
        actions.create_ballot(
            actor=world.users[role],
            community=world.community,
            data=actions.BallotInput(**VALID),
        )
    assert refused.value.code == "access_denied"
    assert written() == before


def election(world: World) -> Ballot:
    return ballot(world, kind="election", choose=1, candidates=("甲", "乙"), nominators_needed=1)


def test_nominate_refusals(world: World) -> None:
    b = election(world)
    first = b.candidates.all()[0]
    wang = world.residents["wang"]
    actions.nominate(actor=world.users["staff"], candidate=first, resident=wang)

    def refused(actor: str, candidate: Candidate, resident: Any) -> str:
        with pytest.raises(DomainError) as raised:
            actions.nominate(actor=world.users[actor], candidate=candidate, resident=resident)
        return raised.value.code

    appraisal = ballot(world).candidates.all()[0]
    before = written()
    assert refused("staff", appraisal, wang) == "not_election"
    assert refused("staff", first, wang) == "already_nominated"
    assert written() == before
    for role in ("teller", "supervisor", "welfare_reviewer", "resident"):
        with pytest.raises(AccessDenied):
            actions.nominate(actor=world.users[role], candidate=first, resident=wang)
    assert written() == before


def test_no_nomination_from_outside_the_electorate_or_after_opening(world: World) -> None:
    b = ballot(
        world,
        kind="election",
        electorate="party",
        choose=1,
        candidates=("甲", "乙"),
        nominators_needed=1,
    )
    first, second = b.candidates.all()
    before = written()
    with pytest.raises(DomainError) as not_voter:
        actions.nominate(
            actor=world.users["staff"], candidate=first, resident=world.residents["wang"]
        )
    assert not_voter.value.code == "not_voter"  # 王五 is not a party member
    assert written() == before
    zhang = world.residents["zhang"]
    actions.nominate(actor=world.users["staff"], candidate=first, resident=zhang)
    actions.nominate(actor=world.users["staff"], candidate=second, resident=zhang)
    actions.open_ballot(actor=world.users["leader"], ballot=b)
    member = voter(world, tags=("party_member",))
    before = written()
    with pytest.raises(DomainError) as late:
        actions.nominate(actor=world.users["staff"], candidate=first, resident=member)
    assert late.value.code == "ballot_state"
    assert written() == before


def test_opening_twice_is_refused_with_the_ballot_state(world: World) -> None:
    b = opened(world)
    before = written()
    with pytest.raises(DomainError) as again:
        actions.open_ballot(actor=world.users["leader"], ballot=b)
    assert again.value.code == "ballot_state"
    assert written() == before
