"""Permission-matrix cases for the ballots views."""

from __future__ import annotations

from typing import Any

from linli.ballots.actions import close_ballot, count_ballot, enter_paper, hand_out_paper
from linli.ballots.models import Ballot
from tests.ballots.helpers import ballot, grades, opened
from tests.matrix import EVERYONE, PUBLIC, Case
from tests.world import World


def _draft_ballot(world: World) -> list[Any]:
    return ["xfl", ballot(world).pk]


def _open_ballot(world: World) -> list[Any]:
    return ["xfl", opened(world).pk]


def _closed(world: World) -> Ballot:
    return close_ballot(actor=world.users["leader"], ballot=opened(world))


def _closed_ballot(world: World) -> list[Any]:
    return ["xfl", _closed(world).pk]


def _counted_ballot(world: World) -> list[Any]:
    return ["xfl", count_ballot(actor=world.users["leader"], ballot=_closed(world)).pk]


def _sheet_read(world: World) -> list[Any]:
    """A closed ballot whose sheet 001 the teller and an administrator read differently: each
    may take their own reading back."""
    b = opened(world)
    hand_out_paper(actor=world.users["leader"], ballot=b, resident=world.residents["wang"])
    b = close_ballot(actor=world.users["leader"], ballot=b)
    for login, excellent in (("teller", 0), ("admin", 1)):
        enter_paper(actor=world.users[login], ballot=b, sheet="001", content=grades(b, excellent))
    return ["xfl", b.pk]


def _nominee(world: World) -> list[Any]:
    election = ballot(
        world, kind="election", candidates=("甲", "乙"), choose=1, nominators_needed=1
    )
    return ["xfl", election.pk, election.candidates.first().pk]  # type: ignore[union-attr]


def _newest() -> Ballot:
    newest = Ballot.objects.order_by("-pk").first()
    assert newest is not None
    return newest


def _ballot_member(world: World) -> str:
    return str(_newest().candidates.first().pk)  # type: ignore[union-attr]


def _grades(world: World) -> dict[str, str]:
    return {f"c{c.pk}": "competent" for c in _newest().candidates.all()}


BALLOT_DESK = {"leader", "staff", "teller", "supervisor", "admin"}
ORGANISERS = {"leader", "admin"}
COUNTERS = {"leader", "teller", "admin"}
TELLERS = {"teller", "admin"}
CASES: list[Case] = [
    Case("ballots:mine", "GET", EVERYONE, args=lambda w: []),
    Case("ballots:list", "GET", BALLOT_DESK),
    Case("ballots:new", "GET", ORGANISERS),
    Case(
        "ballots:new",
        "POST",
        ORGANISERS,
        data=lambda w: {
            "kind": "recommendation",
            "title": "推荐入党积极分子",
            "electorate": "party",
            "candidates": "甲\n乙",
            "choose": 1,
            "excellent_share": "1/3",
        },
    ),
    Case("ballots:detail", "GET", BALLOT_DESK, args=_draft_ballot),
    Case("ballots:open", "POST", ORGANISERS, args=_draft_ballot),
    Case("ballots:close", "POST", ORGANISERS, args=_open_ballot),
    Case("ballots:count", "POST", COUNTERS, args=_closed_ballot),
    Case("ballots:publish", "POST", COUNTERS, args=_counted_ballot),
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
    Case("ballots:paper", "GET", TELLERS, args=_closed_ballot),
    Case(
        "ballots:paper",
        "POST",
        TELLERS,
        args=_closed_ballot,
        data=lambda w: {"sheet": "001", **_grades(w)},
    ),
    Case(
        "ballots:paper_withdraw",
        "POST",
        TELLERS,
        args=_sheet_read,
        data=lambda w: {"sheet": "001"},
    ),
    Case(
        "ballots:follow_up",
        "POST",
        ORGANISERS,
        args=_counted_ballot,
        data=lambda w: {"candidate": _ballot_member(w), "action": "praise", "note": "表现突出"},
    ),
    Case("ballots:vote", "GET", {"resident", "admin"}, args=_open_ballot),
    Case("ballots:vote", "POST", {"resident"}, args=_open_ballot, data=_grades),
    Case("ballots:bulletin", "GET", PUBLIC, args=_counted_ballot, public=True),
    Case("ballots:bulletin_file", "GET", PUBLIC, args=_counted_ballot, public=True),
]
