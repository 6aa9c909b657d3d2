"""Ballots and voters for tests, made through the actions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from linli.ballots import actions
from linli.ballots.models import Ballot
from linli.core.access import SYSTEM
from linli.people.actions import ResidentInput, link_resident_account, register_resident
from linli.people.models import Resident
from tests.world import World, id_number, make_user

_seq = itertools.count(100)


def voter(world: World, *, tags: tuple[str, ...] = (), account: bool = True) -> Resident:
    """A new adult resident of 幸福里 in a household of their own, with a login."""
    n = next(_seq)
    resident = register_resident(
        actor=SYSTEM,
        community=world.community,
        data=ResidentInput(
            name=f"选民{n}",
            id_number=id_number(dt.date(1960, 1, 1) + dt.timedelta(days=n), n),
            building="9",
            entrance="1",
            room=str(n),
            tags=list(tags),
        ),
    )
    if account:
        link_resident_account(actor=SYSTEM, resident=resident, user=make_user(f"voter{n}"))
    return resident


def ballot(world: World, **overrides: Any) -> Ballot:
    fields: dict[str, Any] = {
        "kind": "appraisal",
        "title": "2026年度民主评议党员",
        "electorate": "adults",
        "candidates": ("党员甲", "党员乙", "党员丙", "党员丁", "党员戊", "党员己"),
    }
    fields.update(overrides)
    return actions.create_ballot(
        actor=world.users["leader"],
        community=world.community,
        data=actions.BallotInput(**fields),
    )


def opened(world: World, **overrides: Any) -> Ballot:
    return actions.open_ballot(actor=world.users["leader"], ballot=ballot(world, **overrides))


def grades(b: Ballot, *excellent: int) -> dict[str, str]:
    """Competent for all, excellent for the members at these positions."""
    members = list(b.candidates.all())
    return {
        str(m.pk): "excellent" if i in excellent else "competent" for i, m in enumerate(members)
    }
