"""After approval: changes the household reports, the periodic review that deals with them,
suspension, resumption and the end of a benefit, and the audited export of the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import require_role
from linli.core.errors import DomainError
from linli.core.models import Community
from linli.core.notify import notify
from linli.core.roles import WELFARE_REGISTER_READERS, WELFARE_REVIEWERS
from linli.core.transactions import atomic_action
from linli.welfare.actions.common import audit_case, tell_household
from linli.welfare.benefits import MAX_MONTHLY_INCOME, cents, months_later, review_interval
from linli.welfare.exclusion import case_staff, is_own_household
from linli.welfare.ledger import write_register
from linli.welfare.models import Benefit, BenefitChange
from linli.welfare.workflow import BENEFIT_FLOW, STATE_STEPS

Outcome = BenefitChange.Outcome


def _lock(benefit: Benefit) -> Benefit:
    return (
        Benefit.objects.select_for_update()
        .select_related("application__community", "application__programme")
        .get(pk=benefit.pk)
    )


def report_change(*, actor: Any, benefit: Benefit, note: str) -> BenefitChange:
    """The household reports a change (income, members, address), itself or through staff;
    it waits for a review to deal with it."""
    application = benefit.application
    if not is_own_household(actor, benefit.household_id):
        BENEFIT_FLOW.check_access(actor, benefit, "report")
    if not note.strip():
        raise DomainError("note_missing", _("Please say what has changed."))
    if len(note) > 2000:
        raise DomainError("note_long", _("Please keep it under %(limit)s characters."), limit=2000)
    with atomic_action():
        locked = _lock(benefit)
        BENEFIT_FLOW.check_status(locked, "report")
        change = BenefitChange.objects.create(
            benefit=locked, kind=BenefitChange.Kind.REPORTED, note=note.strip(), by=actor
        )
        audit_case(actor, "change_reported", application, change=change.pk)
        notify(
            users=case_staff(application, *WELFARE_REVIEWERS),
            code="welfare.change_reported",
            community=application.community,
            data={"number": application.pk},
            url="",
        )
    return change


def _check_review(outcome: str, note: str, new_amount: Decimal | None) -> None:
    if outcome not in Outcome.values:
        raise DomainError("outcome_unknown", _("Unknown outcome."))
    if not note.strip():
        raise DomainError("note_missing", _("Say what the review found."))
    if outcome == Outcome.ADJUST:
        if new_amount is None or not new_amount.is_finite() or new_amount <= 0:
            raise DomainError("amount_missing", _("Give the new monthly amount."))
        if new_amount > MAX_MONTHLY_INCOME:
            raise DomainError("amount_absurd", _("An amount over a million is not plausible."))


def _apply_outcome(
    benefit: Benefit, outcome: str, new_amount: Decimal | None, today: dt.date
) -> None:
    """The review's outcome on the (locked) benefit, and the next review scheduled."""
    if outcome == Outcome.ADJUST and new_amount is not None:
        benefit.monthly_amount = cents(new_amount)
    if outcome == Outcome.SUSPEND:
        benefit.state = Benefit.State.SUSPENDED
    elif outcome == Outcome.END:
        benefit.state = Benefit.State.ENDED
    elif benefit.state == Benefit.State.SUSPENDED:
        # Continued or adjusted: the benefit is paid again.
        _require_no_other_active(benefit)
        benefit.state = Benefit.State.ACTIVE
    benefit.next_review_on = months_later(today, review_interval(benefit.irregular_income))
    benefit.save(update_fields=["irregular_income", "monthly_amount", "state", "next_review_on"])


def review_benefit(
    *,
    actor: Any,
    benefit: Benefit,
    outcome: str,
    note: str,
    new_amount: Decimal | None = None,
    irregular_income: bool | None = None,
) -> BenefitChange:
    """The periodic review (yearly, or every 6 months where income is irregular), which also
    deals with every change the household reported: the benefit continues, is adjusted from
    next month, is suspended or ends; the next review is scheduled."""
    BENEFIT_FLOW.check_access(actor, benefit, "review")
    _check_review(outcome, note, new_amount)
    application = benefit.application
    with atomic_action():
        locked = _lock(benefit)
        BENEFIT_FLOW.check_status(locked, "review")
        old = locked.monthly_amount
        if irregular_income is not None:
            locked.irregular_income = irregular_income
        _apply_outcome(locked, outcome, new_amount, timezone.localdate())
        review = BenefitChange.objects.create(
            benefit=locked,
            kind=BenefitChange.Kind.REVIEW,
            outcome=outcome,
            note=note.strip(),
            old_amount=old,
            new_amount=locked.monthly_amount,
            by=actor,
        )
        BenefitChange.objects.filter(
            benefit=locked, kind=BenefitChange.Kind.REPORTED, handled_by_review=None
        ).update(handled_by_review=review)
        new = str(locked.monthly_amount)
        audit_case(actor, "benefit_reviewed", application, outcome=outcome, old=str(old), new=new)
        tell_household(
            application,
            "welfare.benefit_reviewed",
            {
                "programme": application.programme.name,
                "outcome": str(Outcome(outcome).label),
                "amount": new,
            },
        )
    return review


def change_benefit(*, actor: Any, benefit: Benefit, state: str, reason: str) -> Benefit:
    """Suspend, end or resume a benefit between reviews, with the reason."""
    step = STATE_STEPS.get(state, "end")  # the same roles for every change of state
    BENEFIT_FLOW.check_access(actor, benefit, step)
    if state not in Benefit.State.values:
        raise DomainError("state_unknown", _("Unknown state."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    application = benefit.application
    with atomic_action():
        locked = _lock(benefit)
        # Ended: refused below as ended, whatever was asked.
        if locked.state == state and state != Benefit.State.ENDED:
            raise DomainError(
                "state_same",
                _("The benefit is already “%(state)s”."),
                state=locked.get_state_display(),
            )
        BENEFIT_FLOW.check_status(locked, step)
        if state == Benefit.State.ACTIVE:
            _require_no_other_active(locked)
        locked.state = state
        locked.save(update_fields=["state"])
        BenefitChange.objects.create(
            benefit=locked,
            kind=state,
            note=reason.strip(),
            old_amount=locked.monthly_amount,
            new_amount=locked.monthly_amount,
            by=actor,
        )
        audit_case(actor, f"benefit_{state}", application, reason=reason.strip()[:200])
        tell_household(
            application,
            "welfare.benefit_changed",
            {
                "programme": application.programme.name,
                "state": str(locked.get_state_display()),
                "reason": reason.strip()[:200],
            },
        )
    return locked


def _require_no_other_active(benefit: Benefit) -> None:
    if (
        Benefit.objects.filter(
            household=benefit.household_id,
            programme=benefit.programme_id,
            state=Benefit.State.ACTIVE,
        )
        .exclude(pk=benefit.pk)
        .exists()
    ):
        raise DomainError(
            "benefit_twice",
            _("The household already receives this programme under another approval."),
        )


def export_register(*, actor: Any, community: Community, out: Any) -> int:
    """The recipients ledger (台账) as xlsx for the subdistrict and the civil-affairs office;
    the export is audited. Returns the households on the register."""
    require_role(actor, community, *WELFARE_REGISTER_READERS)
    ledger = write_register(actor, community, out)
    with atomic_action():
        audit.record(
            actor=actor,
            code="welfare.register_exported",
            community=community,
            data={"rows": ledger.rows, "one_off": ledger.one_off},
        )
    return ledger.rows
