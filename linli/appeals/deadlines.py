"""An appeal's deadlines: contact within working hours, feedback by urgency or category."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from linli.appeals.models import FEEDBACK_LIMITS, Category
from linli.core.calendar import Deadline, add_working_days, add_working_hours


def contact_deadline(start: dt.datetime) -> Deadline:
    """响应: the resident is contacted within LINLI_APPEAL_CONTACT_HOURS office hours."""
    return add_working_hours(start, settings.APPEAL_CONTACT_HOURS)


def feedback_deadline(start: dt.datetime, urgency: str, category: Category) -> Deadline:
    """2 h and 24 h run on the clock (a burst pipe does not wait for Monday); days are
    working days. A category's own limit, if set, replaces the urgency's."""
    if category.feedback_days:
        return add_working_days(start, category.feedback_days)
    amount, unit = FEEDBACK_LIMITS[urgency]
    if unit == "hours":
        return Deadline(start + dt.timedelta(hours=amount), estimated=False)
    return add_working_days(start, amount)
