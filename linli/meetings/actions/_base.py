"""What every meeting action shares: the lock, the access check and the audit line."""

from __future__ import annotations

from typing import Any

from linli.core import audit
from linli.meetings.models import Meeting

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
