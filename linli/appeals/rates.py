"""The three rates (三率) of a set of appeals over a period, with their formulas.

- Response rate (响应率) = appeals accepted within the contact limit / appeals whose contact
  deadline fell in the period.
- Resolution rate (解决率) = appeals closed in the period with a resolved outcome (on the spot,
  resolved, or answered by an organisation) / appeals closed in the period.
- Satisfaction rate (满意率) = verdicts of very satisfied, satisfied or basically satisfied /
  verdicts given, among appeals closed in the period ("no verdict" is not counted as rated).
- Composite = the weighted sum of the three (weights in settings.APPEAL_RATE_WEIGHTS).
Invalid appeals count nowhere.

Dashboards read the per-day counts in DailyRates, kept by the actions: each action that changes
a counted field takes `contribution(appeal)` on the locked row, changes it, and calls
`record_change(appeal, before)`. A plain `save()` leaves the counts alone. `three_rates` and
`rates_by` count the appeals themselves, for any set of appeals and any instants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.appeals.models import (
    RESOLVED_OUTCOMES,
    SATISFIED_VERDICTS,
    Appeal,
    DailyRates,
    Status,
    Verdict,
)
from linli.core import audit
from linli.core.models import Community


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


Counts = dict[tuple[int, dt.date], tuple[int, ...]]


def contribution(appeal: Appeal) -> Counts:
    """What this appeal adds to the daily counts: (community, local day) → counts in the order
    of DailyRates.COUNTS. The same rules as three_rates."""
    if appeal.status == Status.INVALID:
        return {}
    zone = timezone.get_default_timezone()
    responded = appeal.accepted_at is not None and appeal.accepted_at <= appeal.contact_due_at
    due_day = timezone.localtime(appeal.contact_due_at, zone).date()
    counts: Counts = {(appeal.community_id, due_day): (1, int(responded), 0, 0, 0, 0)}
    if appeal.status == Status.CLOSED and appeal.closed_at is not None:
        key = (appeal.community_id, timezone.localtime(appeal.closed_at, zone).date())
        closing = (
            0,
            0,
            1,
            int(appeal.outcome in RESOLVED_OUTCOMES),
            int(appeal.verdict not in ("", Verdict.NONE)),
            int(appeal.verdict in SATISFIED_VERDICTS),
        )
        previous = counts.get(key, (0,) * 6)
        counts[key] = tuple(a + b for a, b in zip(previous, closing, strict=True))
    return counts


def record_change(appeal: Appeal, before: Counts) -> None:
    """Apply to the daily counts what a change of the appeal did: `before` is its
    contribution when it was locked (`{}` for a new appeal). One upsert per day touched, in
    the caller's transaction, so concurrent actions never lose a count."""
    DailyRates.add(before, contribution(appeal))


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


def _sums(rows: Any) -> Rates:
    return Rates(**{name: rows.get(name) or 0 for name in DailyRates.COUNTS})


def daily_rates(community_ids: list[int], first: dt.date, last: dt.date) -> Rates:
    """The rates of these communities for the days first..last (local dates, inclusive)."""
    rows = DailyRates.objects.filter(
        community_id__in=community_ids, day__gte=first, day__lte=last
    ).aggregate(**{name: Sum(name) for name in DailyRates.COUNTS})
    return _sums(rows)


def daily_rates_by_community(
    community_ids: list[int], first: dt.date, last: dt.date
) -> list[tuple[str, Rates]]:
    """The rates of each community for the days first..last, by community name."""
    names = dict(Community.objects.filter(pk__in=community_ids).values_list("pk", "name"))
    rows = (
        DailyRates.objects.filter(community_id__in=community_ids, day__gte=first, day__lte=last)
        .values("community_id")
        .annotate(**{name: Sum(name) for name in DailyRates.COUNTS})
    )
    result = [(names.get(row["community_id"], "—"), _sums(row)) for row in rows]
    return sorted(result, key=lambda item: item[0])


def monthly_trend(
    community_ids: list[int], last: dt.date, months: int = 12
) -> list[tuple[dt.date, Rates]]:
    """The rates of each of the `months` months up to and including `last`'s month."""
    firsts = []
    month = last.replace(day=1)
    for _ in range(months):
        firsts.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    firsts.reverse()
    totals: dict[dt.date, list[int]] = {first: [0] * 6 for first in firsts}
    rows = DailyRates.objects.filter(
        community_id__in=community_ids, day__gte=firsts[0], day__lte=_month_end(last)
    ).values_list("day", *DailyRates.COUNTS)
    for day, *counts in rows:
        total = totals[day.replace(day=1)]
        for index, count in enumerate(counts):
            total[index] += count
    return [(first, Rates(*totals[first])) for first in firsts]


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def rebuild_daily_rates(community_ids: list[int] | None = None) -> int:
    """Recompute the daily counts from the appeals (after a bulk load, or to check them);
    returns the number of days written."""
    zone = timezone.get_default_timezone()
    appeals = Appeal.objects.exclude(status=Status.INVALID)
    existing = DailyRates.objects.all()
    if community_ids is not None:
        appeals = appeals.filter(community_id__in=community_ids)
        existing = existing.filter(community_id__in=community_ids)
    due = (
        appeals.annotate(day=TruncDate("contact_due_at", tzinfo=zone))
        .values_list("community_id", "day")
        .annotate(
            due=Count("pk"),
            responded=Count(
                "pk", filter=Q(accepted_at__isnull=False, accepted_at__lte=F("contact_due_at"))
            ),
        )
        .order_by()
    )
    closed = (
        appeals.filter(status=Status.CLOSED, closed_at__isnull=False)
        .annotate(day=TruncDate("closed_at", tzinfo=zone))
        .values_list("community_id", "day")
        .annotate(
            closed=Count("pk"),
            resolved=Count("pk", filter=Q(outcome__in=RESOLVED_OUTCOMES)),
            rated=Count("pk", filter=~Q(verdict__in=["", Verdict.NONE])),
            satisfied=Count("pk", filter=Q(verdict__in=SATISFIED_VERDICTS)),
        )
        .order_by()
    )
    days: dict[tuple[int, dt.date], list[int]] = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Appeals may be read but not changed while their counts are recomputed.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Appeal._meta.db_table} IN SHARE MODE")
        for community_id, day, due_count, responded in due:
            days.setdefault((community_id, day), [0] * 6)[0:2] = [due_count, responded]
        for community_id, day, *counts in closed:
            days.setdefault((community_id, day), [0] * 6)[2:6] = counts
        existing.delete()
        DailyRates.objects.bulk_create(
            (
                DailyRates(
                    community_id=key[0], day=key[1], **dict(zip(DailyRates.COUNTS, c, strict=True))
                )
                for key, c in days.items()
            ),
            batch_size=2000,
        )
        audit.record(actor=None, code="appeals.rates_rebuilt", data={"days": len(days)})
    return len(days)
