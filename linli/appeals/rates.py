"""The three rates (三率) of a set of appeals over a period, with their formulas.

- Response rate (响应率) = appeals accepted within the contact limit / appeals whose contact
  deadline fell in the period.
- Resolution rate (解决率) = appeals closed in the period with a resolved outcome (on the spot,
  resolved, or answered by an organisation) / appeals closed in the period.
- Satisfaction rate (满意率) = verdicts of very satisfied, satisfied or basically satisfied /
  verdicts given, among appeals closed in the period ("no verdict" is not counted as rated).
- Composite = the weighted sum of the three (weights in settings.APPEAL_RATE_WEIGHTS).
Invalid appeals count nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from linli.appeals.models import SATISFIED_VERDICTS, Appeal, Outcome, Status, Verdict

RESOLVED_OUTCOMES = (Outcome.ON_THE_SPOT, Outcome.RESOLVED, Outcome.ORGANISATION)


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    due: int
    responded: int
    closed: int
    resolved: int
    rated: int
    satisfied: int

    @property
    def response(self) -> Decimal | None:
        return _ratio(self.responded, self.due)

    @property
    def resolution(self) -> Decimal | None:
        return _ratio(self.resolved, self.closed)

    @property
    def satisfaction(self) -> Decimal | None:
        return _ratio(self.satisfied, self.rated)

    @property
    def composite(self) -> Decimal | None:
        weights = settings.APPEAL_RATE_WEIGHTS
        parts = [
            (self.response, weights["response"]),
            (self.resolution, weights["resolution"]),
            (self.satisfaction, weights["satisfaction"]),
        ]
        known = [(value, weight) for value, weight in parts if value is not None]
        if not known:
            return None
        total = sum(weight for _value, weight in known)
        score = sum(value * weight for value, weight in known) / total
        return Decimal(score).quantize(Decimal("0.1"), ROUND_HALF_UP)


def three_rates(appeals: QuerySet[Appeal], start: dt.datetime, end: dt.datetime) -> Rates:
    """The rates of `appeals` for the half-open period [start, end)."""
    valid = appeals.exclude(status=Status.INVALID)
    due = valid.filter(contact_due_at__gte=start, contact_due_at__lt=end).aggregate(
        due=Count("pk"),
        responded=Count(
            "pk", filter=Q(accepted_at__isnull=False, accepted_at__lte=F("contact_due_at"))
        ),
    )
    closed = valid.filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end).aggregate(
        closed=Count("pk"),
        resolved=Count("pk", filter=Q(outcome__in=RESOLVED_OUTCOMES)),
        rated=Count("pk", filter=~Q(verdict__in=["", Verdict.NONE])),
        satisfied=Count("pk", filter=Q(verdict__in=SATISFIED_VERDICTS)),
    )
    return Rates(**due, **closed)


# What the rates can be broken down by: a field of Appeal and how to name its values.
BREAKDOWNS = {
    "grid": ("grid", "grid__name"),
    "handler": ("handler", "handler__full_name"),
    "category": ("category", "category__name"),
    "organisation": ("organisation", "organisation__name"),
    "community": ("community", "community__name"),
}


def rates_by(
    appeals: QuerySet[Appeal], start: dt.datetime, end: dt.datetime, by: str
) -> list[tuple[str, Rates]]:
    """The rates per grid, handler, category, organisation or community: two GROUP BY queries."""
    key, label = BREAKDOWNS[by]
    valid = appeals.exclude(status=Status.INVALID)
    due = (
        valid.filter(contact_due_at__gte=start, contact_due_at__lt=end)
        .values(key, label)
        .annotate(
            due=Count("pk"),
            responded=Count(
                "pk", filter=Q(accepted_at__isnull=False, accepted_at__lte=F("contact_due_at"))
            ),
        )
    )
    closed = (
        valid.filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .values(key, label)
        .annotate(
            closed=Count("pk"),
            resolved=Count("pk", filter=Q(outcome__in=RESOLVED_OUTCOMES)),
            rated=Count("pk", filter=~Q(verdict__in=["", Verdict.NONE])),
            satisfied=Count("pk", filter=Q(verdict__in=SATISFIED_VERDICTS)),
        )
    )
    rows: dict[Any, dict[str, Any]] = {}
    for row in [*due, *closed]:
        entry = rows.setdefault(
            row[key],
            {
                "name": row[label] or "—",
                "due": 0,
                "responded": 0,
                "closed": 0,
                "resolved": 0,
                "rated": 0,
                "satisfied": 0,
            },
        )
        for field in ("due", "responded", "closed", "resolved", "rated", "satisfied"):
            if field in row:
                entry[field] = row[field]
    result = [(entry.pop("name"), Rates(**entry)) for entry in rows.values()]
    return sorted(result, key=lambda item: str(item[0]))


def monthly_trend(
    appeals: QuerySet[Appeal], last: dt.date, months: int = 12
) -> list[tuple[dt.date, Rates]]:
    """The rates of each of the `months` months up to and including `last`'s month."""
    from django.utils import timezone

    firsts = []
    month = last.replace(day=1)
    for _ in range(months):
        firsts.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    trend = []
    for first in reversed(firsts):
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(following, dt.time()))
        trend.append((first, three_rates(appeals, start, end)))
    return trend
