"""Who is told about an appeal: its residents, the community's leaders, its grid's workers."""

from __future__ import annotations

from linli.appeals.models import Appeal
from linli.core.models import Community, Role, RoleAssignment, User


def residents_of(appeal: Appeal) -> list[User | int]:
    """The resident who raised it and those whose duplicates were merged into it."""
    users: list[User | int] = list(appeal.merged_residents.all())
    if appeal.submitter is not None:
        users.append(appeal.submitter)
    return users


def leaders(community: Community) -> list[User | int]:
    return list(User.objects.filter(roles__role=Role.LEADER, roles__community=community))


def leaders_and_handler(appeal: Appeal) -> list[User | int]:
    return leaders(appeal.community) + ([appeal.handler] if appeal.handler else [])


def staff_for(appeal: Appeal) -> list[User | int]:
    """The grid's workers if the appeal has a grid and it has any, else every staff member of
    the community (as ids: one query, no user rows loaded)."""
    staff = list(
        RoleAssignment.objects.filter(role=Role.STAFF, community_id=appeal.community_id)
        .values_list("user_id", "grid_id")
        .order_by()
    )
    of_grid = [user for user, grid in staff if appeal.grid_id and grid == appeal.grid_id]
    return list(of_grid or {user for user, _grid in staff})


def liaisons_of(organisation_id: int) -> list[User | int]:
    return list(
        User.objects.filter(roles__role=Role.LIAISON, roles__organisation_id=organisation_id)
    )
