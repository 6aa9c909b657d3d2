"""The monthly results notice of a community's appeals (办理结果公开): what it says, read from
the daily counts and the appeals whose residents agreed to have them shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.appeals.models import Appeal, Status
from linli.appeals.rates import daily_rates
from linli.core.models import Community


def _percent(value: Decimal | None) -> Decimal | str:
    return value if value is not None else "—"


def monthly_results(community: Community, month: dt.date) -> tuple[str, str]:
    """The title and body of the month's notice: the three rates, then category, outcome and
    verdict of each appeal shown, never who raised it or what they wrote."""
    first = month.replace(day=1)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(following, dt.time()))
    rates = daily_rates([community.pk], first, following - dt.timedelta(days=1))
    shown = (
        Appeal.objects.filter(
            community=community,
            allow_public=True,
            status=Status.CLOSED,
            closed_at__gte=start,
            closed_at__lt=end,
        )
        .select_related("category")
        .order_by("closed_at")
    )
    lines = [
        _(
            "Response rate %(response)s%%, resolution rate %(resolution)s%%, "
            "satisfaction rate %(satisfaction)s%%."
        )
        % {
            "response": _percent(rates.response),
            "resolution": _percent(rates.resolution),
            "satisfaction": _percent(rates.satisfaction),
        },
        "",
    ]
    for appeal in shown:
        lines.append(
            _("%(date)s · %(category)s · %(outcome)s · %(verdict)s")
            % {
                "date": timezone.localtime(appeal.created_at).strftime("%m-%d"),
                "category": appeal.category.name,
                "outcome": appeal.get_outcome_display(),
                "verdict": appeal.get_verdict_display(),
            }
        )
    if not shown:
        lines.append(_("No resident chose to have their appeal shown this month."))
    title = _("Handling of residents' appeals, %(month)s") % {"month": first.strftime("%Y-%m")}
    return title, "\n".join(lines)
