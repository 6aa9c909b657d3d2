"""The meetings workflows: the steps of a meeting, of an opinion raised at it and of a petition
for a meeting, who may take each, and from which status.

The actions refuse with them (a meeting's refusal keeps its code `meeting_state`), the
meeting and petition pages show only the forms they allow, and the permission matrix checks
the views against the same roles."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.access import has_role
from linli.core.models import Role
from linli.core.roles import LEADERS, WORKERS
from linli.core.workflow import ROLE_REFUSED, Step, Workflow, register
from linli.meetings.models import Handling, Meeting, Opinion, PetitionStatus, Status


def chair_or_leader(user: Any, meeting: Meeting) -> bool:
    """The minutes are the chair's to approve, or a leader's."""
    return bool(
        meeting.chair_id == getattr(user, "pk", None) or has_role(user, meeting.community, *LEADERS)
    )


IN_SESSION = (Status.OPEN,)

MEETING_FLOW = register(
    Workflow(
        "meeting",
        [
            Step("cancel", sources=(Status.PLANNED,), roles=LEADERS, target=Status.CANCELLED),
            Step("open", sources=(Status.PLANNED,), roles=WORKERS, target=Status.OPEN),
            # The organisation's liaison says who attends (the action checks it is theirs).
            Step(
                "confirm_invitation", sources=(Status.PLANNED, Status.OPEN), roles=(Role.LIAISON,)
            ),
            Step("sign_in", sources=IN_SESSION, roles=WORKERS),
            Step("sign_in_with_code", sources=IN_SESSION, roles=(Role.RESIDENT,)),
            Step("sign_out", sources=IN_SESSION, roles=WORKERS),
            Step("record_opinion", sources=IN_SESSION, roles=WORKERS),
            # Opinions may still be classified after the session, until the minutes.
            Step("classify_opinion", sources=(Status.OPEN, Status.CLOSED), roles=WORKERS),
            Step("record_resolution", sources=IN_SESSION, roles=WORKERS),
            Step("close", sources=IN_SESSION, roles=WORKERS, target=Status.CLOSED),
            Step(
                "approve_minutes",
                sources=(Status.CLOSED,),
                roles=WORKERS,
                target=Status.PUBLISHED,
                guard=chair_or_leader,
                guard_message=ROLE_REFUSED,
            ),
        ],
        refusal_code="meeting_state",
        refusal_message=_("This cannot be done while the meeting is “%(status)s”."),
    )
)


def _meeting_community(opinion: Opinion) -> Any:
    return opinion.meeting.community


OPINION_FLOW = register(
    Workflow(
        "meeting_opinion",
        [
            Step(
                "answer_on_the_spot",
                sources=(Handling.PENDING,),
                roles=WORKERS,
                target=Handling.ON_THE_SPOT,
            ),
            Step(
                "follow_up", sources=(Handling.PENDING,), roles=WORKERS, target=Handling.FOLLOW_UP
            ),
        ],
        status="handling",
        community=_meeting_community,
        refusal_code="classified",
        refusal_message=_("This opinion was already classified."),
    )
)

# The step that classifies an opinion with each handling.
CLASSIFY_STEP: dict[str, str] = {
    Handling.ON_THE_SPOT: "answer_on_the_spot",
    Handling.FOLLOW_UP: "follow_up",
}

SIGNING = (PetitionStatus.COLLECTING, PetitionStatus.REACHED)

PETITION_FLOW = register(
    Workflow(
        "meeting_petition",
        [
            # A resident signs in linli (the action checks they live in the community).
            Step("sign", sources=SIGNING, roles=(Role.RESIDENT,)),
            Step("sign_on_paper", sources=SIGNING, roles=WORKERS),
            # Taken by the signature that reaches the threshold.
            Step(
                "reach",
                sources=(PetitionStatus.COLLECTING,),
                roles=(Role.RESIDENT, *WORKERS),
                target=PetitionStatus.REACHED,
            ),
            # Taken when a meeting planned on the petition opens.
            Step("convene", sources=SIGNING, roles=WORKERS, target=PetitionStatus.CONVENED),
        ],
        refusal_code="petition_done",
        refusal_message=_("The meeting was already held."),
    )
)
