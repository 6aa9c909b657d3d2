"""What every meeting action shares: the lock, the access check and the audit line."""

from __future__ import annotations

from typing import Any

from linli.core import audit
from linli.core.errors import AccessDenied
from linli.meetings.models import Meeting
from linli.meetings.workflow import MEETING_FLOW, ROLE_REFUSED

MAX_TEXT = 4000


def audit_meeting(actor: Any, code: str, meeting: Meeting, **data: Any) -> None:
    audit.record(
        actor=actor,
        code=f"meetings.{code}",
        community=meeting.community,
        target=meeting,
        data={"topic": meeting.topic, **data},
    )


def lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("community").get(pk=meeting.pk)


def check_access(actor: Any, meeting: Meeting, step: str) -> None:
    """Refuse someone whose role may not take this step of the meeting (status aside: it is
    checked once the meeting is locked)."""
    if not MEETING_FLOW.permits(actor, meeting, step):
        raise AccessDenied("access_denied", ROLE_REFUSED)
