"""Who votes in a ballot: the residents its electorate names, read when the roll is frozen and
when a nominator is checked."""

from __future__ import annotations

from typing import Any

from linli.ballots.models import Ballot, Electorate
from linli.people.models import Relation, Resident

PARTY_TAGS = ("party_member", "retired_party_member")
REPRESENTATIVE_TAG = "representative"


def voters(ballot: Ballot) -> Any:
    """The adult residents of the ballot's community that its electorate names."""
    adults = Resident.objects.filter(community=ballot.community).adults()
    if ballot.electorate == Electorate.HOUSEHOLDS:
        return adults.filter(relation_to_head=Relation.HEAD, household__isnull=False)
    if ballot.electorate == Electorate.REPRESENTATIVES:
        return adults.filter(tags__code=REPRESENTATIVE_TAG).distinct()
    if ballot.electorate == Electorate.PARTY:
        return adults.filter(tags__code__in=PARTY_TAGS).distinct()
    if ballot.electorate == Electorate.PARTY_AND_REPRESENTATIVES:
        return adults.filter(tags__code__in=(*PARTY_TAGS, REPRESENTATIVE_TAG)).distinct()
    return adults


def party_members(ballot: Ballot) -> set[int]:
    """The ids of the community's party members (counted apart in a split electorate)."""
    return set(
        Resident.objects.filter(community=ballot.community, tags__code__in=PARTY_TAGS).values_list(
            "pk", flat=True
        )
    )
