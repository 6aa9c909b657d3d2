"""Handling an appeal: accept, work, resolve or refer, report back, the verdict, merging."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.appeals import deadlines, rates, recipients
from linli.appeals.actions._base import _lock, _step, _tell
from linli.appeals.models import (
    APPEAL_FLOW,
    REOPENING_VERDICTS,
    Appeal,
    Outcome,
    Status,
    Verdict,
)
from linli.core.errors import DomainError
from linli.core.models import Organisation
from linli.core.transactions import atomic_action


def accept_appeal(*, actor: Any, appeal: Appeal, note: str = "") -> Appeal:
    """Sign for the appeal and contact the resident; the acceptor stays responsible (首接负责)."""
    APPEAL_FLOW.check_access(actor, appeal, "accept")
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
    APPEAL_FLOW.check_access(actor, appeal, "dispute")
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
    APPEAL_FLOW.check_access(actor, appeal, "start")
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
    APPEAL_FLOW.check_access(actor, appeal, "resolve")
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
    APPEAL_FLOW.check_access(actor, appeal, "cannot_resolve")
    return _solve(actor, appeal, "cannot_resolve", Outcome.CANNOT, reason, "cannot_resolve")


def refer_appeal(
    *, actor: Any, appeal: Appeal, organisation: Organisation, note: str = ""
) -> Appeal:
    """Refer to an organisation that serves the community; its liaison answers in linli."""
    APPEAL_FLOW.check_access(actor, appeal, "refer")
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
    APPEAL_FLOW.check_access(actor, appeal, "answer_referral")
    outcome = Outcome.ORGANISATION if resolved else Outcome.CANNOT
    return _solve(actor, appeal, "answer_referral", outcome, note, "organisation_answered")


def defer_appeal(*, actor: Any, appeal: Appeal, note: str = "") -> Appeal:
    """一时解决不了: carried to the next residents' meeting, where it is reported."""
    APPEAL_FLOW.check_access(actor, appeal, "defer")
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
    APPEAL_FLOW.check_access(actor, appeal, "report_back")
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
    APPEAL_FLOW.check_access(actor, appeal, "verdict")
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
    APPEAL_FLOW.check_access(actor, duplicate, "merge")
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
    APPEAL_FLOW.check_access(actor, appeal, "invalid")
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
