"""Who makes up a meeting and how many must be there: the body and its members present,
quorum and majority, the residents invited, and how many must sign a petition."""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.core.models import Community, Grid
from linli.meetings.models import Attendance, Basis, Body, Kind, Meeting, Petition, Signature
from linli.people.models import Household, Resident, ResidentStatus

PARTY_TAGS = ("party_member", "retired_party_member")
REPRESENTATIVE_TAG = "representative"


def adults(community: Community, on: dt.date | None = None) -> Any:
    """Active residents of the community who are 18 or older on the day."""
    return Resident.objects.filter(community=community).adults(on)


def body_members(meeting: Meeting) -> Any:
    """The residents who make up the meeting and may sign in as its members."""
    community = meeting.community
    if meeting.kind == Kind.PARTY_MEMBERS:
        return adults(community).filter(tags__code__in=PARTY_TAGS).distinct()
    if meeting.kind == Kind.RESIDENTS_MEETING and meeting.body == Body.GROUPS:
        return adults(community).filter(tags__code=REPRESENTATIVE_TAG)
    return adults(community)


def body_size(meeting: Meeting) -> int:
    """How many make up a formal meeting: adults, households, or group representatives."""
    members = body_members(meeting)
    if meeting.body == Body.HOUSEHOLDS:
        return int(members.exclude(household=None).values("household").distinct().count())
    return int(members.count())


def present_count(meeting: Meeting) -> int:
    """Members present now: residents signed in and not left (staff and guests not counted)."""
    return Attendance.objects.filter(
        meeting=meeting, resident__isnull=False, left_at__isnull=True
    ).count()


def quorate(present: int, body: int | None) -> bool:
    """More than half of the body (居民会议, Art. 10): exactly half is not enough."""
    return body is not None and body > 0 and present * 2 > body


def majority(votes_for: int, present: int) -> bool:
    """More than half of those present."""
    return present > 0 and votes_for * 2 > present


def invitees(
    community: Community, *, tag: str = "", grid: Grid | None = None, building: str = ""
) -> list[Resident]:
    """Adult residents with an account, by tag, grid or building, told of a meeting planned."""
    if not tag and grid is None and not building:
        return []
    residents = adults(community).filter(user__isnull=False).select_related("user")
    if tag:
        residents = residents.filter(tags__code=tag)
    if grid is not None:
        residents = residents.filter(household__entrance__building__grid=grid)
    if building:
        residents = residents.filter(household__entrance__building__number=building.strip())
    return list(residents.distinct()[:5000])


def threshold(community: Community, basis: str) -> int:
    """How many must sign: more than or equal to 1/5 of adults or households, 1/3 of groups
    (each grid of the community is one resident group)."""
    if basis == Basis.ADULTS:
        total = int(adults(community).count())
        return max(1, -(-total // 5))
    if basis == Basis.HOUSEHOLDS:
        total = (
            Household.objects.filter(community=community, members__status=ResidentStatus.ACTIVE)
            .distinct()
            .count()
        )
        return max(1, -(-total // 5))
    total = Grid.objects.filter(community=community).count()
    return max(1, -(-total // 3))


def petition_count(petition: Petition) -> int:
    """Signatures as the basis counts them: adults, households, or resident groups (a group
    counts once one of its residents' representatives has signed)."""
    signed = Signature.objects.filter(petition=petition)
    if petition.basis == Basis.ADULTS:
        return int(signed.count())
    if petition.basis == Basis.HOUSEHOLDS:
        return int(
            signed.exclude(resident__household=None)
            .values("resident__household")
            .distinct()
            .count()
        )
    return int(
        signed.filter(resident__tags__code=REPRESENTATIVE_TAG)
        .exclude(resident__household__entrance__building__grid=None)
        .values("resident__household__entrance__building__grid")
        .distinct()
        .count()
    )
