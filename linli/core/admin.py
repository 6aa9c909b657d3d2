"""Configuration in the Django admin. Changes that carry meaning go through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from linli.core.actions import (
    grant_role,
    remove_calendar_override,
    revoke_role,
    set_calendar_override,
)
from linli.core.models import (
    AuditEvent,
    CalendarOverride,
    Community,
    District,
    Grid,
    Organisation,
    RoleAssignment,
    Subdistrict,
    User,
)

admin.site.site_header = _("linli configuration")
admin.site.site_title = _("linli")
admin.site.index_title = _("Configuration")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
    search_fields = ["name"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin[Subdistrict]):
    list_display = ["name", "district"]
    search_fields = ["name"]


class GridInline(admin.TabularInline[Grid, Community]):
    model = Grid
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin[Community]):
    list_display = ["name", "code", "subdistrict"]
    search_fields = ["name", "code"]
    inlines = [GridInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "phone"]
    list_filter = ["kind"]
    filter_horizontal = ["communities"]


@admin.register(User)
class LinliUserAdmin(UserAdmin[User]):
    list_display = ["username", "full_name", "phone", "is_active"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("linli"), {"fields": ["full_name", "phone", "large_font", "language"]}),
    )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    """Roles are granted through grant_role(), so every grant is audited; the action joins the
    admin's own transaction (linli.core.transactions)."""

    list_display = ["user", "role", "community", "subdistrict", "organisation", "grid"]
    list_filter = ["role"]
    autocomplete_fields = ["user"]
    actions = None  # no bulk delete: each revocation goes through revoke_role()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        revoke_role(actor=request.user, assignment=obj)

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        saved = grant_role(
            actor=request.user,
            user=obj.user,
            role=obj.role,
            community=obj.community,
            subdistrict=obj.subdistrict,
            organisation=obj.organisation,
            grid=obj.grid,
        )
        obj.pk = saved.pk


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    """Corrections of the official holiday calendar; each one is audited."""

    list_display = ["date", "is_working_day", "note"]
    actions = None  # no bulk delete: each removal goes through remove_calendar_override()

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        remove_calendar_override(actor=request.user, override=obj)

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool
    ) -> None:
        saved = set_calendar_override(
            actor=request.user, date=obj.date, is_working_day=obj.is_working_day, note=obj.note
        )
        obj.pk = saved.pk


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read only: the audit trail is never edited."""

    list_display = ["pk", "at", "actor", "community", "code", "message"]
    list_filter = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
