"""Demo care for 幸福里社区: visit policies, a few visits, a hospitalisation, a relief campaign."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from linli.care import actions
from linli.care.models import VisitPolicy
from linli.care.schedule import schedule
from linli.core.models import Community, User


def load_demo_care(community: Community) -> int:
    """Made through the actions; nothing if the community has visit policies already."""
    if VisitPolicy.objects.filter(community=community).exists():
        return 0
    leader = User.objects.filter(roles__role="leader", roles__community=community).first()
    if leader is None:
        return 0
    for tag, days, age in (
        ("living_alone", 30, None),
        ("living_alone", 7, 80),
        ("seriously_ill", 14, None),
        ("retired_party_member", 90, None),
        ("dibao", 90, None),
    ):
        actions.set_policy(actor=leader, community=community, tag=tag, min_age=age, every_days=days)
    today = timezone.localdate()
    dues = schedule(community, today)
    visited = 0
    for index, due in enumerate(dues[: len(dues) * 2 // 3]):
        if due.worker is None:
            continue
        actions.record_visit(
            actor=due.worker,
            resident=due.resident,
            idempotency_key=f"demo-visit-{due.resident.pk}",
            data=actions.VisitInput(
                visited_on=today - dt.timedelta(days=index % 40),
                place="home",
                visitors=(due.worker,),
                living="生活基本能自理",
            ),
        )
        visited += 1
    if dues:
        actions.record_event(
            actor=leader,
            resident=dues[-1].resident,
            kind="hospitalised",
            occurred_on=today - dt.timedelta(days=1),
            note="因肺炎住院",
        )
    actions.create_relief(
        actor=leader,
        community=community,
        title=f"{today.year + 1}年春节慰问",
        budget=Decimal("60000"),
        per_person_limit=Decimal("500"),
        standard_amount=Decimal("300"),
        standard_item="米、面、油",
        tags=("dibao", "tekun", "living_alone"),
    )
    return visited
