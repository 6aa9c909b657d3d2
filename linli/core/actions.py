"""State changes of the core app: roles, preferences, calendar overrides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import is_admin, require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import (
    CalendarOverride,
    Community,
    Grid,
    Notification,
    Organisation,
    Role,
    RoleAssignment,
    Subdistrict,
    User,
)
from linli.core.transactions import atomic_action


def check_can_grant(actor: Any, role: str, community: Community | None) -> None:
    """Staff give residents their role, leaders give staff and tellers theirs; admins any."""
    if community is not None and role == Role.RESIDENT:
        require_role(actor, community, Role.STAFF, Role.LEADER)
    elif community is not None and role in {Role.STAFF, Role.TELLER}:
        require_role(actor, community, Role.LEADER)
    elif not is_admin(actor):
        raise AccessDenied("access_denied", _("Only an administrator may grant this role."))


def assign_role(
    *,
    actor: Any,
    user: User,
    role: str,
    community: Community | None = None,
    subdistrict: Subdistrict | None = None,
    organisation: Organisation | None = None,
    grid: Grid | None = None,
) -> RoleAssignment:
    """Write a role and its audit event inside the caller's transaction (checks done)."""
    if grid is not None and grid.community_id != getattr(community, "pk", None):
        raise DomainError("grid_elsewhere", _("The grid belongs to another community."))
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        community=community,
        subdistrict=subdistrict,
        organisation=organisation,
        defaults={"grid": grid},
    )
    audit.record(
        actor=actor,
        code="core.role_granted",
        community=community,
        target=user,
        data={"user": str(user), "role": role},
    )
    return assignment


def grant_role(
    *,
    actor: Any,
    user: User,
    role: str,
    community: Community | None = None,
    subdistrict: Subdistrict | None = None,
    organisation: Organisation | None = None,
    grid: Grid | None = None,
) -> RoleAssignment:
    """Give a user a role in a place."""
    check_can_grant(actor, role, community)
    with atomic_action():
        return assign_role(
            actor=actor,
            user=user,
            role=role,
            community=community,
            subdistrict=subdistrict,
            organisation=organisation,
            grid=grid,
        )


def revoke_role(*, actor: Any, assignment: RoleAssignment) -> None:
    """Take a role away; the same people who may grant it may revoke it."""
    check_can_grant(actor, assignment.role, assignment.community)
    with atomic_action():
        RoleAssignment.objects.filter(pk=assignment.pk).delete()
        audit.record(
            actor=actor,
            code="core.role_revoked",
            community=assignment.community,
            target=assignment.user,
            data={"user": str(assignment.user), "role": assignment.role},
        )


def set_display_preferences(
    *, actor: User, large_font: bool | None = None, language: str | None = None
) -> User:
    """Remember a person's large-font mode and language on their account."""
    fields = []
    if large_font is not None and actor.large_font != large_font:
        actor.large_font = large_font
        fields.append("large_font")
    if language is not None and actor.language != language:
        actor.language = language
        fields.append("language")
    if fields:
        with atomic_action():
            actor.save(update_fields=fields)
            audit.record(
                actor=actor,
                code="core.preferences_changed",
                target=actor,
                data={"user": str(actor), "fields": fields},
            )
    return actor


def set_calendar_override(
    *, actor: Any, date: dt.date, is_working_day: bool, note: str = ""
) -> CalendarOverride:
    """Correct the official calendar for one date (e.g. a local holiday)."""
    if not is_admin(actor):
        raise AccessDenied("access_denied", _("Only an administrator may change the calendar."))
    with atomic_action():
        override, _created = CalendarOverride.objects.update_or_create(
            date=date, defaults={"is_working_day": is_working_day, "note": note}
        )
        audit.record(
            actor=actor,
            code="core.calendar_override_set",
            data={"date": date.isoformat(), "working": is_working_day, "note": note},
        )
    return override


def remove_calendar_override(*, actor: Any, override: CalendarOverride) -> None:
    """Return a date to the official calendar."""
    if not is_admin(actor):
        raise AccessDenied("access_denied", _("Only an administrator may change the calendar."))
    with atomic_action():
        CalendarOverride.objects.filter(pk=override.pk).delete()
        audit.record(
            actor=actor,
            code="core.calendar_override_removed",
            data={"date": override.date.isoformat()},
        )


def mark_notifications_read(*, actor: User, ids: list[int]) -> None:
    """Mark the actor's own notifications as read (others' ids are ignored). Not audited:
    reading one's messages changes nothing of the community's records."""
    with transaction.atomic():
        Notification.objects.filter(user=actor, pk__in=ids, read_at__isnull=True).update(
            read_at=timezone.now()
        )
