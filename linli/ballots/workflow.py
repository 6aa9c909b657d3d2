"""The ballot's workflow: from preparing to published results, who may take each step, and from
which status.

The actions refuse with it (a step at the wrong moment keeps its code `ballot_state`), the
ballot's page shows only the buttons it allows, and the permission matrix checks the views
against the same roles. Casting a vote is not a step here: the voter is checked against the
roll, and the ballot is held open (not locked) while the vote is written."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.ballots.models import Ballot, Kind, Status
from linli.core.access import has_role
from linli.core.roles import (
    BALLOT_COUNTERS,
    BALLOT_ORGANISERS,
    BALLOT_PAPER_DESK,
    BALLOT_TELLERS,
    WORKERS,
)
from linli.core.workflow import ROLE_REFUSED, Step, Workflow, register


def organiser_for_an_opinion(user: Any, ballot: Ballot) -> bool:
    """The opinion on a prospective party member is published by the organisers only (it
    becomes the party-development notice); other results by the tellers too."""
    return ballot.kind != Kind.OPINION or has_role(user, ballot.community, *BALLOT_ORGANISERS)


BALLOT_FLOW = register(
    Workflow(
        "ballot",
        [
            # Election candidates need nominators (signed forms typed in by the office).
            Step("nominate", sources=(Status.DRAFT,), roles=WORKERS),
            # Opening freezes the roll of voters.
            Step("open", sources=(Status.DRAFT,), roles=BALLOT_ORGANISERS, target=Status.OPEN),
            Step("hand_out_paper", sources=(Status.OPEN,), roles=BALLOT_PAPER_DESK),
            Step("close", sources=(Status.OPEN,), roles=BALLOT_ORGANISERS, target=Status.CLOSED),
            # Two tellers read each paper sheet once voting is closed.
            Step("enter_paper", sources=(Status.CLOSED,), roles=BALLOT_TELLERS),
            Step("withdraw_paper", sources=(Status.CLOSED,), roles=BALLOT_TELLERS),
            Step("count", sources=(Status.CLOSED,), roles=BALLOT_COUNTERS, target=Status.COUNTED),
            Step(
                "publish",
                sources=(Status.COUNTED,),
                roles=BALLOT_COUNTERS,
                target=Status.PUBLISHED,
                guard=organiser_for_an_opinion,
                guard_message=ROLE_REFUSED,
            ),
            # The branch's decision on an appraised member, once counted.
            Step("follow_up", sources=(Status.COUNTED, Status.PUBLISHED), roles=BALLOT_ORGANISERS),
        ],
        refusal_code="ballot_state",
        refusal_message=_("This cannot be done while the ballot is “%(status)s”."),
    )
)
