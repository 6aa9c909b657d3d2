"""Tenancy (district → subdistrict → community → grid), users, roles, organisations, audit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Iterable


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    STAFF = "staff", _("Grid worker / community staff")
    LEADER = "leader", _("Community leader")
    WELFARE_REVIEWER = "welfare_reviewer", _("Welfare reviewer")
    SUPERVISOR = "supervisor", _("Subdistrict supervisor")
    LIAISON = "liaison", _("Organisation liaison")
    TELLER = "teller", _("Teller")
    ADMIN = "admin", _("System administrator")


class District(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Subdistrict(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["district", "name"], name="subdistrict_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CommunityQuerySet(models.QuerySet["Community"]):
    def visible_to(self, user: Any) -> CommunityQuerySet:
        from linli.core.access import community_ids_for  # cycle: access reads these models

        ids = community_ids_for(user)
        return self if ids is None else self.filter(pk__in=ids)


class Community(models.Model):
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="communities"
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Short code used in addresses.")
    )
    address = models.CharField(_("office address"), max_length=200, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="grids")
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering: ClassVar = ["community", "name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["community", "name"], name="grid_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A partner organisation: utilities, property management, police station, school."""

    class Kind(models.TextChoices):
        WATER = "water", _("Water company")
        POWER = "power", _("Power company")
        GAS = "gas", _("Gas company")
        HEATING = "heating", _("Heating company")
        PROPERTY = "property", _("Property management")
        POLICE = "police", _("Police station")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    phone = models.CharField(_("service phone"), max_length=30, blank=True)
    communities = models.ManyToManyField(
        Community, related_name="organisations", verbose_name=_("communities served")
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering: ClassVar = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in; roles come from RoleAssignment, per community."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    large_font = models.BooleanField(_("large font"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A user's role in one place: a community, a subdistrict (supervisor) or globally (admin)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.CASCADE, null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="liaisons"
    )
    grid = models.ForeignKey(Grid, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints: ClassVar = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role="supervisor", subdistrict__isnull=False, community__isnull=True)
                    | Q(role="liaison", organisation__isnull=False)
                    | Q(role="admin", community__isnull=True, subdistrict__isnull=True)
                    | (
                        Q(community__isnull=False, subdistrict__isnull=True)
                        & ~Q(role__in=["supervisor", "liaison", "admin"])
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "community"],
                condition=Q(community__isnull=False),
                name="role_unique_per_community",
            ),
        ]

    def __str__(self) -> str:
        place = self.community or self.subdistrict or self.organisation or "*"
        return f"{self.user} · {self.get_role_display()} · {place}"


class CalendarOverride(models.Model):
    """An administrator's correction of the official calendar for one date."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("is a working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering: ClassVar = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class AuditEvent(models.Model):
    """One append-only, hash-chained record of a state change. Never updated or deleted."""

    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.CharField(_("event"), max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes: ClassVar = [
            models.Index(fields=["community", "-at"], name="audit_community_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit events are append-only")

    @property
    def message(self) -> str:
        from linli.core.audit import render_message  # cycle: audit writes these models

        return render_message(self.code, self.data)


class AuditHead(models.Model):
    """The chain's newest link; locking it serialises appends and exposes a deleted tail."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_event_id}"


def role_labels(roles: Iterable[str]) -> list[str]:
    return [str(Role(r).label) for r in roles]


class IdempotencyRecord(models.Model):
    """A submitted form's key and where its result lives: a repeat returns the same result."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    """A message to one person, written in the same transaction as the change it reports.

    This is the outbox: the in-app inbox reads it directly; other channels (SMS gateway,
    e-mail, webhooks) are delivered from it by the worker. The text is rendered when read.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.CharField(max_length=60)
    data = models.JSONField(default=dict)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes: ClassVar = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.code}"

    @property
    def message(self) -> str:
        from linli.core.notify import render  # cycle: notify writes these models

        return render(self.code, self.data)
