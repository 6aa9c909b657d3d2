"""The daily tick: the leaders hear of cases past a deadline and of reviews that are due."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from linli.core.models import Community, Notification, Role, User
from linli.core.notify import notify
from linli.welfare.models import OPEN_STATUSES, Application, Benefit, BenefitChange, Status


def tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Once a day, the leaders hear of cases past a deadline and of reviews that are due."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    late_cases = Application.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(status=Status.ACCEPTED, investigation_due__lt=now) | Q(process_due__lt=now)
    )
    reviews = Benefit.objects.filter(
        Q(state=Benefit.State.ACTIVE, next_review_on__lt=today)
        | Q(
            state__in=[Benefit.State.ACTIVE, Benefit.State.SUSPENDED],
            changes__kind=BenefitChange.Kind.REPORTED,
            changes__handled_by_review=None,
        )
    ).distinct()
    sent = 0
    communities = set(late_cases.values_list("community_id", flat=True)) | set(
        reviews.values_list("household__community_id", flat=True)
    )
    for community in Community.objects.filter(pk__in=communities):
        cases = late_cases.filter(community=community).count()
        due = reviews.filter(household__community=community).count()
        leaders = list(User.objects.filter(roles__role=Role.LEADER, roles__community=community))
        for leader in leaders:
            if Notification.objects.filter(
                user=leader, code="welfare.overdue", data__day=today.isoformat()
            ).exists():
                continue
            notify(
                users=[leader],
                code="welfare.overdue",
                community=community,
                data={"cases": cases, "reviews": due, "day": today.isoformat()},
                url="",
            )
            sent += 1
    return {"welfare_escalated": sent}
