"""Every state change of a meeting or a petition: planning, sign-in, opinions (as appeals),
resolutions with their quorum, the report-back, the minutes."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.appeals import actions as appeals
from linli.appeals.models import Appeal, Category
from linli.appeals.models import Status as AppealStatus
from linli.core import audit
from linli.core.access import grants, is_admin, require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, Grid, Organisation, Role, User
from linli.core.notify import notify
from linli.core.roles import LEADERS, WORKERS
from linli.core.transactions import atomic_action
from linli.meetings.models import (
    AgendaItem,
    Attendance,
    Basis,
    Body,
    Handling,
    Invitation,
    Kind,
    Meeting,
    Opinion,
    Petition,
    PetitionStatus,
    ReportItem,
    Resolution,
    Signature,
    Status,
)
from linli.meetings.workflow import (
    CLASSIFY_STEP,
    MEETING_FLOW,
    OPINION_FLOW,
    PETITION_FLOW,
    ROLE_REFUSED,
)
from linli.notices.actions import publish_notice, withdraw_notice
from linli.notices.models import Notice, NoticeKind, NoticeStatus
from linli.people.models import Household, Resident, ResidentStatus

MAX_TEXT = 4000
PARTY_TAGS = ("party_member", "retired_party_member")
REPRESENTATIVE_TAG = "representative"


# --- helpers --------------------------------------------------------------------------------


def _audit(actor: Any, code: str, meeting: Meeting, **data: Any) -> None:
    audit.record(
        actor=actor,
        code=f"meetings.{code}",
        community=meeting.community,
        target=meeting,
        data={"topic": meeting.topic, **data},
    )


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("community").get(pk=meeting.pk)


def _check_access(actor: Any, meeting: Meeting, step: str) -> None:
    """Refuse someone whose role may not take this step of the meeting (status aside: it is
    checked once the meeting is locked)."""
    if not MEETING_FLOW.permits(actor, meeting, step):
        raise AccessDenied("access_denied", ROLE_REFUSED)


def _url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.community.code, meeting.pk])


def adults(community: Community, on: dt.date | None = None) -> Any:
    """Active residents of the community who are 18 or older on the day."""
    return Resident.objects.filter(community=community).adults(on)


def body_members(meeting: Meeting) -> Any:
    """The residents who make up the meeting and may sign in as its members."""
    community = meeting.community
    if meeting.kind == Kind.PARTY_MEMBERS:
        return adults(community).filter(tags__code__in=PARTY_TAGS).distinct()
    if meeting.kind == Kind.RESIDENTS_MEETING and meeting.body == Body.GROUPS:
        return adults(community).filter(tags__code=REPRESENTATIVE_TAG)
    return adults(community)


def body_size(meeting: Meeting) -> int:
    """How many make up a formal meeting: adults, households, or group representatives."""
    members = body_members(meeting)
    if meeting.body == Body.HOUSEHOLDS:
        return int(members.exclude(household=None).values("household").distinct().count())
    return int(members.count())


def present_count(meeting: Meeting) -> int:
    """Members present now: residents signed in and not left (staff and guests not counted)."""
    return Attendance.objects.filter(
        meeting=meeting, resident__isnull=False, left_at__isnull=True
    ).count()


def quorate(present: int, body: int | None) -> bool:
    """More than half of the body (居民会议, Art. 10): exactly half is not enough."""
    return body is not None and body > 0 and present * 2 > body


def majority(votes_for: int, present: int) -> bool:
    """More than half of those present."""
    return present > 0 and votes_for * 2 > present


# --- planning -------------------------------------------------------------------------------


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
                data=_notice_data(meeting),
                url=reverse("meetings:invitations"),
            )
        invited = _invited_residents(meeting, data)
        notify(
            users=[r.user for r in invited if r.user is not None],
            code="meetings.invited",
            community=community,
            data=_notice_data(meeting),
            url=reverse("meetings:mine"),
        )
        _audit(actor, "planned", meeting, when=_when(meeting))
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
        body=_announcement(meeting, data),
        source=meeting,
        period_days=0,
    )
    Meeting.objects.filter(pk=meeting.pk).update(announcement=notice)
    meeting.announcement = notice


def _when(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")


def _notice_data(meeting: Meeting) -> dict[str, Any]:
    return {"topic": meeting.topic, "when": _when(meeting), "place": meeting.place}


def _invited_residents(meeting: Meeting, data: MeetingInput) -> list[Resident]:
    if not data.invite_tag and data.invite_grid is None and not data.invite_building:
        return []
    residents = adults(meeting.community).filter(user__isnull=False).select_related("user")
    if data.invite_tag:
        residents = residents.filter(tags__code=data.invite_tag)
    if data.invite_grid is not None:
        residents = residents.filter(household__entrance__building__grid=data.invite_grid)
    if data.invite_building:
        residents = residents.filter(
            household__entrance__building__number=data.invite_building.strip()
        )
    return list(residents.distinct()[:5000])


def _announcement(meeting: Meeting, data: MeetingInput) -> str:
    lines = [
        gettext("Time: %(when)s") % {"when": _when(meeting)},
        gettext("Place: %(place)s") % {"place": meeting.place},
        gettext("Kind: %(kind)s") % {"kind": meeting.get_kind_display()},
    ]
    if data.organisations:
        names = "、".join(o.name for o in data.organisations)
        lines.append(gettext("Invited: %(names)s") % {"names": names})
    agenda = [t.strip() for t in data.agenda if t.strip()]
    if agenda:
        lines.append(gettext("Agenda:"))
        lines.extend(f"{i}. {t}" for i, t in enumerate(agenda, 1))
    return "\n".join(lines)


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
        meeting = _lock(invitation.meeting)
        MEETING_FLOW.check_status(meeting, "confirm_invitation")
        invitation.attendees = names[:200]
        invitation.confirmed_by = actor
        invitation.confirmed_at = timezone.now()
        invitation.save(update_fields=["attendees", "confirmed_by", "confirmed_at"])
        _audit(actor, "invitation_confirmed", meeting, organisation=invitation.organisation.name)
    return invitation


def cancel_meeting(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """A leader calls off a planned meeting, saying why: the invited organisations are told
    and the announcement comes off the notice board, with the same reason."""
    _check_access(actor, meeting, "cancel")
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_missing", _("Please give a reason."))
    with atomic_action():
        meeting = _lock(meeting)
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
        _audit(actor, "cancelled", meeting, reason=reason)
    return meeting


def _current_announcement(meeting: Meeting) -> Notice | None:
    """The meeting's announcement as it stands on the board now (its latest correction)."""
    notice = meeting.announcement
    while notice is not None and notice.status == NoticeStatus.SUPERSEDED:
        notice = Notice.objects.filter(supersedes=notice).first()
    if notice is None or notice.status != NoticeStatus.PUBLISHED:
        return None
    return notice


# --- in session -----------------------------------------------------------------------------


def open_meeting(*, actor: Any, meeting: Meeting) -> Meeting:
    """Open the meeting: its body is counted and the report-back on earlier opinions is
    compiled and frozen into this meeting's record."""
    _check_access(actor, meeting, "open")
    with atomic_action():
        meeting = _lock(meeting)
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
        _audit(actor, "opened", meeting, reported=len(items), body=meeting.body_size or 0)
    return meeting


# Other apps add items to the report-back (e.g. evaluations' improvement tasks): each source
# returns the unsaved ReportItems for a meeting that is opening.
REPORT_SOURCES: list[Callable[[Meeting], list[ReportItem]]] = []


def register_report_source(source: Callable[[Meeting], list[ReportItem]]) -> None:
    if source not in REPORT_SOURCES:
        REPORT_SOURCES.append(source)


def last_reports(meeting: Meeting, keys: list[str]) -> dict[str, ReportItem]:
    """The latest report item of each source key at this community's earlier meetings."""
    latest: dict[str, ReportItem] = {}
    for item in ReportItem.objects.filter(
        meeting__community=meeting.community, source_key__in=keys
    ).order_by("pk"):
        latest[item.source_key] = item
    return latest


def compile_report(meeting: Meeting) -> list[ReportItem]:
    """Every opinion raised at an earlier meeting of the community and not answered on the
    spot, until a report has shown it finished (and again if it was reopened since)."""
    earlier = (
        Opinion.objects.filter(
            meeting__community=meeting.community,
            meeting__opened_at__lt=meeting.opened_at,
            handling=Handling.FOLLOW_UP,
        )
        .exclude(meeting=meeting)
        .select_related(
            "meeting",
            "speaker_resident",
            "speaker_organisation",
            "appeal__handler",
            "appeal__organisation",
            "appeal__merged_into__handler",
            "appeal__merged_into__organisation",
        )
        .prefetch_related("reports")
        .order_by("meeting__starts_at", "pk")
    )
    items = []
    for opinion in earlier:
        appeal = opinion.appeal
        if appeal is None:  # pragma: no cover  (follow-up opinions always have one)
            continue
        case = appeal.merged_into if appeal.merged_into_id and appeal.merged_into else appeal
        last = max(opinion.reports.all(), key=lambda r: r.pk, default=None)
        if last is not None and last.finished and case.reopen_count <= last.reopen_count:
            continue
        handler = ", ".join(str(x) for x in (case.handler, case.organisation) if x is not None)
        items.append(
            ReportItem(
                meeting=meeting,
                opinion=opinion,
                raised_at_meeting=str(opinion.meeting)[:250],
                text=opinion.text,
                speaker="" if opinion.anonymous else opinion.speaker[:60],
                handler=handler[:200],
                done=case.outcome_note,
                status=case.status,
                verdict=appeal.verdict,
                finished=case.status
                in {
                    AppealStatus.SOLVED,
                    AppealStatus.REPORTED,
                    AppealStatus.CLOSED,
                    AppealStatus.INVALID,
                },
                reopen_count=case.reopen_count,
            )
        )
    for source in REPORT_SOURCES:
        items.extend(source(meeting))
    return items


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
    _check_access(actor, meeting, "sign_in")
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
        with atomic_action():
            meeting = _lock(meeting)
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
            _audit(actor, "signed_in", meeting, name=name[:50])
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
    _check_access(actor, attendance.meeting, "sign_out")
    with atomic_action():
        meeting = _lock(attendance.meeting)
        MEETING_FLOW.check_status(meeting, "sign_out")
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        if attendance.left_at is not None:
            raise DomainError("already_left", _("%(name)s has already left."), name=attendance.name)
        attendance.left_at = timezone.now()
        attendance.save(update_fields=["left_at"])
        _audit(actor, "left", meeting, name=attendance.name)
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
    _check_access(actor, meeting, "record_resolution")
    key = idempotency_key or secrets.token_hex(16)
    existing = Resolution.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if not text.strip():
        raise DomainError("text_missing", _("Please write the resolution."))
    if min(votes_for, against, abstain) < 0:
        raise DomainError("votes_invalid", _("Votes cannot be negative."))
    with atomic_action():
        meeting = _lock(meeting)
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
        _audit(
            actor,
            "resolution",
            meeting,
            passed=resolution.passed,
            votes=f"{votes_for}/{against}/{abstain}",
            present=present,
        )
    return resolution


@dataclass(frozen=True)
class OpinionInput:
    text: str
    handling: str = Handling.PENDING
    category: Category | None = None
    organisation: Organisation | None = None
    speaker_resident: Resident | None = None
    speaker_organisation: Organisation | None = None
    answer: str = ""
    anonymous: bool = False


def record_opinion(
    *, actor: Any, meeting: Meeting, data: OpinionInput, idempotency_key: str
) -> Opinion:
    """The secretary records what was raised; classified, it becomes an appeal."""
    _check_access(actor, meeting, "record_opinion")
    existing = Opinion.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    text = data.text.strip()
    if not text:
        raise DomainError("text_missing", _("Please write what was raised."))
    if len(text) > MAX_TEXT:
        raise DomainError(
            "text_long", _("Please keep it under %(limit)s characters."), limit=MAX_TEXT
        )
    speaker = data.speaker_resident
    if speaker is not None and speaker.community_id != meeting.community_id:
        raise DomainError("speaker_elsewhere", _("The speaker lives in another community."))
    if data.handling != Handling.PENDING:
        _check_classification(meeting, data.handling, data.category, data.organisation, data.answer)
    with atomic_action():
        meeting = _lock(meeting)
        MEETING_FLOW.check_status(meeting, "record_opinion")
        opinion = Opinion.objects.create(
            meeting=meeting,
            speaker_resident=speaker,
            speaker_organisation=data.speaker_organisation,
            anonymous=data.anonymous,
            text=text,
            recorded_by=actor,
            idempotency_key=idempotency_key,
        )
        _audit(actor, "opinion", meeting, opinion=opinion.pk)
        if data.handling != Handling.PENDING:
            opinion = classify_opinion(
                actor=actor,
                opinion=opinion,
                handling=data.handling,
                category=data.category,
                organisation=data.organisation,
                answer=data.answer,
            )
    return opinion


def _check_classification(
    meeting: Meeting,
    handling: str,
    category: Category | None,
    organisation: Organisation | None,
    answer: str,
) -> Category:
    """Refuse a classification before anything is written; the category it needs."""
    if handling not in (Handling.ON_THE_SPOT, Handling.FOLLOW_UP):
        raise DomainError("handling_missing", _("Answered on the spot, or to follow up?"))
    if category is None:
        raise DomainError("category_missing", _("Choose a category."))
    if handling == Handling.ON_THE_SPOT and not answer.strip():
        raise DomainError("answer_missing", _("Write the answer that was given."))
    if (
        organisation is not None
        and not organisation.communities.filter(pk=meeting.community_id).exists()
    ):
        raise DomainError(
            "organisation_elsewhere", _("This organisation does not serve the community.")
        )
    return category


def classify_opinion(
    *,
    actor: Any,
    opinion: Opinion,
    handling: str,
    category: Category | None,
    organisation: Organisation | None = None,
    answer: str = "",
) -> Opinion:
    """Answered on the spot (an appeal resolved on the spot and reported back at once) or to
    follow up (an appeal referred to the organisation responsible, or deferred to the next
    meeting). The appeal and every step of it commit with the classification, or none do."""
    _check_access(actor, opinion.meeting, "classify_opinion")
    category = _check_classification(opinion.meeting, handling, category, organisation, answer)
    with atomic_action():
        meeting = _lock(opinion.meeting)
        MEETING_FLOW.check_status(meeting, "classify_opinion")
        opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if opinion.handling == handling:  # the same form sent twice
            return Opinion.objects.select_related("meeting", "appeal").get(pk=opinion.pk)
        OPINION_FLOW.check_status(opinion, CLASSIFY_STEP[handling])
        opinion.meeting = meeting
        opinion.handling = handling
        opinion.category = category
        opinion.organisation = organisation
        opinion.answer = answer.strip()
        opinion.appeal = appeal = _appeal_of(actor, opinion, category)
        opinion.save(update_fields=["appeal", "handling", "category", "organisation", "answer"])
        _audit(actor, "classified", meeting, opinion=opinion.pk, appeal=appeal.number)
    return Opinion.objects.select_related("meeting", "appeal").get(pk=opinion.pk)


def _appeal_of(actor: Any, opinion: Opinion, category: Category) -> Appeal:
    """The classified opinion as an appeal, taken through the appeals actions: accepted, then
    resolved on the spot and reported back, referred to its organisation, or deferred."""
    meeting, speaker = opinion.meeting, opinion.speaker_resident
    appeal = appeals.submit_appeal(
        actor=actor,
        community=meeting.community,
        channel="meeting",
        category=category,
        text=opinion.text,
        resident=speaker,
        place="" if speaker is not None and speaker.household_id else meeting.place,
        idempotency_key=f"meeting-opinion-{opinion.pk}",
    )
    appeal = appeals.accept_appeal(actor=actor, appeal=appeal)
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    if opinion.handling == Handling.ON_THE_SPOT:
        appeal = appeals.resolve_appeal(
            actor=actor,
            appeal=appeal,
            note=opinion.answer,
            on_the_spot=True,
            organisation=opinion.organisation,
        )
        return appeals.report_back(
            actor=actor,
            appeal=appeal,
            note=gettext("Answered at the meeting of %(date)s: %(answer)s")
            % {"date": when, "answer": opinion.answer},
        )
    if opinion.organisation is not None:
        return appeals.refer_appeal(
            actor=actor,
            appeal=appeal,
            organisation=opinion.organisation,
            note=gettext("Raised at the meeting of %(date)s; its result is reported at the next.")
            % {"date": when},
        )
    return appeals.defer_appeal(
        actor=actor,
        appeal=appeal,
        note=gettext("Raised at the meeting of %(date)s.") % {"date": when},
    )


def close_meeting(*, actor: Any, meeting: Meeting, summary: str = "") -> Meeting:
    """End the session; every opinion must be classified first."""
    _check_access(actor, meeting, "close")
    with atomic_action():
        meeting = _lock(meeting)
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
        _audit(actor, "closed", meeting)
    return meeting


def approve_minutes(*, actor: Any, meeting: Meeting) -> Meeting:
    """The chair (or a leader) approves the minutes; they are published on the board and
    nothing of the meeting can change afterwards."""
    _check_access(actor, meeting, "approve_minutes")
    # One transaction: the meeting locked, the notice published, the status changed. Two
    # approvals queue on the lock and the second finds the minutes published.
    with atomic_action():
        meeting = _lock(meeting)
        MEETING_FLOW.check_status(meeting, "approve_minutes")
        meeting.notice = publish_notice(
            actor=actor,
            community=meeting.community,
            kind=NoticeKind.MINUTES,
            title=gettext("Minutes: %(topic)s (%(date)s)")
            % {"topic": meeting.topic, "date": _when(meeting)[:10]},
            body=minutes_text(meeting),
            source=meeting,
        )
        meeting.status = Status.PUBLISHED
        meeting.save(update_fields=["status", "notice"])
        _audit(actor, "minutes_published", meeting)
    return meeting


def minutes_text(meeting: Meeting) -> str:
    """The minutes as plain text for the notice board: attendance, report-back, opinions and
    answers, resolutions with their counts. Residents are not named where they asked not to
    be, and no one's address or phone appears."""
    present = meeting.attendance.filter(resident__isnull=False).count()
    guests = list(meeting.attendance.filter(organisation__isnull=False))
    lines = [
        gettext("Time: %(when)s") % {"when": _when(meeting)},
        gettext("Place: %(place)s") % {"place": meeting.place},
        gettext("Kind: %(kind)s") % {"kind": meeting.get_kind_display()},
        gettext("Residents attending: %(n)s") % {"n": present},
    ]
    if meeting.body_size is not None:
        lines.append(gettext("Members of the body: %(n)s") % {"n": meeting.body_size})
    if guests:
        lines.append(
            gettext("Organisations: %(names)s")
            % {"names": "、".join(f"{a.organisation}（{a.name}）" for a in guests)}
        )
    report = list(meeting.report.all())
    lines += ["", gettext("1. Report on opinions raised at earlier meetings")]
    if not report:
        lines.append(gettext("None outstanding."))
    for item in report:
        lines.append(
            f"- {item.text[:200]} · {item.status_label} · {item.done[:200] or '—'}"
            + (f" · {item.verdict_label}" if item.verdict else "")
        )
    lines += ["", gettext("2. Opinions raised at this meeting")]
    for opinion in meeting.opinions.select_related("organisation"):
        answer = opinion.answer if opinion.handling == Handling.ON_THE_SPOT else ""
        lines.append(
            f"- {opinion.text[:200]} · {opinion.get_handling_display()}"
            + (f"：{answer[:200]}" if answer else "")
            + (f" · {opinion.organisation}" if opinion.organisation else "")
        )
    lines += ["", gettext("3. Resolutions")]
    for resolution in meeting.resolutions.all():
        lines.append(
            gettext(
                "- %(text)s: for %(for)s, against %(against)s, abstain %(abstain)s, "
                "present %(present)s — %(result)s"
            )
            % {
                "text": resolution.text[:300],
                "for": resolution.votes_for,
                "against": resolution.votes_against,
                "abstain": resolution.abstentions,
                "present": resolution.present,
                "result": gettext("passed") if resolution.passed else gettext("not passed"),
            }
        )
    if meeting.minutes_summary:
        lines += ["", meeting.minutes_summary]
    return "\n".join(lines)


# --- petitions ------------------------------------------------------------------------------


def threshold(community: Community, basis: str) -> int:
    """How many must sign: more than or equal to 1/5 of adults or households, 1/3 of groups
    (each grid of the community is one resident group)."""
    if basis == Basis.ADULTS:
        total = int(adults(community).count())
        return max(1, -(-total // 5))
    if basis == Basis.HOUSEHOLDS:
        total = (
            Household.objects.filter(community=community, members__status=ResidentStatus.ACTIVE)
            .distinct()
            .count()
        )
        return max(1, -(-total // 5))
    total = Grid.objects.filter(community=community).count()
    return max(1, -(-total // 3))


def petition_count(petition: Petition) -> int:
    """Signatures as the basis counts them: adults, households, or resident groups (a group
    counts once one of its residents' representatives has signed)."""
    signed = Signature.objects.filter(petition=petition)
    if petition.basis == Basis.ADULTS:
        return int(signed.count())
    if petition.basis == Basis.HOUSEHOLDS:
        return int(
            signed.exclude(resident__household=None)
            .values("resident__household")
            .distinct()
            .count()
        )
    return int(
        signed.filter(resident__tags__code=REPRESENTATIVE_TAG)
        .exclude(resident__household__entrance__building__grid=None)
        .values("resident__household__entrance__building__grid")
        .distinct()
        .count()
    )


def start_petition(
    *, actor: Any, community: Community, basis: str, subject: str, idempotency_key: str = ""
) -> Petition:
    """A resident (or staff, for residents on paper) starts a demand for a meeting."""
    key = idempotency_key or secrets.token_hex(16)
    existing = Petition.objects.filter(idempotency_key=key, community=community).first()
    if existing is not None:
        return existing
    resident = _resident_of(actor, community)
    if resident is None:
        require_role(actor, community, *WORKERS)
    if basis not in Basis.values:
        raise DomainError("basis_unknown", _("Unknown basis."))
    if not subject.strip():
        raise DomainError("subject_missing", _("Say what the meeting should discuss."))
    with atomic_action():
        petition = Petition.objects.create(
            community=community,
            basis=basis,
            subject=subject.strip()[:300],
            created_by=actor,
            idempotency_key=key,
        )
        audit.record(
            actor=actor,
            code="meetings.petition_started",
            community=community,
            target=petition,
            data={"subject": petition.subject},
        )
        if resident is not None:
            sign_petition(actor=actor, petition=petition)
    return petition


def _resident_of(actor: Any, community: Community) -> Resident | None:
    return Resident.objects.filter(
        user_id=getattr(actor, "pk", None) or 0, community=community, status="active"
    ).first()


def sign_petition(*, actor: Any, petition: Petition, resident: Resident | None = None) -> Signature:
    """A resident signs in linli; staff enter a paper signature by naming the resident."""
    community = petition.community
    if resident is None:
        resident = _resident_of(actor, community)
        if resident is None:
            raise AccessDenied(
                "access_denied", _("Only residents of this community sign its petitions.")
            )
        on_paper = False
    else:
        if not PETITION_FLOW.permits(actor, petition, "sign_on_paper"):
            raise AccessDenied("access_denied", ROLE_REFUSED)
        on_paper = True
        if resident.community_id != community.pk or resident.status != "active":
            raise DomainError("not_resident", _("%(name)s does not live here."), name=resident.name)
    if not adults(community).filter(pk=resident.pk).exists():
        raise DomainError("not_adult", _("Only adult residents may sign."))
    try:
        with atomic_action():
            petition = Petition.objects.select_for_update().get(pk=petition.pk)
            PETITION_FLOW.check_status(petition, "sign_on_paper" if on_paper else "sign")
            signature = Signature.objects.create(
                petition=petition,
                resident=resident,
                on_paper=on_paper,
                entered_by=actor if on_paper else None,
            )
            audit.record(
                actor=actor,
                code="meetings.petition_signed",
                community=community,
                target=petition,
                data={"subject": petition.subject, "paper": on_paper},
            )
            if PETITION_FLOW.allows(petition, "reach"):
                needed = threshold(community, petition.basis)
                if petition_count(petition) >= needed:
                    petition.status = PetitionStatus.REACHED
                    petition.threshold = needed
                    petition.reached_at = timezone.now()
                    petition.save(update_fields=["status", "threshold", "reached_at"])
                    leaders = User.objects.filter(
                        roles__role__in=LEADERS, roles__community=community
                    )
                    notify(
                        users=list(leaders),
                        code="meetings.petition_reached",
                        community=community,
                        data={"subject": petition.subject},
                        url=reverse("meetings:petition", args=[community.code, petition.pk]),
                    )
    except IntegrityError:
        raise DomainError(
            "already_signed", _("%(name)s has already signed."), name=resident.name
        ) from None
    return signature


# --- accountability -------------------------------------------------------------------------


@dataclass
class OrganisationRecord:
    organisation: Organisation
    raised: int
    on_the_spot: int
    follow_up: int
    finished: int
    average_days: float | None


def organisation_records(community: Community) -> list[OrganisationRecord]:
    """Per organisation: opinions raised to it at this community's meetings, answered on the
    spot or followed up, and how long the follow-ups took to a result."""
    opinions = (
        Opinion.objects.filter(meeting__community=community, organisation__isnull=False)
        .exclude(handling=Handling.PENDING)
        .select_related("organisation", "appeal")
    )
    records: dict[int, OrganisationRecord] = {}
    durations: dict[int, list[float]] = {}
    for opinion in opinions:
        if opinion.organisation is None:  # pragma: no cover  (filtered out above)
            continue
        record = records.setdefault(
            opinion.organisation.pk, OrganisationRecord(opinion.organisation, 0, 0, 0, 0, None)
        )
        record.raised += 1
        if opinion.handling == Handling.ON_THE_SPOT:
            record.on_the_spot += 1
            continue
        record.follow_up += 1
        appeal = opinion.appeal
        if appeal is not None and appeal.solved_at is not None:
            record.finished += 1
            days = (appeal.solved_at - appeal.created_at).total_seconds() / 86400
            durations.setdefault(opinion.organisation.pk, []).append(days)
    for pk, values in durations.items():
        records[pk].average_days = round(sum(values) / len(values), 1)
    return sorted(records.values(), key=lambda r: r.organisation.name)


def meetings_for_resident(user: Any) -> Any:
    """Planned and open meetings of the resident's community."""
    resident = Resident.objects.filter(user_id=getattr(user, "pk", None) or 0, status="active")
    return Meeting.objects.filter(
        community__in=resident.values("community"),
        status__in=[Status.PLANNED, Status.OPEN],
    ).filter(~Q(kind=Kind.STUDY))
