"""Who stays out of a welfare case: staff related to the household (declared relatives, or living
in the household or at its address), and, step by step, those whose duties must stay apart
(investigators do not give the opinion; the decider neither investigated, reviewed nor paid
first). Reads only: the actions and the workflow ask here."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from linli.core.models import AuditEvent, Community, Role, RoleAssignment, User
from linli.people.models import Household, Resident
from linli.welfare.models import Application, Benefit, Investigation, Kinship

# Roles that are not the community's staff: they are never excluded, never investigate.
NOT_STAFF = (Role.RESIDENT, Role.LIAISON)


def community_staff(community: Community) -> set[int]:
    """The users who hold a staff or committee role in the community."""
    return set(
        RoleAssignment.objects.filter(community=community)
        .exclude(role__in=NOT_STAFF)
        .values_list("user_id", flat=True)
    )


def is_community_staff(user: Any, community: Community) -> bool:
    return (
        RoleAssignment.objects.filter(user=user, community=community)
        .exclude(role__in=NOT_STAFF)
        .exists()
    )


def related_staff(
    community: Community, residents: list[Resident], household: Household
) -> set[int]:
    """Staff and committee members who must stay out of a case: a member is their declared
    close relative, or they live in the household or at its address themselves."""
    staff = community_staff(community)
    related = set(
        Kinship.objects.filter(resident__in=residents, staff_id__in=staff).values_list(
            "staff_id", flat=True
        )
    )
    same_place = Q(household=household)
    if household.entrance_id:
        same_place |= Q(
            household__entrance_id=household.entrance_id, household__room=household.room
        )
    related |= set(
        Resident.objects.filter(same_place, user_id__in=staff, status="active").values_list(
            "user_id", flat=True
        )
    )
    return related


def is_excluded(user: Any, application: Application) -> bool:
    """Whether the person is excluded from the case (free when `excluded_staff` is prefetched)."""
    pk = getattr(user, "pk", None)
    return pk is not None and any(u.pk == pk for u in application.excluded_staff.all())


def visible_applications(user: Any, community: Community) -> QuerySet[Application]:
    """What a member of staff may open: every case but those they are excluded from."""
    return Application.objects.filter(community=community).exclude(excluded_staff=user)


def visible_benefits(user: Any, community: Community) -> QuerySet[Benefit]:
    """The benefits a member of staff may see: none of a case they are excluded from."""
    return Benefit.objects.filter(household__community=community).exclude(
        application__excluded_staff=getattr(user, "pk", None) or 0
    )


def case_staff(application: Application, *roles: str) -> list[User]:
    """Who holds one of `roles` in the case's community, less those excluded from it."""
    return list(
        User.objects.filter(roles__role__in=roles, roles__community=application.community)
        .exclude(pk__in=application.excluded_staff.values("pk"))
        .distinct()
    )


def investigators_of(application: Application) -> set[int]:
    """Everyone who took part in a home investigation of the case, in any round."""
    return set(
        User.objects.filter(
            pk__in=Investigation.objects.filter(application=application).values("investigators")
        ).values_list("pk", flat=True)
    )


def reviewers_of(application: Application) -> set[int]:
    """Everyone who gave a preliminary opinion on the case, in any round (from the audit trail)."""
    found = set(
        AuditEvent.objects.filter(
            code="welfare.opinion",
            target_type=Application._meta.label_lower,
            target_id=str(application.pk),
        ).values_list("actor_id", flat=True)
    )
    if application.reviewer_id:
        found.add(application.reviewer_id)
    return {pk for pk in found if pk is not None}


def household_users(application: Application) -> list[User]:
    """The household's members who have accounts: those told of what happens to the case."""
    return list(
        User.objects.filter(resident__household=application.household_id, resident__status="active")
    )


def is_own_household(user: Any, household_id: int | None) -> bool:
    """Whether the person lives in the household (and so may act for it as a resident)."""
    return Resident.objects.filter(
        user_id=getattr(user, "pk", None) or 0, household=household_id, status="active"
    ).exists()
