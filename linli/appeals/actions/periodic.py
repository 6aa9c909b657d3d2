"""The tick of appeals (reminders, escalation, closing without a verdict); the month's results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from linli.appeals import rates, recipients
from linli.appeals.actions._base import _lock, _step, _tell
from linli.appeals.models import (
    APPEAL_FLOW,
    Appeal,
    AppealEvent,
    Status,
    Verdict,
)
from linli.appeals.results import monthly_results
from linli.core import audit, roles
from linli.core.access import require_role
from linli.core.models import Community
from linli.core.transactions import atomic_action
from linli.notices.actions import publish_notice
from linli.notices.models import NoticeKind


def tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Reminders and escalations; idempotent, so it may run as often as wanted."""
    now = now or timezone.now()
    return {
        "not_contacted": _remind_not_contacted(now),
        "overdue": _escalate_overdue(now),
        "asked_again": _ask_verdict_again(now),
        "closed_without_verdict": _close_without_verdict(now),
    }


def _remind_not_contacted(now: dt.datetime) -> int:
    """Once per appeal: staff and leaders are told it was not accepted in time."""
    late = Appeal.objects.filter(status=Status.RECEIVED, contact_due_at__lt=now).exclude(
        events__code="reminder_contact"
    )
    count = 0
    for appeal in late.select_related("community"):
        with atomic_action():
            AppealEvent.objects.create(
                appeal=appeal, at=now, code="reminder_contact", internal=True
            )
            told = recipients.staff_for(appeal) + recipients.leaders(appeal.community)
            _tell(appeal, told, "appeals.not_contacted")
        count += 1
    return count


def _escalate_overdue(now: dt.datetime) -> int:
    """At most once a day per appeal: an overdue appeal is escalated to the leaders."""
    overdue = Appeal.objects.overdue(now).exclude(
        Q(events__code="escalated", events__at__gte=now - dt.timedelta(days=1))
    )
    count = 0
    for appeal in overdue.select_related("community", "handler"):
        with atomic_action():
            Appeal.objects.filter(pk=appeal.pk).update(escalated=True)  # not a counted field
            AppealEvent.objects.create(appeal=appeal, at=now, code="escalated", internal=True)
            audit.record(
                actor=None,
                code="appeals.escalated",
                community=appeal.community,
                target=appeal,
                data={"number": appeal.number, "status": appeal.status},
            )
            _tell(appeal, recipients.leaders_and_handler(appeal), "appeals.overdue")
        count += 1
    return count


def _verdict_wait() -> dt.timedelta:
    return dt.timedelta(days=settings.APPEAL_VERDICT_DAYS)


def _ask_verdict_again(now: dt.datetime) -> int:
    """Once per appeal, after half the wait: the residents are asked again for a verdict."""
    waiting = Appeal.objects.filter(
        status=Status.REPORTED, verdict_asked_at__lt=now - _verdict_wait() / 2
    ).exclude(events__code="verdict_asked_again")
    count = 0
    for appeal in waiting.select_related("community"):
        with atomic_action():
            AppealEvent.objects.create(
                appeal=appeal, at=now, code="verdict_asked_again", data={"number": appeal.number}
            )
            _tell(appeal, recipients.residents_of(appeal), "appeals.verdict_asked_again")
        count += 1
    return count


def _close_without_verdict(now: dt.datetime) -> int:
    """Closed "without a verdict" once the second request has had its own half of the time."""
    wait = _verdict_wait()
    silent = Appeal.objects.filter(
        status=Status.REPORTED,
        reported_at__lt=now - wait,
        events__code="verdict_asked_again",
        events__at__lt=now - wait / 2,
    ).distinct()
    count = 0
    for appeal in silent:
        with atomic_action():
            locked = _lock(appeal)
            if not APPEAL_FLOW.allows(locked, "close_without_verdict"):
                continue
            before = rates.contribution(locked)
            locked.status = Status.CLOSED
            locked.verdict = Verdict.NONE
            locked.closed_at = now
            locked.save(update_fields=["status", "verdict", "closed_at"])
            rates.record_change(locked, before)
            _step(locked, None, "closed_without_verdict")
        count += 1
    return count


def publish_monthly_results(*, actor: Any, community: Community, month: dt.date) -> Any:
    """Put the month's results on the notice board (see results.monthly_results)."""
    require_role(actor, community, *roles.LEADERS)
    title, body = monthly_results(community, month)
    return publish_notice(
        actor=actor,
        community=community,
        kind=NoticeKind.OPINION_RESULTS,
        title=title,
        body=body,
    )
