"""What every page's shell needs: the person's roles, communities and preferences."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from linli.core import access
from linli.core.calendar import coverage_warning
from linli.core.models import STAFF_ROLES, Community, Notification, Role


def shell(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {"large_font": getattr(request, "large_font", False)}
    if not user.is_authenticated:
        return context
    staff_ids = access.community_ids_for(user, *STAFF_ROLES)
    staff_communities = Community.objects.visible_to(user)
    if staff_ids is not None:
        staff_communities = staff_communities.filter(pk__in=staff_ids)
    is_admin = access.is_admin(user)
    context.update(
        {
            "staff_communities": list(staff_communities[:50]),
            "is_resident": any(g.role == Role.RESIDENT for g in access.grants(user)),
            "is_linli_admin": is_admin,
            "is_liaison": any(g.role == Role.LIAISON for g in access.grants(user)),
            "teller_communities": list(
                Community.objects.filter(
                    pk__in=[g.community_id for g in access.grants(user) if g.role == Role.TELLER]
                )
            ),
            "calendar_warning_year": coverage_warning() if is_admin else None,
            "unread_notifications": Notification.objects.filter(
                user_id=user.pk, read_at__isnull=True
            ).count(),
        }
    )
    return context
