"""Permission-matrix cases for the ballots views."""

from __future__ import annotations

from typing import Any

from tests.matrix import EVERYONE, PUBLIC, Case
from tests.world import World


def _draft_ballot(world: World, **overrides: Any) -> Any:
    from tests.ballots.helpers import ballot

    return ballot(world, **overrides)


def _open_ballot(world: World) -> list[Any]:
    from tests.ballots.helpers import opened

    return ["xfl", opened(world).pk]


def _closed_ballot(world: World) -> list[Any]:
    from linli.ballots.actions import close_ballot
    from tests.ballots.helpers import opened

    return ["xfl", close_ballot(actor=world.users["leader"], ballot=opened(world)).pk]


def _counted_ballot(world: World) -> list[Any]:
    from linli.ballots.actions import close_ballot, count_ballot
    from tests.ballots.helpers import opened

    closed = close_ballot(actor=world.users["leader"], ballot=opened(world))
    return ["xfl", count_ballot(actor=world.users["leader"], ballot=closed).pk]


def _nominee(world: World) -> list[Any]:
    election = _draft_ballot(
        world, kind="election", candidates=("甲", "乙"), choose=1, nominators_needed=1
    )
    return ["xfl", election.pk, election.candidates.first().pk]


def _ballot_member(world: World) -> str:
    from linli.ballots.models import Ballot

    return str(Ballot.objects.order_by("-pk").first().candidates.first().pk)  # type: ignore[union-attr]


def _grades(world: World) -> dict[str, str]:
    from linli.ballots.models import Ballot

    ballot = Ballot.objects.order_by("-pk").first()
    assert ballot is not None
    return {f"c{c.pk}": "competent" for c in ballot.candidates.all()}


BALLOT_DESK = {"leader", "staff", "teller", "supervisor", "admin"}
CASES: list[Case] = [
    Case("ballots:mine", "GET", EVERYONE, args=lambda w: []),
    Case("ballots:list", "GET", BALLOT_DESK),
    Case("ballots:new", "GET", {"leader", "admin"}),
    Case(
        "ballots:new",
        "POST",
        {"leader", "admin"},
        data=lambda w: {
            "kind": "recommendation",
            "title": "推荐入党积极分子",
            "electorate": "party",
            "candidates": "甲\n乙",
            "choose": 1,
            "excellent_share": "1/3",
        },
    ),
    Case("ballots:detail", "GET", BALLOT_DESK, args=lambda w: ["xfl", _draft_ballot(w).pk]),
    Case(
        "ballots:act",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _draft_ballot(w).pk, "open"],
    ),
    Case(
        "ballots:paper_out",
        "POST",
        {"leader", "staff", "teller", "admin"},
        args=_open_ballot,
        data=lambda w: {"q": "王五"},
    ),
    Case(
        "ballots:nominate",
        "POST",
        {"leader", "staff", "admin"},
        args=_nominee,
        data=lambda w: {"q": "王五"},
    ),
    Case("ballots:paper", "GET", {"teller", "admin"}, args=_closed_ballot),
    Case(
        "ballots:paper",
        "POST",
        {"teller", "admin"},
        args=_closed_ballot,
        data=lambda w: {"sheet": "001", **_grades(w)},
    ),
    Case(
        "ballots:follow_up",
        "POST",
        {"leader", "admin"},
        args=_counted_ballot,
        data=lambda w: {"candidate": _ballot_member(w), "action": "praise", "note": "表现突出"},
    ),
    Case("ballots:vote", "GET", {"resident", "admin"}, args=_open_ballot),
    Case("ballots:vote", "POST", {"resident"}, args=_open_ballot, data=_grades),
    Case("ballots:bulletin", "GET", PUBLIC, args=_counted_ballot, public=True),
    Case("ballots:bulletin_file", "GET", PUBLIC, args=_counted_ballot, public=True),
]
