"""The notice board's workflows: a published notice is corrected (a new version supersedes it)
or withdrawn; an objection is answered. Who may take each step, and from which status.

The actions refuse with them (codes `not_current` and `answered`, as before), the notice's page
shows only the forms they allow, and the permission matrix checks the views against the same
roles. Publishing and objecting create records rather than move one, so they are not steps."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.access import has_role
from linli.core.roles import LEADERS, NOTICE_DESK
from linli.core.workflow import ROLE_REFUSED, Step, Workflow, register
from linli.notices.models import Notice, NoticeStatus, Objection, ObjectionStatus
from linli.notices.rules import ANY_PUBLISHER, PUBLISHERS


def publishes_the_kind(user: Any, notice: Notice) -> bool:
    """A correction is published by those who may publish the notice's kind."""
    return has_role(user, notice.community, *PUBLISHERS[notice.kind])


def owner_or_leader(user: Any, objection: Objection) -> bool:
    """Objections are answered by the notice's owner or a leader."""
    owner = objection.notice.owner_id
    return bool(owner is not None and owner == getattr(user, "pk", None)) or has_role(
        user, objection.notice.community, *LEADERS
    )


NOTICE_FLOW = register(
    Workflow(
        "notice",
        [
            Step(
                "correct",
                sources=(NoticeStatus.PUBLISHED,),
                roles=ANY_PUBLISHER,
                target=NoticeStatus.SUPERSEDED,
                guard=publishes_the_kind,
                guard_message=ROLE_REFUSED,
            ),
            Step(
                "withdraw",
                sources=(NoticeStatus.PUBLISHED,),
                roles=LEADERS,
                target=NoticeStatus.WITHDRAWN,
            ),
        ],
        refusal_code="not_current",
        refusal_message=_("This notice is no longer current."),
    )
)

OBJECTION_FLOW = register(
    Workflow(
        "objection",
        [
            Step(
                "answer",
                sources=(ObjectionStatus.OPEN,),
                roles=NOTICE_DESK,
                target=ObjectionStatus.ANSWERED,
                guard=owner_or_leader,
                guard_message=_("Only the notice's owner or a leader may answer."),
            ),
        ],
        community=lambda objection: objection.notice.community,
        refusal_code="answered",
        refusal_message=_("This objection has already been answered."),
    )
)
