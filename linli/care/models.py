"""Care for residents in difficulty (关爱困难群众): the register, visit policies, visits, events,
and relief campaigns (慰问) with their ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.fields import EncryptedTextField
from linli.core.models import Community

# Registry tags that put a resident on the care register.
CARE_TAGS = (
    "living_alone",
    "empty_nest",
    "disabled",
    "seriously_ill",
    "dibao",
    "tekun",
    "left_behind_child",
    "retired_party_member",
)


class Level(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    CLOSE = "close", _("Close attention")
    INTENSIVE = "intensive", _("Intensive")


class CareProfile(models.Model):
    """Care settings of one resident: the level leaders set, and who visits if not the
    grid worker of their grid."""

    resident = models.OneToOneField(
        "people.Resident", on_delete=models.PROTECT, related_name="care_profile"
    )
    level = models.CharField(
        _("care level"), max_length=20, choices=Level.choices, default=Level.ORDINARY
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visited by (instead of the grid worker)"),
    )

    def __str__(self) -> str:
        return f"{self.resident_id} {self.level}"


class CareEntry(models.Model):
    """A resident put on the register by hand, with the reason and a period."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="care_entries"
    )
    reason = models.CharField(_("reason"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.reason


class VisitPolicy(models.Model):
    """How often someone must visit: for a tag (optionally from an age) or a care level."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="visit_policies"
    )
    tag = models.CharField(_("tag"), max_length=40, blank=True)
    level = models.CharField(_("care level"), max_length=20, choices=Level.choices, blank=True)
    min_age = models.PositiveSmallIntegerField(_("from the age of"), null=True, blank=True)
    every_days = models.PositiveSmallIntegerField(
        _("visit at least every (days)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering: ClassVar = ["every_days", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(tag="") | ~Q(level=""), name="visit_policy_tag_or_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag or self.level} {self.every_days}"


class EventKind(models.TextChoices):
    HOSPITALISED = "hospitalised", _("Hospitalised")
    BEREAVED = "bereaved", _("Bereaved")
    OTHER = "other", _("Other difficulty")


class CareEvent(models.Model):
    """Something that calls for a visit soon, recorded by anyone on staff."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="care_events"
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    visit_within_days = models.PositiveSmallIntegerField(_("visit within (days)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.kind}"


class Place(models.TextChoices):
    HOME = "home", _("At home")
    HOSPITAL = "hospital", _("In hospital")
    PHONE = "phone", _("By phone")
    OTHER = "other", _("Elsewhere")


class ReliefKind(models.TextChoices):
    NONE = "", _("Nothing")
    CASH = "cash", _("Cash")
    KIND = "kind", _("In kind")


class Visit(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="care_visits"
    )
    visited_on = models.DateField(_("visited on"))
    place = models.CharField(_("where"), max_length=20, choices=Place.choices)
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("staff who went")
    )
    volunteers = models.CharField(_("volunteers (party members)"), max_length=200, blank=True)
    health = EncryptedTextField(_("health found"), blank=True)
    living = models.TextField(_("living conditions"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    relief_kind = models.CharField(
        _("relief given"), max_length=10, choices=ReliefKind.choices, blank=True
    )
    relief_amount = models.DecimalField(
        _("amount or value (yuan)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    relief_item = models.CharField(_("what was given"), max_length=200, blank=True)
    photo = models.ImageField(upload_to="care/%Y/%m/", null=True, blank=True)
    photo_consent = models.BooleanField(_("the resident agrees to a photo"), default=False)
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        "welfare.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        CareEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering: ClassVar = ["-visited_on", "-pk"]
        indexes: ClassVar = [models.Index(fields=["resident", "visited_on"], name="visit_latest")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.visited_on}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Being distributed")
    CLOSED = "closed", _("Closed")


class ReliefCampaign(models.Model):
    """A festival relief campaign (春节慰问, 中秋慰问): targets, what each receives, a budget."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="relief_campaigns"
    )
    title = models.CharField(_("title"), max_length=200)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=11, decimal_places=2)
    per_person_limit = models.DecimalField(
        _("at most per person (yuan)"), max_digits=9, decimal_places=2
    )
    standard_amount = models.DecimalField(_("each receives (yuan)"), max_digits=9, decimal_places=2)
    standard_item = models.CharField(_("and in kind"), max_length=200, blank=True)
    tags = models.JSONField(_("for residents tagged"), default=list)
    status = models.CharField(
        max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Recipient(models.Model):
    """One resident on a campaign's list; received once, signed for."""

    campaign = models.ForeignKey(
        ReliefCampaign, on_delete=models.PROTECT, related_name="recipients"
    )
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    item = models.CharField(max_length=200, blank=True)
    received_on = models.DateField(null=True, blank=True)
    signed_photo = models.ImageField(upload_to="relief/%Y/%m/", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "resident"], name="recipient_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.resident_id}"
