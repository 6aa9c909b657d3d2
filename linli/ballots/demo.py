"""Demo ballot for 幸福里社区: a democratic appraisal of party members, prepared."""

from __future__ import annotations

from django.utils import timezone

from linli.ballots import actions
from linli.ballots.models import Ballot
from linli.core.models import Community, User
from linli.people.models import Resident


def load_demo_ballots(community: Community) -> int:
    if Ballot.objects.filter(community=community).exists():
        return 0
    leader = User.objects.filter(roles__role="leader", roles__community=community).first()
    members = list(
        Resident.objects.filter(community=community, tags__code="party_member")
        .active()
        .order_by("pk")
        .values_list("name", flat=True)[:8]
    )
    if leader is None or len(set(members)) < 2:
        return 0
    actions.create_ballot(
        actor=leader,
        community=community,
        data=actions.BallotInput(
            kind="appraisal",
            title=f"{timezone.localdate().year}年度民主评议党员",
            electorate="party",
            candidates=tuple(dict.fromkeys(members)),
        ),
    )
    return 1
