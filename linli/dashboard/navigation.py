"""The shell's navigation: where each person's work is, as links they can all open.

It lives in the top layer because it links to every practice; each link is shown only to the
roles its page lets in (tests/test_links.py walks every page as every role to keep it so).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import access
from linli.core.calendar import coverage_warning
from linli.core.models import Community, Notification, Role
from linli.core.roles import OFFICE


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool = False
    # A count shown beside the label (unread messages), with its words for screen readers.
    badge: int = 0


def _community_items(user: Any, current: Community | None) -> list[NavItem]:
    ids = access.community_ids_for(user, *OFFICE)
    communities = Community.objects.visible_to(user)
    if ids is not None:
        communities = communities.filter(pk__in=ids)
    return [
        NavItem(
            c.name,
            reverse("people:community", args=[c.code]),
            current=current is not None and current.pk == c.pk,
        )
        for c in communities[:50]
    ]


def _resident_items() -> list[NavItem]:
    return [
        NavItem(_("My household"), reverse("people:my_household")),
        NavItem(_("My appeals"), reverse("appeals:mine")),
        NavItem(_("Meetings"), reverse("meetings:mine")),
        NavItem(_("My ballots"), reverse("ballots:mine")),
        NavItem(_("Evaluations"), reverse("evaluations:mine")),
    ]


def _teller_items(user: Any) -> list[NavItem]:
    ids = [g.community_id for g in access.grants(user) if g.role == Role.TELLER and g.community_id]
    return [
        NavItem(f"{_('Secret ballots')} · {c.name}", reverse("ballots:list", args=[c.code]))
        for c in Community.objects.filter(pk__in=ids)
    ]


def _liaison_items() -> list[NavItem]:
    return [
        NavItem(_("Referred appeals"), reverse("appeals:organisation")),
        NavItem(_("Meeting invitations"), reverse("meetings:invitations")),
    ]


def main_nav(request: HttpRequest) -> list[NavItem]:
    """The links of the header for the person signed in, in the order of their work."""
    user: Any = request.user
    held = {g.role for g in access.grants(user)}
    items = _community_items(user, getattr(request, "community", None))
    if Role.RESIDENT in held:
        items += _resident_items()
    items += _teller_items(user)
    if Role.LIAISON in held:
        items += _liaison_items()
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
    items.append(NavItem(_("Messages"), reverse("inbox"), badge=unread))
    if access.is_admin(user):
        items.append(NavItem(_("Configuration"), reverse("admin:index")))
    return items


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's shell needs: the navigation and the person's preferences."""
    context: dict[str, Any] = {"large_font": getattr(request, "large_font", False)}
    if not request.user.is_authenticated:
        return context
    is_admin = access.is_admin(request.user)
    context.update(
        {
            "main_nav": main_nav(request),
            "is_linli_admin": is_admin,
            "calendar_warning_year": coverage_warning() if is_admin else None,
        }
    )
    return context
