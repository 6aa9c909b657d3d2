"""Who may do what where: role look-ups and the access checks every app builds on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from linli.core.errors import AccessDenied
from linli.core.models import Community, Role, RoleAssignment


@dataclass(frozen=True)
class Grant:
    role: str
    community_id: int | None
    subdistrict_id: int | None
    organisation_id: int | None
    grid_id: int | None


def grants(user: Any) -> list[Grant]:
    """The user's role assignments, loaded once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Grant] | None = getattr(user, "_linli_grants", None)
    if cached is None:
        cached = [
            Grant(r.role, r.community_id, r.subdistrict_id, r.organisation_id, r.grid_id)
            for r in RoleAssignment.objects.filter(user=user)
        ]
        user._linli_grants = cached
    return cached


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        g.role == Role.ADMIN for g in grants(user)
    )


def community_ids_for(user: Any, *roles: str) -> set[int] | None:
    """Communities where the user holds any of `roles` (all roles if none given).

    None means every community (system administrators). A subdistrict supervisor's grant
    covers every community of the subdistrict; a liaison's covers the organisation's communities.
    """
    if is_admin(user):
        return None
    wanted = set(roles) if roles else None
    ids: set[int] = set()
    subdistricts: set[int] = set()
    organisations: set[int] = set()
    for g in grants(user):
        if wanted is not None and g.role not in wanted:
            continue
        if g.community_id is not None:
            ids.add(g.community_id)
        elif g.subdistrict_id is not None:
            subdistricts.add(g.subdistrict_id)
        elif g.organisation_id is not None:
            organisations.add(g.organisation_id)
    if subdistricts:
        ids.update(
            Community.objects.filter(subdistrict_id__in=subdistricts).values_list("pk", flat=True)
        )
    if organisations:
        ids.update(
            Community.objects.filter(organisations__in=organisations).values_list("pk", flat=True)
        )
    return ids


def roles_in(user: Any, community: Community) -> set[str]:
    """Every role the user holds in this community (supervisors through their subdistrict)."""
    if is_admin(user):
        return {Role.ADMIN}
    found: set[str] = set()
    for g in grants(user):
        if (
            g.community_id == community.pk
            or (g.role == Role.SUPERVISOR and g.subdistrict_id == community.subdistrict_id)
            or (
                g.role == Role.LIAISON
                and g.community_id is None
                and g.organisation_id
                and community.organisations.filter(pk=g.organisation_id).exists()
            )
        ):
            found.add(g.role)
    return found


def has_role(user: Any, community: Community, *roles: str) -> bool:
    held = roles_in(user, community)
    return Role.ADMIN in held or bool(held & set(roles))


def require_role(user: Any, community: Community, *roles: str) -> None:
    """Raise AccessDenied unless the user holds one of `roles` here (admins always pass)."""
    if not has_role(user, community, *roles):
        raise AccessDenied("access_denied", _("Your role does not allow this in this community."))


def get_community_for(user: Any, code: str, *roles: str) -> Community:
    """The community with this code, if the user holds one of `roles` there; else 404."""
    try:
        community = Community.objects.select_related("subdistrict").get(code=code)
    except Community.DoesNotExist:
        raise Http404 from None
    if not has_role(user, community, *roles):
        # Not revealing whether the community exists to someone with no business there.
        raise Http404
    return community


def community_by_code(code: str) -> Community | None:
    """The community with this code, looked up once per code in a request's links."""
    return Community.objects.select_related("subdistrict").filter(code=code).first()


class SystemActor:
    """The actor for command-line and demo work done by linli itself, not by a person."""

    pk = None
    is_authenticated = True
    is_superuser = True
    is_active = True

    def __str__(self) -> str:
        return "linli"


SYSTEM = SystemActor()
