"""Every state change of an appeal: intake, handling, report-back, verdict, and the tick."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.appeals import deadlines, rates, recipients
from linli.appeals.intake import MAX_TEXT, new_appeal_fields
from linli.appeals.models import (
    APPEAL_FLOW,
    REOPENING_VERDICTS,
    Appeal,
    AppealEvent,
    AppealPhoto,
    Category,
    Extension,
    Outcome,
    Status,
    Verdict,
)
from linli.appeals.photos import CleanPhoto, PhotoInput, clean_photos
from linli.appeals.results import monthly_results
from linli.core import audit, roles
from linli.core.access import require_role
from linli.core.calendar import add_working_days
from linli.core.errors import DomainError
from linli.core.models import Community, Organisation, Role, User
from linli.core.notify import notify, notify_role
from linli.core.transactions import atomic_action, in_caller_transaction
from linli.notices.actions import publish_notice
from linli.notices.models import NoticeKind
from linli.people.models import Resident

log = logging.getLogger(__name__)
NUMBER_ATTEMPTS = 5


# --- helpers (no transactions of their own) -------------------------------------------------


def _step(
    appeal: Appeal,
    actor: Any,
    code: str,
    *,
    note: str = "",
    internal: bool = False,
    data: dict[str, Any] | None = None,
) -> None:
    """One timeline line and one audit event for a step."""
    values = {"number": appeal.number, "note": note, **(data or {})}
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor if getattr(actor, "pk", None) else None,
        code=code,
        note=note,
        internal=internal,
        data=values,
    )
    audit.record(
        actor=actor,
        code=f"appeals.{code}",
        community=appeal.community,
        target=appeal,
        data={"number": appeal.number, "step": code, "status": appeal.status},
    )


def _permit(actor: Any, appeal: Appeal, step: str) -> None:
    """Refuse the person (their role, or the step's own condition) before anything is checked
    or written; the status is checked on the locked row (APPEAL_FLOW.check_status)."""
    if not APPEAL_FLOW.permits(actor, appeal, step):
        APPEAL_FLOW.check(actor, appeal, step)


def _lock(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update().select_related("community", "category").get(pk=appeal.pk)
    )


def _url(appeal: Appeal) -> str:
    return reverse("appeals:detail", args=[appeal.community.code, appeal.pk])


def _tell(appeal: Appeal, users: Iterable[User | int], code: str) -> None:
    """Notify people about an appeal, with a link to it."""
    notify(
        users=users,
        code=code,
        community=appeal.community,
        data={"number": appeal.number},
        url=_url(appeal),
    )


def submit_appeal(
    *,
    actor: Any,
    community: Community,
    channel: str,
    category: Category,
    text: str,
    idempotency_key: str,
    urgency: str = "",
    resident: Resident | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    building: str = "",
    entrance: str = "",
    room: str = "",
    place: str = "",
    allow_public: bool = False,
    external_number: str = "",
    photos: list[PhotoInput] | None = None,
) -> Appeal:
    """Receive an appeal from any channel; the same idempotency key is always one appeal.

    A repeated request (double click, reload, retry) is recognised by the key's unique
    constraint when it is inserted, so the common case costs no look-up."""
    fields = new_appeal_fields(
        actor=actor,
        community=community,
        channel=channel,
        category=category,
        text=text,
        urgency=urgency,
        resident=resident,
        contact_name=contact_name,
        contact_phone=contact_phone,
        room=(building, entrance, room),
        place=place,
    )
    cleaned_photos = clean_photos(photos or [])
    fields.update(
        allow_public=allow_public,
        external_number=external_number.strip(),
        idempotency_key=idempotency_key,
    )
    # The number is short enough to read out on the phone, so two appeals of a busy day may
    # draw the same one: a collision is recognised and drawn again.
    for _attempt in range(NUMBER_ATTEMPTS):
        day = fields["created_at"].strftime("%Y%m%d")
        number = f"{community.code.upper()}-{day}-{uuid.uuid4().hex[:6].upper()}"
        try:
            if not in_caller_transaction():
                return _create_appeal(actor, number, fields, cleaned_photos)
            # Inside a meeting's or a visit's transaction a number drawn twice must not doom
            # the caller: the attempt gets a savepoint of its own, and the number is drawn again.
            with transaction.atomic():
                return _create_appeal(actor, number, fields, cleaned_photos)
        except IntegrityError:
            found = _submitted_before(community, fields)
            if found is not None:
                return found
            if not Appeal.objects.filter(number=number).exists():
                raise  # another constraint: not ours to paper over
            log.info("appeal number %s drawn twice; drawing again", number)
    raise DomainError("busy", _("linli is busy; please send it again."))


def _create_appeal(
    actor: Any, number: str, fields: dict[str, Any], photos: list[CleanPhoto]
) -> Appeal:
    """The new appeal, its photos, its first timeline line and the staff told, together."""
    with atomic_action():
        appeal = Appeal.objects.create(number=number, **fields)
        rates.record_change(appeal, before={})
        for photo in photos:
            AppealPhoto.objects.create(
                appeal=appeal,
                image=photo.content,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
        _step(appeal, actor, "submitted", data={"channel": appeal.channel})
        # The grid's workers if the grid has any, else every staff member.
        notify_role(
            role=Role.STAFF,
            community=appeal.community,
            grid_id=appeal.grid_id,
            code="appeals.new",
            data={"number": appeal.number, "category": appeal.category.name},
            url=_url(appeal),
        )
    return appeal


def _submitted_before(community: Community, fields: dict[str, Any]) -> Appeal | None:
    """After a unique constraint refused the new appeal: the appeal this same form already
    made, or the refusal; None when only the number was drawn twice."""
    key, external_number = fields["idempotency_key"], fields["external_number"]
    found = Appeal.objects.filter(idempotency_key=key, community=community).first()
    if found is not None:
        return found
    if (
        external_number
        and Appeal.objects.filter(community=community, external_number=external_number).exists()
    ):
        raise DomainError(
            "external_duplicate",
            _("Work order %(number)s was already received."),
            number=external_number,
        ) from None
    if Appeal.objects.filter(idempotency_key=key).exists():
        raise DomainError(
            "key_reused", _("This form was already used; please open it again.")
        ) from None
    return None


# --- handling -------------------------------------------------------------------------------


def accept_appeal(*, actor: Any, appeal: Appeal, note: str = "") -> Appeal:
    """Sign for the appeal and contact the resident; the acceptor stays responsible (首接负责)."""
    _permit(actor, appeal, "accept")
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "accept")
        before = rates.contribution(appeal)
        appeal.status = Status.ACCEPTED
        appeal.handler = actor
        appeal.accepted_at = timezone.now()
        appeal.save(update_fields=["status", "handler", "accepted_at"])
        rates.record_change(appeal, before)
        _step(appeal, actor, "accepted", note=note, data={"who": str(actor)})
    return appeal


def dispute_dispatch(*, actor: Any, appeal: Appeal, reason: str) -> Appeal:
    """派单异议: the receiver says it is not theirs; it goes back to be dispatched again."""
    _permit(actor, appeal, "dispute")
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "dispute")
        before = rates.contribution(appeal)
        appeal.status = Status.RECEIVED
        appeal.handler = None
        appeal.escalated = True
        appeal.save(update_fields=["status", "handler", "escalated"])
        rates.record_change(appeal, before)
        _step(appeal, actor, "disputed", data={"reason": reason.strip()})
        _tell(appeal, recipients.leaders(appeal.community), "appeals.disputed")
    return appeal


def start_work(*, actor: Any, appeal: Appeal) -> Appeal:
    """Work on the appeal starts."""
    _permit(actor, appeal, "start")
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "start")
        before = rates.contribution(appeal)
        appeal.status = Status.IN_PROGRESS
        appeal.save(update_fields=["status"])
        rates.record_change(appeal, before)
        _step(appeal, actor, "started")
    return appeal


def _solve(
    actor: Any,
    appeal: Appeal,
    action: str,
    outcome: str,
    note: str,
    code: str,
    organisation: Organisation | None = None,
) -> Appeal:
    if not note.strip():
        raise DomainError("note_missing", _("Please say what was done."))
    if (
        organisation is not None
        and not organisation.communities.filter(pk=appeal.community_id).exists()
    ):
        raise DomainError(
            "organisation_elsewhere", _("This organisation does not serve the community.")
        )
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, action)
        if (
            outcome in {Outcome.ON_THE_SPOT, Outcome.RESOLVED}
            and organisation is None
            and not appeal.category.within_duties
        ):
            raise DomainError(
                "outside_duties",
                _("This matter is outside the community's duties: refer it to the organisation."),
            )
        before = rates.contribution(appeal)
        appeal.status = Status.SOLVED
        appeal.outcome = outcome
        appeal.outcome_note = note.strip()
        appeal.solved_at = timezone.now()
        fields = ["status", "outcome", "outcome_note", "solved_at"]
        if organisation is not None:
            appeal.organisation = organisation
            fields.append("organisation")
        appeal.save(update_fields=fields)
        rates.record_change(appeal, before)
        _step(appeal, actor, code, note=note.strip(), data=_organisation_data(appeal))
    return appeal


def _organisation_data(appeal: Appeal) -> dict[str, Any]:
    return {"organisation": appeal.organisation.name if appeal.organisation else ""}


def resolve_appeal(
    *,
    actor: Any,
    appeal: Appeal,
    note: str,
    on_the_spot: bool = False,
    organisation: Organisation | None = None,
) -> Appeal:
    """Resolved (现场解决 when on the spot). `organisation`: its representative answered
    face to face, e.g. at a residents' meeting; then the matter may be outside the
    community's duties, since the community is not its handler."""
    _permit(actor, appeal, "resolve")
    outcome, code = (
        (Outcome.ON_THE_SPOT, "resolved_on_the_spot")
        if on_the_spot
        else (Outcome.RESOLVED, "resolved")
    )
    if organisation is not None:
        code = "organisation_answered_on_the_spot"
    return _solve(actor, appeal, "resolve", outcome, note, code, organisation)


def cannot_resolve(*, actor: Any, appeal: Appeal, reason: str) -> Appeal:
    """Cannot be resolved (policy, outside duties), with the reason the resident will read."""
    _permit(actor, appeal, "cannot_resolve")
    return _solve(actor, appeal, "cannot_resolve", Outcome.CANNOT, reason, "cannot_resolve")


def refer_appeal(
    *, actor: Any, appeal: Appeal, organisation: Organisation, note: str = ""
) -> Appeal:
    """Refer to an organisation that serves the community; its liaison answers in linli."""
    _permit(actor, appeal, "refer")
    if not organisation.communities.filter(pk=appeal.community_id).exists():
        raise DomainError(
            "organisation_elsewhere", _("This organisation does not serve the community.")
        )
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "refer")
        before = rates.contribution(appeal)
        appeal.status = Status.REFERRED
        appeal.organisation = organisation
        appeal.save(update_fields=["status", "organisation"])
        rates.record_change(appeal, before)
        _step(appeal, actor, "referred", note=note, data={"organisation": organisation.name})
        _tell(appeal, recipients.liaisons_of(organisation.pk), "appeals.referred")
    return appeal


def answer_referral(*, actor: Any, appeal: Appeal, note: str, resolved: bool = True) -> Appeal:
    """The organisation's liaison answers a referred appeal."""
    _permit(actor, appeal, "answer_referral")
    outcome = Outcome.ORGANISATION if resolved else Outcome.CANNOT
    return _solve(actor, appeal, "answer_referral", outcome, note, "organisation_answered")


def defer_appeal(*, actor: Any, appeal: Appeal, note: str = "") -> Appeal:
    """一时解决不了: carried to the next residents' meeting, where it is reported."""
    _permit(actor, appeal, "defer")
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "defer")
        before = rates.contribution(appeal)
        appeal.status = Status.DEFERRED
        appeal.save(update_fields=["status"])
        rates.record_change(appeal, before)
        _step(appeal, actor, "deferred", note=note)
    return appeal


def report_back(*, actor: Any, appeal: Appeal, note: str) -> Appeal:
    """反馈: tell the resident what was done; they are asked for their verdict."""
    _permit(actor, appeal, "report_back")
    if not note.strip():
        raise DomainError("note_missing", _("Please write what the resident is told."))
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "report_back")
        now = timezone.now()
        before = rates.contribution(appeal)
        appeal.status = Status.REPORTED
        appeal.reported_at = now
        appeal.verdict_asked_at = now
        appeal.save(update_fields=["status", "reported_at", "verdict_asked_at"])
        rates.record_change(appeal, before)
        _step(appeal, actor, "reported_back", note=note.strip())
        # Residents of merged duplicates give their own verdicts, on their own appeals.
        for duplicate in appeal.merged.filter(status=Status.MERGED).select_for_update():
            before = rates.contribution(duplicate)
            duplicate.status = Status.REPORTED
            duplicate.reported_at = now
            duplicate.verdict_asked_at = now
            duplicate.outcome, duplicate.outcome_note = appeal.outcome, appeal.outcome_note
            duplicate.save(
                update_fields=[
                    "status",
                    "reported_at",
                    "verdict_asked_at",
                    "outcome",
                    "outcome_note",
                ]
            )
            rates.record_change(duplicate, before)
            _step(duplicate, actor, "reported_back", note=note.strip())
        _tell(appeal, recipients.residents_of(appeal), "appeals.reported_back")
    return appeal


def give_verdict(*, actor: Any, appeal: Appeal, verdict: str, comment: str = "") -> Appeal:
    """The resident's verdict; 不满意 or worse reopens the appeal and escalates it (重办)."""
    if verdict not in Verdict.values or verdict == Verdict.NONE:
        raise DomainError("verdict_unknown", _("Choose one of the five answers."))
    _permit(actor, appeal, "verdict")
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "verdict")
        before = rates.contribution(appeal)
        appeal.verdict = verdict
        label = str(Verdict(verdict).label)
        _step(appeal, actor, "verdict", note=comment.strip(), data={"verdict": label})
        if verdict in REOPENING_VERDICTS and appeal.merged_into_id:
            # The resident of a merged duplicate is dissatisfied: the main case is reopened.
            appeal.status = Status.CLOSED
            appeal.closed_at = timezone.now()
            appeal.save(update_fields=["verdict", "status", "closed_at"])
            rates.record_change(appeal, before)
            main = _lock(Appeal(pk=appeal.merged_into_id))
            if main.status in {Status.REPORTED, Status.CLOSED, Status.SOLVED}:
                main_before = rates.contribution(main)
                _reopen(actor, main, label)
                rates.record_change(main, main_before)
        elif verdict in REOPENING_VERDICTS:
            _reopen(actor, appeal, label, also=["verdict"])
            rates.record_change(appeal, before)
        else:
            appeal.status = Status.CLOSED
            appeal.closed_at = timezone.now()
            appeal.save(update_fields=["verdict", "status", "closed_at"])
            rates.record_change(appeal, before)
            _step(appeal, actor, "closed")
    return appeal


def _reopen(actor: Any, appeal: Appeal, verdict: str, also: Iterable[str] = ()) -> None:
    """重办: back in progress with a new feedback deadline, escalated to the leaders."""
    appeal.status = Status.IN_PROGRESS
    appeal.reopen_count += 1
    appeal.escalated = True
    appeal.feedback_due_at = deadlines.feedback_deadline(
        timezone.now(), appeal.urgency, appeal.category
    ).at
    appeal.save(update_fields=[*also, "status", "reopen_count", "escalated", "feedback_due_at"])
    _step(appeal, actor, "reopened", data={"verdict": verdict})
    _tell(appeal, recipients.leaders_and_handler(appeal), "appeals.reopened")


def merge_appeal(*, actor: Any, duplicate: Appeal, into: Appeal) -> Appeal:
    """Merge a duplicate into an open appeal: its resident follows the main case from now on
    and still gives their own verdict on their own appeal."""
    _permit(actor, duplicate, "merge")
    if duplicate.pk == into.pk or duplicate.community_id != into.community_id:
        raise DomainError("merge_invalid", _("Choose another open appeal of this community."))
    with atomic_action():
        duplicate = _lock(duplicate)
        into = _lock(into)
        APPEAL_FLOW.check_status(duplicate, "merge")
        if not into.is_open:
            raise DomainError("merge_target_closed", _("The appeal merged into must be open."))
        before = rates.contribution(duplicate)
        duplicate.status = Status.MERGED
        duplicate.merged_into = into
        duplicate.save(update_fields=["status", "merged_into"])
        rates.record_change(duplicate, before)
        if duplicate.submitter_id:
            into.merged_residents.add(duplicate.submitter_id)
        _step(duplicate, actor, "merged", data={"into": into.number})
        _step(into, actor, "merged_in", internal=True, data={"duplicate": duplicate.number})
    return duplicate


def mark_invalid(*, actor: Any, appeal: Appeal, reason: str) -> Appeal:
    """Spam or abuse; a leader's decision, with the reason kept."""
    _permit(actor, appeal, "invalid")
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "invalid")
        before = rates.contribution(appeal)
        appeal.status = Status.INVALID
        appeal.closed_at = timezone.now()
        appeal.save(update_fields=["status", "closed_at"])
        rates.record_change(appeal, before)
        _step(appeal, actor, "invalid", note=reason.strip())
    return appeal


def request_extension(*, actor: Any, appeal: Appeal, days: int, reason: str) -> Extension:
    """延期: the handler asks a leader for more working days."""
    _permit(actor, appeal, "extend")
    if not 1 <= days <= 30:
        raise DomainError("days_invalid", _("Between 1 and 30 working days."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    APPEAL_FLOW.check_status(appeal, "extend")
    try:
        with atomic_action():
            extension = Extension.objects.create(
                appeal=appeal, requested_by=actor, days=days, reason=reason.strip()
            )
            _step(
                appeal,
                actor,
                "extension_requested",
                internal=True,
                note=reason.strip(),
                data={"days": days},
            )
            _tell(appeal, recipients.leaders(appeal.community), "appeals.extension_requested")
    except IntegrityError:
        raise DomainError(
            "extension_pending", _("An extension is already waiting for a decision.")
        ) from None
    return extension


def decide_extension(*, actor: Any, extension: Extension, approve: bool) -> Extension:
    """A leader approves (the deadline moves) or refuses a request for more time."""
    _permit(actor, extension.appeal, "decide_extension")
    with atomic_action():
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        if extension.approved is not None:
            raise DomainError("decided", _("This request was already decided."))
        appeal = _lock(extension.appeal)
        extension.approved = approve
        extension.decided_by = actor
        extension.decided_at = timezone.now()
        extension.save(update_fields=["approved", "decided_by", "decided_at"])
        if approve:
            appeal.feedback_due_at = add_working_days(appeal.feedback_due_at, extension.days).at
            appeal.save(update_fields=["feedback_due_at"])
            _step(appeal, actor, "extended", data={"days": extension.days})
        else:
            _step(appeal, actor, "extension_decided", internal=True, note="refused")
    return extension


def supervise_appeal(*, actor: Any, appeal: Appeal, note: str, deadline: dt.date) -> Appeal:
    """督办: a leader follows the appeal with a note and a new deadline."""
    _permit(actor, appeal, "supervise")
    if deadline < timezone.localdate():
        raise DomainError("deadline_past", _("The new deadline is in the past."))
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "supervise")
        appeal.supervised = True
        appeal.feedback_due_at = timezone.make_aware(
            dt.datetime.combine(deadline, dt.time(23, 59, 59))
        )
        appeal.save(update_fields=["supervised", "feedback_due_at"])
        _step(
            appeal, actor, "supervised", note=note.strip(), data={"deadline": deadline.isoformat()}
        )
        if appeal.handler:
            _tell(appeal, [appeal.handler], "appeals.supervised")
    return appeal


def add_information(*, actor: Any, appeal: Appeal, text: str) -> Appeal:
    """The resident adds to their own appeal (a photo's caption, a new fact)."""
    _permit(actor, appeal, "add_information")
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise DomainError("text_missing", _("Please write what you want to add."))
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "add_information")
        _step(appeal, actor, "information_added", note=text)
        if appeal.handler:
            _tell(appeal, [appeal.handler], "appeals.information_added")
    return appeal


def add_note(*, actor: Any, appeal: Appeal, text: str) -> Appeal:
    """An internal note, for staff only."""
    _permit(actor, appeal, "note")
    if not text.strip():
        raise DomainError("text_missing", _("The note is empty."))
    with atomic_action():
        _step(appeal, actor, "note", note=text.strip(), internal=True)
    return appeal


# --- the periodic tick ----------------------------------------------------------------------


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
