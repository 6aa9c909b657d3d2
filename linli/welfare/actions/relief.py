"""临时救助 that cannot wait: paid first in an emergency (先行救助), documented after."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.errors import DomainError
from linli.core.notify import notify
from linli.core.roles import LEADERS
from linli.core.transactions import atomic_action
from linli.welfare.actions.common import audit_case, lock, tell_household
from linli.welfare.benefits import cents
from linli.welfare.exclusion import case_staff
from linli.welfare.models import Application, ProgrammeKind
from linli.welfare.workflow import APPLICATION_FLOW


def _check_payment(application: Application, amount: Decimal, reason: str) -> None:
    programme = application.programme
    if programme.kind != ProgrammeKind.TEMPORARY or programme.emergency_limit <= 0:
        raise DomainError("no_emergency", _("This programme does not pay before the procedure."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Say why it cannot wait."))
    if not amount.is_finite() or amount <= 0:
        raise DomainError("amount_missing", _("Please give the amount paid."))
    if amount > programme.emergency_limit:
        raise DomainError(
            "over_limit",
            _(
                "More than %(limit)s yuan cannot be paid before the procedure; the case goes "
                "through the full review."
            ),
            limit=programme.emergency_limit,
        )


def pay_first(*, actor: Any, application: Application, amount: Decimal, reason: str) -> Application:
    """先行救助: temporary relief that cannot wait is paid at once, up to the programme's local
    limit, by a leader or reviewer who is not related; the procedure then documents it."""
    APPLICATION_FLOW.check_access(actor, application, "pay_first")
    _check_payment(application, amount, reason)
    with atomic_action():
        application = lock(application)
        APPLICATION_FLOW.check_status(application, "pay_first")
        if application.emergency_paid_at is not None:
            raise DomainError("paid_already", _("Emergency relief was already paid on this case."))
        application.emergency_amount = cents(amount)
        application.emergency_reason = reason.strip()[:300]
        application.emergency_paid_at = timezone.now()
        application.emergency_paid_by = actor
        application.save(
            update_fields=[
                "emergency_amount",
                "emergency_reason",
                "emergency_paid_at",
                "emergency_paid_by",
            ]
        )
        paid = str(application.emergency_amount)
        audit_case(actor, "paid_first", application, amount=paid)
        tell_household(application, "welfare.paid_first", {"amount": paid})
        notify(
            users=case_staff(application, *LEADERS),
            code="welfare.paid_first_staff",
            community=application.community,
            data={"number": application.pk, "amount": paid},
            url="",
        )
    return application
