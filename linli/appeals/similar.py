"""Similar open appeals: same building or category, and similar Chinese text.

Chinese has no spaces, so texts are compared by their character pairs (bigrams): 楼道灯坏了
and 楼道的灯坏了 share 楼道, 灯坏, 坏了. Good enough to put a likely duplicate in front of
staff; they decide whether to merge.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from linli.appeals.models import OPEN_STATUSES, Appeal

WINDOW_DAYS = 90
CANDIDATES = 300
THRESHOLD = 0.25


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[\s\W_]+", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)} or {chars}


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character pairs, 0 to 1."""
    first, second = _bigrams(a), _bigrams(b)
    return len(first & second) / len(first | second) if first | second else 0.0


@dataclass(frozen=True)
class Match:
    appeal: Appeal
    score: float
    same_place: bool
    same_category: bool


def similar_open_appeals(appeal: Appeal, limit: int = 5) -> list[Match]:
    """Open appeals of the community that may be about the same matter, most alike first."""
    building_id = (
        appeal.household.entrance.building_id
        if (appeal.household and appeal.household.entrance)
        else None
    )
    return find_similar(
        appeal.community_id,
        appeal.text,
        appeal.category_id,
        building_id,
        exclude=appeal.pk,
        limit=limit,
    )


def find_similar(
    community_id: int,
    text: str,
    category_id: int | None,
    building_id: int | None,
    *,
    exclude: int | None = None,
    limit: int = 5,
) -> list[Match]:
    """The same search for an appeal not yet saved (staff typing at intake)."""
    since = timezone.now() - dt.timedelta(days=WINDOW_DAYS)
    near = Q()
    if category_id:
        near |= Q(category_id=category_id)
    if building_id:
        near |= Q(household__entrance__building_id=building_id)
    candidates = Appeal.objects.filter(
        community_id=community_id, status__in=OPEN_STATUSES, created_at__gte=since
    ).filter(near)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    candidates = candidates.select_related("category", "household__entrance").order_by(
        "-created_at"
    )[:CANDIDATES]
    matches = []
    for other in candidates:
        same_place = bool(
            building_id
            and other.household
            and other.household.entrance
            and other.household.entrance.building_id == building_id
        )
        same_category = other.category_id == category_id
        score = text_similarity(text, other.text)
        score += 0.1 * same_place + 0.05 * same_category
        if score >= THRESHOLD:
            matches.append(Match(other, round(score, 2), same_place, same_category))
    matches.sort(key=lambda m: m.score, reverse=True)
    return matches[:limit]
