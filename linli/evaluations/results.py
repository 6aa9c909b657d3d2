"""Reading an evaluation's results: what a closed campaign says about a staff member."""

from __future__ import annotations

import datetime as dt

from linli.core.models import Community, User
from linli.evaluations.models import WITH_RESULTS, Campaign


def staff_scores(
    community: Community, staff: User, first: dt.date, last: dt.date
) -> list[tuple[str, str | None, int]]:
    """(campaign, average or None where too few answered, answers) for every score question
    about the staff member in campaigns of the community that closed within the period."""
    scores = []
    for campaign in Campaign.objects.filter(
        community=community, status__in=WITH_RESULTS, closes_on__gte=first, closes_on__lte=last
    ):
        for item in campaign.results.get("questions", []):
            if item.get("staff_id") == staff.pk:
                scores.append((campaign.title, item.get("average"), item["n"]))
    return scores
