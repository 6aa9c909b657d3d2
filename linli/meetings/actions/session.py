"""A meeting in session and after: opening with the report-back, sign-in, votes, closing,
the minutes approved and published."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Organisation, User
from linli.core.roles import WORKERS
from linli.core.transactions import atomic_action
from linli.meetings.actions._base import MAX_TEXT, audit_meeting, lock
from linli.meetings.minutes import minutes_text, when
from linli.meetings.models import (
    Attendance,
    Body,
    Handling,
    Kind,
    Meeting,
    Petition,
    PetitionStatus,
    ReportItem,
    Resolution,
    Status,
)
from linli.meetings.quorum import body_members, body_size, majority, present_count, quorate
from linli.meetings.report import compile_report
from linli.meetings.workflow import MEETING_FLOW, PETITION_FLOW
from linli.notices.actions import publish_notice
from linli.notices.models import NoticeKind
from linli.people.models import Resident


def open_meeting(*, actor: Any, meeting: Meeting) -> Meeting:
    """Open the meeting: its body is counted and the report-back on earlier opinions is
    compiled and frozen into this meeting's record."""
    MEETING_FLOW.check_access(actor, meeting, "open")
    with atomic_action():
        meeting = lock(meeting)
        MEETING_FLOW.check_status(meeting, "open")
        now = timezone.now()
        meeting.status = Status.OPEN
        meeting.opened_at = now
        if meeting.is_formal:
            meeting.body_size = body_size(meeting)
        meeting.save(update_fields=["status", "opened_at", "body_size"])
        items = compile_report(meeting)
        ReportItem.objects.bulk_create(items)
        if meeting.petition_id:
            Petition.objects.filter(
                pk=meeting.petition_id, status__in=PETITION_FLOW.step("convene").sources
            ).update(status=PetitionStatus.CONVENED)
        audit_meeting(actor, "opened", meeting, reported=len(items), body=meeting.body_size or 0)
    return meeting


def sign_in(
    *,
    actor: Any,
    meeting: Meeting,
    resident: Resident | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
    name: str = "",
) -> Attendance:
    """Staff sign someone in at the door: a resident (a member of the body), a staff member,
    or an organisation's representative by name."""
    MEETING_FLOW.check_access(actor, meeting, "sign_in")
    return _sign_in(actor, meeting, resident, user, organisation, name, by_self=False)


def sign_in_with_code(*, actor: Any, code: str) -> Attendance:
    """A resident types the meeting's code on their phone."""
    resident = (
        Resident.objects.filter(user_id=getattr(actor, "pk", None) or 0, status="active")
        .select_related("community")
        .first()
    )
    if resident is None:
        raise AccessDenied("access_denied", _("Only residents sign in with a code."))
    meeting = Meeting.objects.filter(
        community=resident.community,
        code=code.strip(),
        status__in=MEETING_FLOW.step("sign_in_with_code").sources,
    ).first()
    if meeting is None:
        raise DomainError("code_unknown", _("No meeting of your community is open with this code."))
    return _sign_in(actor, meeting, resident, None, None, "", by_self=True)


def _sign_in(
    actor: Any,
    meeting: Meeting,
    resident: Resident | None,
    user: User | None,
    organisation: Organisation | None,
    name: str,
    *,
    by_self: bool,
) -> Attendance:
    if sum(x is not None for x in (resident, user, organisation)) != 1:
        raise DomainError("who_missing", _("Choose one person to sign in."))
    household_key = None
    if resident is not None:
        if not body_members(meeting).filter(pk=resident.pk).exists():
            raise DomainError(
                "not_member",
                _("%(name)s is not a member of this meeting's body."),
                name=resident.name,
            )
        if meeting.kind == Kind.STUDY:
            raise DomainError("not_member", _("A study session is for staff."))
        if meeting.body == Body.HOUSEHOLDS:
            if resident.household_id is None:
                raise DomainError(
                    "no_household", _("%(name)s has no household here."), name=resident.name
                )
            household_key = resident.household_id
        name = resident.name
    elif user is not None:
        if not User.objects.filter(
            pk=user.pk, roles__community=meeting.community, roles__role__in=WORKERS
        ).exists():
            raise DomainError("not_member", _("Only the community's staff sign in here."))
        name = str(user)
    elif organisation is not None:
        if not meeting.invitations.filter(organisation=organisation).exists():
            raise DomainError("not_invited", _("%(name)s was not invited."), name=organisation.name)
        name = name.strip() or organisation.name
    try:
        with atomic_action(savepoint=True):
            meeting = lock(meeting)
            MEETING_FLOW.check_status(meeting, "sign_in_with_code" if by_self else "sign_in")
            attendance = Attendance.objects.create(
                meeting=meeting,
                resident=resident,
                user=user,
                organisation=organisation,
                name=name[:50],
                household_id_key=household_key,
                signed_in_at=timezone.now(),
                by_self=by_self,
                signed_in_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_meeting(actor, "signed_in", meeting, name=name[:50])
    except IntegrityError:
        if (
            household_key is not None
            and not Attendance.objects.filter(meeting=meeting, resident=resident).exists()
        ):
            raise DomainError(
                "household_present",
                _("Someone from %(name)s's household has already signed in."),
                name=name,
            ) from None
        raise DomainError(
            "already_signed_in", _("%(name)s has already signed in."), name=name
        ) from None
    return attendance


def sign_out(*, actor: Any, attendance: Attendance) -> Attendance:
    """Someone leaves before the end: no longer counted as present."""
    MEETING_FLOW.check_access(actor, attendance.meeting, "sign_out")
    with atomic_action():
        meeting = lock(attendance.meeting)
        MEETING_FLOW.check_status(meeting, "sign_out")
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        if attendance.left_at is not None:
            raise DomainError("already_left", _("%(name)s has already left."), name=attendance.name)
        attendance.left_at = timezone.now()
        attendance.save(update_fields=["left_at"])
        audit_meeting(actor, "left", meeting, name=attendance.name)
    return attendance


def record_resolution(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    votes_for: int,
    against: int,
    abstain: int,
    idempotency_key: str = "",
) -> Resolution:
    """A vote: a formal residents' meeting must be quorate (more than half of its body
    present); a resolution passes with more than half of those present."""
    MEETING_FLOW.check_access(actor, meeting, "record_resolution")
    key = idempotency_key or secrets.token_hex(16)
    existing = Resolution.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if not text.strip():
        raise DomainError("text_missing", _("Please write the resolution."))
    if min(votes_for, against, abstain) < 0:
        raise DomainError("votes_invalid", _("Votes cannot be negative."))
    with atomic_action():
        meeting = lock(meeting)
        MEETING_FLOW.check_status(meeting, "record_resolution")
        present = present_count(meeting)
        if votes_for + against + abstain > present:
            raise DomainError(
                "votes_exceed",
                _("%(votes)s votes but only %(present)s members present."),
                votes=votes_for + against + abstain,
                present=present,
            )
        if meeting.is_formal and not quorate(present, meeting.body_size):
            raise DomainError(
                "no_quorum",
                _(
                    "No quorum: %(present)s of %(body)s members present, more than half "
                    "are needed. No resolution can be made."
                ),
                present=present,
                body=meeting.body_size or 0,
            )
        resolution = Resolution.objects.create(
            meeting=meeting,
            text=text.strip()[:MAX_TEXT],
            votes_for=votes_for,
            votes_against=against,
            abstentions=abstain,
            present=present,
            body_size=meeting.body_size,
            passed=majority(votes_for, present),
            recorded_by=actor,
            idempotency_key=key,
        )
        audit_meeting(
            actor,
            "resolution",
            meeting,
            passed=resolution.passed,
            votes=f"{votes_for}/{against}/{abstain}",
            present=present,
        )
    return resolution


def close_meeting(*, actor: Any, meeting: Meeting, summary: str = "") -> Meeting:
    """End the session; every opinion must be classified first."""
    MEETING_FLOW.check_access(actor, meeting, "close")
    with atomic_action():
        meeting = lock(meeting)
        MEETING_FLOW.check_status(meeting, "close")
        pending = meeting.opinions.filter(handling=Handling.PENDING).count()
        if pending:
            raise DomainError(
                "opinions_pending",
                _("%(n)s opinions are not yet classified: on the spot, or to follow up?"),
                n=pending,
            )
        now = timezone.now()
        meeting.status = Status.CLOSED
        meeting.closed_at = now
        meeting.minutes_summary = summary.strip()[:MAX_TEXT]
        meeting.save(update_fields=["status", "closed_at", "minutes_summary"])
        meeting.attendance.filter(left_at__isnull=True).update(left_at=now)
        audit_meeting(actor, "closed", meeting)
    return meeting


def approve_minutes(*, actor: Any, meeting: Meeting) -> Meeting:
    """The chair (or a leader) approves the minutes; they are published on the board and
    nothing of the meeting can change afterwards."""
    MEETING_FLOW.check_access(actor, meeting, "approve_minutes")
    # One transaction: the meeting locked, the notice published, the status changed. Two
    # approvals queue on the lock and the second finds the minutes published.
    with atomic_action():
        meeting = lock(meeting)
        MEETING_FLOW.check_status(meeting, "approve_minutes")
        meeting.notice = publish_notice(
            actor=actor,
            community=meeting.community,
            kind=NoticeKind.MINUTES,
            title=gettext("Minutes: %(topic)s (%(date)s)")
            % {"topic": meeting.topic, "date": when(meeting)[:10]},
            body=minutes_text(meeting),
            source=meeting,
        )
        meeting.status = Status.PUBLISHED
        meeting.save(update_fields=["status", "notice"])
        audit_meeting(actor, "minutes_published", meeting)
    return meeting
