"""The staff evaluation sheet: for one staff member and period, what residents scored them in
evaluations, the appeals they were responsible for and the visits they made. It reads three
apps (evaluations, appeals, care), so it lives in the top layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from linli.appeals.models import OPEN_STATUSES, Appeal
from linli.appeals.rates import Rates, three_rates
from linli.care.models import Visit
from linli.core.models import Community, User
from linli.evaluations.results import staff_scores


@dataclass
class StaffSheet:
    staff: User
    first: dt.date
    last: dt.date
    # (campaign, average or None when too few answered, answers)
    scores: list[tuple[str, str | None, int]] = field(default_factory=list)
    verdicts: dict[str, int] = field(default_factory=dict)
    rates: Rates | None = None
    overdue: int = 0
    visits: int = 0


def staff_sheet(community: Community, staff: User, first: dt.date, last: dt.date) -> StaffSheet:
    """For one staff member and period: residents' scores (where enough answered), verdicts on
    the appeals they were responsible for, their three rates, overdue appeals, visits."""
    sheet = StaffSheet(staff, first, last, scores=staff_scores(community, staff, first, last))
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    handled = Appeal.objects.filter(community=community, handler=staff)
    for verdict, n in (
        handled.filter(closed_at__gte=start, closed_at__lt=end)
        .exclude(verdict="")
        .values_list("verdict")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        sheet.verdicts[verdict] = n
    sheet.rates = three_rates(handled, start, end)
    sheet.overdue = handled.filter(
        status__in=OPEN_STATUSES, feedback_due_at__lt=timezone.now()
    ).count()
    sheet.visits = Visit.objects.filter(
        community=community, visitors=staff, visited_on__gte=first, visited_on__lte=last
    ).count()
    return sheet
