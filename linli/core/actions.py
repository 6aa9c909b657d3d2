"""State changes of the core app: roles, preferences, calendar overrides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import is_admin, require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import (
    CalendarOverride,
    Community,
    Grid,
    Organisation,
    Role,
    RoleAssignment,
    Subdistrict,
    User,
)


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
    """Give a user a role in a place. Leaders grant community roles; admins grant any."""
    if community is not None and role in {Role.RESIDENT, Role.STAFF, Role.TELLER}:
        require_role(actor, community, Role.LEADER)
    elif not is_admin(actor):
        raise AccessDenied("access_denied", _("Only an administrator may grant this role."))
    if grid is not None and grid.community_id != getattr(community, "pk", None):
        raise DomainError("grid_elsewhere", _("The grid belongs to another community."))
    with transaction.atomic(durable=True):
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
        with transaction.atomic(durable=True):
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
    with transaction.atomic(durable=True):
        override, _created = CalendarOverride.objects.update_or_create(
            date=date, defaults={"is_working_day": is_working_day, "note": note}
        )
        audit.record(
            actor=actor,
            code="core.calendar_override_set",
            data={"date": date.isoformat(), "working": is_working_day, "note": note},
        )
    return override
