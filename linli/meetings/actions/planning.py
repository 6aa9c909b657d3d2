"""Planning a meeting: invitations, the announcement, the liaison's confirmation, cancelling."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.access import grants, is_admin, require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, Grid, Organisation, Role, User
from linli.core.notify import notify
from linli.core.roles import WORKERS
from linli.core.transactions import atomic_action
from linli.meetings.actions._base import audit_meeting, lock
from linli.meetings.minutes import announcement_text, notice_data, when
from linli.meetings.models import AgendaItem, Body, Invitation, Kind, Meeting, Petition, Status
from linli.meetings.quorum import invitees
from linli.meetings.workflow import MEETING_FLOW
from linli.notices.actions import publish_notice, withdraw_notice
from linli.notices.models import Notice, NoticeKind, NoticeStatus


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    topic: str
    starts_at: dt.datetime
    place: str
    body: str = ""
    agenda: tuple[str, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    invite_tag: str = ""
    invite_grid: Grid | None = None
    invite_building: str = ""
    petition: Petition | None = None
    announce: bool = True


def plan_meeting(
    *, actor: Any, community: Community, data: MeetingInput, idempotency_key: str
) -> Meeting:
    """Plan a meeting: invitations to organisations (their liaisons confirm who comes) and to
    residents (by tag or grid), and an announcement on the notice board."""
    require_role(actor, community, *WORKERS)
    existing = Meeting.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if data.kind not in Kind.values:
        raise DomainError("kind_unknown", _("Unknown kind of meeting."))
    if data.kind == Kind.RESIDENTS_MEETING and data.body not in Body.values:
        raise DomainError("body_missing", _("Say who makes up the residents' meeting (its body)."))
    topic, place = data.topic.strip(), data.place.strip()
    if not topic or not place:
        raise DomainError("topic_missing", _("A topic and a place are needed."))
    if data.starts_at < timezone.now() - dt.timedelta(hours=12):
        raise DomainError("past", _("The meeting cannot be planned in the past."))
    for organisation in data.organisations:
        if not organisation.communities.filter(pk=community.pk).exists():
            raise DomainError(
                "organisation_elsewhere",
                _("%(name)s does not serve this community."),
                name=organisation.name,
            )
    if data.petition is not None and data.petition.community_id != community.pk:
        raise DomainError("petition_elsewhere", _("That petition is of another community."))
    with atomic_action():
        meeting = Meeting.objects.create(
            community=community,
            kind=data.kind,
            body=data.body if data.kind == Kind.RESIDENTS_MEETING else "",
            topic=topic[:200],
            starts_at=data.starts_at,
            place=place[:200],
            code=f"{secrets.randbelow(10**6):06d}",
            chair=actor,
            created_by=actor,
            petition=data.petition,
            idempotency_key=idempotency_key,
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=i, title=title.strip()[:200])
            for i, title in enumerate(t for t in data.agenda if t.strip())
        )
        for organisation in data.organisations:
            Invitation.objects.create(meeting=meeting, organisation=organisation)
            liaisons = User.objects.filter(
                roles__role=Role.LIAISON, roles__organisation=organisation
            )
            notify(
                users=list(liaisons),
                code="meetings.invited_organisation",
                community=community,
                data=notice_data(meeting),
                url=reverse("meetings:invitations"),
            )
        invited = invitees(
            community, tag=data.invite_tag, grid=data.invite_grid, building=data.invite_building
        )
        notify(
            users=[r.user for r in invited if r.user is not None],
            code="meetings.invited",
            community=community,
            data=notice_data(meeting),
            url=reverse("meetings:mine"),
        )
        audit_meeting(actor, "planned", meeting, when=when(meeting))
        if data.announce:
            _announce(actor, meeting, data)
    return meeting


def _announce(actor: Any, meeting: Meeting, data: MeetingInput) -> None:
    """The announcement on the notice board, published with the meeting."""
    notice = publish_notice(
        actor=actor,
        community=meeting.community,
        kind=NoticeKind.ANNOUNCEMENT,
        title=gettext("Meeting: %(topic)s") % {"topic": meeting.topic},
        body=announcement_text(meeting, data.organisations, data.agenda),
        source=meeting,
        period_days=0,
    )
    Meeting.objects.filter(pk=meeting.pk).update(announcement=notice)
    meeting.announcement = notice


def confirm_invitation(*, actor: Any, invitation: Invitation, attendees: str) -> Invitation:
    """The organisation's liaison says who will attend (Art. 19: they must send someone)."""
    liaison_of = {g.organisation_id for g in grants(actor) if g.role == Role.LIAISON}
    if invitation.organisation_id not in liaison_of and not is_admin(actor):
        raise AccessDenied("access_denied", _("Only the organisation's liaison may confirm."))
    names = attendees.strip()
    if not names:
        raise DomainError("attendees_missing", _("Please name who will attend."))
    with atomic_action():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        meeting = lock(invitation.meeting)
        MEETING_FLOW.check_status(meeting, "confirm_invitation")
        invitation.attendees = names[:200]
        invitation.confirmed_by = actor
        invitation.confirmed_at = timezone.now()
        invitation.save(update_fields=["attendees", "confirmed_by", "confirmed_at"])
        audit_meeting(
            actor, "invitation_confirmed", meeting, organisation=invitation.organisation.name
        )
    return invitation


def cancel_meeting(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """A leader calls off a planned meeting, saying why: the invited organisations are told
    and the announcement comes off the notice board, with the same reason."""
    MEETING_FLOW.check_access(actor, meeting, "cancel")
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_missing", _("Please give a reason."))
    with atomic_action():
        meeting = lock(meeting)
        MEETING_FLOW.check_status(meeting, "cancel")
        meeting.status = Status.CANCELLED
        meeting.save(update_fields=["status"])
        announcement = _current_announcement(meeting)
        if announcement is not None:
            withdraw_notice(actor=actor, notice=announcement, reason=reason)
        notify(
            users=list(
                User.objects.filter(
                    roles__role=Role.LIAISON,
                    roles__organisation__in=meeting.invitations.values("organisation"),
                ).distinct()
            ),
            code="meetings.cancelled",
            community=meeting.community,
            data={"topic": meeting.topic, "reason": reason},
            url=reverse("meetings:invitations"),
        )
        audit_meeting(actor, "cancelled", meeting, reason=reason)
    return meeting


def _current_announcement(meeting: Meeting) -> Notice | None:
    """The meeting's announcement as it stands on the board now (its latest correction)."""
    notice = meeting.announcement
    while notice is not None and notice.status == NoticeStatus.SUPERSEDED:
        notice = Notice.objects.filter(supersedes=notice).first()
    if notice is None or notice.status != NoticeStatus.PUBLISHED:
        return None
    return notice
