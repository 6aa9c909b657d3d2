"""Audit events of the welfare review."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event
from linli.core.notify import register_notification
from linli.welfare.models import BenefitChange, SelfCare

register_event("welfare.relative_declared", _("A close relative declared (%(relation)s)"))
register_event("welfare.submitted", _("Welfare application #%(number)s submitted"))
register_event(
    "welfare.registered_separately",
    _("Welfare application #%(number)s registered separately: %(staff)s staff related"),
)
register_event("welfare.materials_missing", _("Application #%(number)s: missing %(missing)s"))
register_event("welfare.materials_provided", _("Application #%(number)s: %(materials)s handed in"))
register_event("welfare.accepted", _("Application #%(number)s accepted"))
register_event(
    "welfare.investigated", _("Application #%(number)s: home investigation by %(investigators)s")
)
register_event("welfare.checked", _("Application #%(number)s: %(sources)s sources checked"))
register_event("welfare.opinion", _("Application #%(number)s: preliminary opinion"))
register_event("welfare.on_notice", _("Application #%(number)s on public notice"))
register_event(
    "welfare.reinvestigation", _("Application #%(number)s: objection, investigated again")
)
register_event("welfare.approved", _("Application #%(number)s approved"))
register_event("welfare.refused", _("Application #%(number)s refused"))
register_event(
    "welfare.extended", _("Application #%(number)s: process extended to 45 working days")
)

register_notification(
    "welfare.materials_missing",
    _("Your application needs, all together: %(missing)s. Please hand them in."),
)
register_notification("welfare.decided", _("Your application was decided: %(result)s. %(reasons)s"))
register_notification(
    "welfare.overdue",
    _("Welfare: %(cases)s applications past a deadline, %(reviews)s reviews due."),
)
register_event("welfare.benefit_active", _("Application #%(number)s: benefit resumed (%(reason)s)"))
register_event(
    "welfare.benefit_suspended", _("Application #%(number)s: benefit suspended (%(reason)s)")
)
register_event("welfare.benefit_ended", _("Application #%(number)s: benefit ended (%(reason)s)"))
register_event("welfare.viewed", _("Application #%(number)s opened"))
register_event("welfare.register_exported", _("Recipients ledger exported (%(rows)s households)"))


def _label(field: str, choices: Any) -> Any:
    """A formatter that shows a stored code as its words, in the reader's language."""

    def format_data(data: dict[str, Any]) -> dict[str, Any]:
        code = data.get(field, "")
        return {**data, field: str(choices(code).label) if code in choices.values else code}

    return format_data


register_event(
    "welfare.assessed",
    _("Application #%(number)s: self-care assessed (%(level)s)"),
    _label("level", SelfCare),
)
register_event(
    "welfare.paid_first", _("Application #%(number)s: %(amount)s yuan paid first in an emergency")
)
register_event(
    "welfare.change_reported", _("Application #%(number)s: the household reported a change")
)
register_event(
    "welfare.benefit_reviewed",
    _("Application #%(number)s: benefit reviewed (%(outcome)s)"),
    _label("outcome", BenefitChange.Outcome),
)
register_notification(
    "welfare.paid_first",
    _("Emergency relief of %(amount)s yuan was paid to your household; the review follows."),
)
register_notification(
    "welfare.paid_first_staff",
    _("Application #%(number)s: %(amount)s yuan paid first in an emergency; document it."),
)
register_notification(
    "welfare.change_reported",
    _("Application #%(number)s: the household reported a change; review the benefit."),
)
register_notification(
    "welfare.benefit_reviewed",
    _("Your %(programme)s benefit was reviewed: %(outcome)s; %(amount)s yuan a month."),
)
register_notification(
    "welfare.benefit_changed",
    _("Your %(programme)s benefit is now “%(state)s”: %(reason)s"),
)
