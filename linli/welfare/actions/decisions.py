"""From the preliminary opinion to the decision: the opinion and its public notice (one
transaction), an objection sending the case back to investigation, the decision with its
reasons by a third person, and the benefit it creates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.calendar import add_working_days
from linli.core.errors import DomainError
from linli.core.transactions import atomic_action
from linli.notices.actions import answer_objection, publish_notice
from linli.notices.models import Notice, NoticeKind, open_objections_for
from linli.welfare.actions.common import audit_case, lock, tell_household
from linli.welfare.benefits import (
    MAX_MONTHLY_INCOME,
    calculation_for,
    cents,
    months_later,
    review_interval,
)
from linli.welfare.exclusion import investigators_of, reviewers_of
from linli.welfare.models import Application, Benefit, ProgrammeKind, Status
from linli.welfare.workflow import APPLICATION_FLOW

# --- the preliminary opinion and the public notice ------------------------------------------


def _check_proposed(application: Application, amount: Decimal | None) -> None:
    """Temporary relief: the opinion proposes a plausible one-off amount."""
    if application.programme.kind != ProgrammeKind.TEMPORARY:
        return
    if amount is None or not amount.is_finite() or amount <= 0:
        raise DomainError(
            "amount_missing", _("Temporary relief needs the amount the opinion proposes.")
        )
    if amount > MAX_MONTHLY_INCOME:
        raise DomainError("amount_absurd", _("An amount over a million is not plausible."))


def _check_ready(application: Application, amount: Decimal | None) -> None:
    """On the locked case: every 特困 member assessed; temporary relief not below what was paid
    first."""
    kind = application.programme.kind
    if kind == ProgrammeKind.TEKUN:
        assessed = set(application.assessments.values_list("resident_id", flat=True))
        missing = [
            m.resident.name
            for m in application.members.select_related("resident")
            if m.resident_id not in assessed
        ]
        if missing:
            raise DomainError(
                "assessment_missing",
                _("Assess the self-care of %(names)s first."),
                names="、".join(missing),
            )
    paid = application.emergency_amount
    if kind == ProgrammeKind.TEMPORARY and amount is not None and paid and amount < paid:
        raise DomainError(
            "amount_below_paid",
            _(
                "The relief proposed includes the %(paid)s yuan already paid in the "
                "emergency; it cannot be less."
            ),
            paid=paid,
        )


def give_opinion(
    *, actor: Any, application: Application, opinion: str, amount: Decimal | None = None
) -> Application:
    """The preliminary opinion, by someone who did not investigate, and its public notice, in
    one transaction: both or neither. The amount is calculated, except for temporary relief,
    where the opinion proposes it."""
    APPLICATION_FLOW.check_access(actor, application, "opinion")
    if not opinion.strip():
        raise DomainError("reasons_missing", _("The opinion needs its reasons."))
    if getattr(actor, "pk", None) in investigators_of(application):
        raise DomainError(
            "same_person", _("An investigator cannot also give the preliminary opinion.")
        )
    _check_proposed(application, amount)
    with atomic_action():
        # Under the case's lock: no assessment can change the amount between here and the
        # notice, which publishes the amount stored now.
        application = lock(application)
        APPLICATION_FLOW.check_status(application, "opinion")
        _check_ready(application, amount)
        calc = calculation_for(application)
        application.status = Status.REVIEWED
        application.reviewer = actor
        application.opinion = opinion.strip()
        one_off = application.programme.kind == ProgrammeKind.TEMPORARY
        application.proposed_amount = (
            cents(amount) if one_off and amount is not None else calc.amount
        )
        application.save(update_fields=["status", "reviewer", "opinion", "proposed_amount"])
        audit_case(actor, "opinion", application)
        # The notice joins this transaction: the opinion and its notice stand or fall together.
        notice = _publish(actor, application, calc.members)
        application.status = Status.ON_NOTICE
        application.notice = notice
        application.notice_ends_at = notice.period_ends_at
        application.save(update_fields=["status", "notice", "notice_ends_at"])
        audit_case(actor, "on_notice", application)
    return application


def _publish(actor: Any, application: Application, members: int) -> Notice:
    """The notice: name, household size and the amount the opinion proposed (stored), said
    to be monthly or paid once."""
    one_off = application.programme.kind == ProgrammeKind.TEMPORARY
    return publish_notice(
        actor=actor,
        community=application.community,
        kind=NoticeKind.WELFARE,
        title=gettext("Public notice: %(programme)s applications")
        % {"programme": application.programme.name},
        body=gettext("The amount is paid once.") if one_off else gettext("The amount is monthly."),
        entries=[
            {
                "name": application.applicant.name,
                "household_size": str(members),
                "amount": str(application.proposed_amount),
            }
        ],
        source=application,
    )


def handle_objection(*, actor: Any, application: Application, note: str) -> Application:
    """An objection during the notice: back to a new household investigation (then opinion and
    notice again); the open objections are answered with what follows, in the same
    transaction."""
    APPLICATION_FLOW.check_access(actor, application, "objection")
    if not note.strip():
        raise DomainError("reasons_missing", _("Say what the objection was and what follows."))
    with atomic_action():
        application = lock(application)
        APPLICATION_FLOW.check_status(application, "objection")
        # Every open objection is locked, in one order, before the first answer writes its audit
        # line: answering them one by one would hold the audit chain while waiting for an
        # objection a leader is answering at the notice desk (a deadlock). One answered
        # meanwhile is no longer open when the lock is granted.
        objections = list(open_objections_for(application).select_for_update().order_by("pk"))
        for objection in objections:
            answer_objection(actor=actor, objection=objection, answer=note.strip())
        application.status = Status.ACCEPTED
        application.investigation_due = add_working_days(timezone.now(), 3).at
        application.save(update_fields=["status", "investigation_due"])
        audit_case(actor, "reinvestigation", application, note=note.strip()[:200])
    return application


# --- the decision ---------------------------------------------------------------------------


def _check_decider(actor: Any, application: Application) -> None:
    actor_pk = getattr(actor, "pk", None)
    if (
        actor_pk in investigators_of(application)
        or actor_pk in reviewers_of(application)
        or actor_pk == application.emergency_paid_by_id
    ):
        raise DomainError(
            "same_person",
            _("The decider cannot have investigated, reviewed or paid first on this case."),
        )
    if open_objections_for(application).exists():
        raise DomainError("objection_open", _("An objection to the notice is still open."))


def decide(
    *,
    actor: Any,
    application: Application,
    approve: bool,
    reasons: str,
    irregular_income: bool = False,
) -> Application:
    """The decision, with written reasons, by someone who neither investigated nor reviewed,
    after the notice period, with no objection open."""
    step = "decide" if approve else "refuse"
    APPLICATION_FLOW.check_access(actor, application, step)
    if not reasons.strip():
        raise DomainError("reasons_missing", _("A decision needs its reasons."))
    _check_decider(actor, application)
    now = timezone.now()
    with atomic_action():
        application = lock(application)
        APPLICATION_FLOW.check_status(application, step)
        # An objection is filed holding its notice's row: with the case's notices held, none can
        # arrive between this check and the decision.
        list(
            Notice.objects.for_source(application)
            .select_for_update()
            .order_by("pk")
            .values_list("pk")
        )
        if open_objections_for(application).exists():
            raise DomainError("objection_open", _("An objection to the notice is still open."))
        if application.notice_ends_at and now < application.notice_ends_at:
            raise DomainError("notice_running", _("The 7-day public notice has not ended."))
        application.decider = actor
        application.decision_reasons = reasons.strip()
        application.decided_at = now
        application.status = Status.APPROVED if approve else Status.REFUSED
        # One-off relief: the amount the opinion proposed, paid once; no monthly benefit.
        if approve and application.programme.kind != ProgrammeKind.TEMPORARY:
            _create_benefit(application, timezone.localdate(now), irregular_income)
        application.save(update_fields=["status", "decider", "decision_reasons", "decided_at"])
        audit_case(actor, "approved" if approve else "refused", application)
        tell_household(
            application,
            "welfare.decided",
            {
                "result": str(application.get_status_display()),
                "reasons": application.decision_reasons,
            },
        )
    return application


def _create_benefit(application: Application, today: dt.date, irregular_income: bool) -> Benefit:
    """The household on the register: the amount that was on public notice, not one recomputed
    since, paid from next month, reviewed in 12 months (6 where income is irregular)."""
    amount = application.proposed_amount or calculation_for(application).amount
    starts = months_later(today.replace(day=1), 1)
    return Benefit.objects.create(
        application=application,
        household=application.household,
        programme=application.programme,
        monthly_amount=amount,
        starts_on=starts,
        next_review_on=months_later(starts, review_interval(irregular_income)),
        irregular_income=irregular_income,
    )
