"""Welfare review (低保, 特困, 临时救助, local allowances) following 最低生活保障审核确认办法 (2021)
and 特困人员认定办法 (2021), with favouritism made impossible by the system."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.fields import EncryptedTextField
from linli.core.models import Community


class ProgrammeKind(models.TextChoices):
    DIBAO = "dibao", _("Minimum living guarantee (低保)")
    TEKUN = "tekun", _("Extreme poverty support (特困)")
    TEMPORARY = "temporary", _("Temporary relief (临时救助)")
    LOCAL = "local", _("Local allowance")


class Programme(models.Model):
    """A programme and its rules: the local monthly standard, the materials it needs."""

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: every community."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    name = models.CharField(_("name"), max_length=100)
    monthly_standard = models.DecimalField(
        _("local monthly standard per person (yuan)"), max_digits=9, decimal_places=2
    )
    materials = models.JSONField(_("required materials"), default=list)
    # 特困: the care standard (照料护理标准) per person and month, by the self-care assessment.
    care_able = models.DecimalField(
        _("care standard: able to care for oneself"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
    )
    care_partial = models.DecimalField(
        _("care standard: partly unable"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    care_full = models.DecimalField(
        _("care standard: wholly unable"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    # 临时救助: the most the community may pay at once in an emergency (先行救助), before the
    # procedure; 0 means never.
    emergency_limit = models.DecimalField(
        _("emergency payment limit (yuan)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("welfare programme")
        verbose_name_plural = _("welfare programmes")

    def __str__(self) -> str:
        return self.name


class Relation(models.TextChoices):
    """Close relatives, as the 办法 lists them."""

    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Brother or sister")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")


class Kinship(models.Model):
    """A staff or committee member's declared close relative."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="relatives"
    )
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["staff", "resident"], name="kinship_once"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.relation} {self.resident_id}"


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MATERIALS_MISSING = "materials_missing", _("Materials missing")
    ACCEPTED = "accepted", _("Accepted; investigation due")
    INVESTIGATED = "investigated", _("Household investigated")
    CHECKED = "checked", _("Information checked")
    REVIEWED = "reviewed", _("Preliminary opinion given")
    ON_NOTICE = "on_notice", _("On public notice")
    NOTICE_DONE = "notice_done", _("Notice period over; decision due")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.MATERIALS_MISSING,
    Status.ACCEPTED,
    Status.INVESTIGATED,
    Status.CHECKED,
    Status.REVIEWED,
    Status.ON_NOTICE,
    Status.NOTICE_DONE,
)


class Application(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="welfare_applications"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    # Someone applying on the household's behalf, with the authorisation on file.
    agent_name = models.CharField(_("agent"), max_length=50, blank=True)
    agent_authorised = models.BooleanField(_("authorisation on file"), default=False)
    pledge_signed = models.BooleanField(_("truthfulness pledge signed"), default=False)
    consent_to_checks = models.BooleanField(_("consent to information checks"), default=False)
    reason = models.TextField(_("why the household applies"))
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # 单独登记备案: a member is a close relative of, or lives with, staff; registered separately.
    flagged = models.BooleanField(default=False)
    excluded_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    investigation_due = models.DateTimeField(null=True, blank=True)
    process_due = models.DateTimeField(null=True, blank=True)
    extended_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion = models.TextField(_("preliminary opinion"), blank=True)
    proposed_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notice_ends_at = models.DateTimeField(null=True, blank=True)
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # 临时救助 in an emergency: paid first, documented after (the procedure still runs).
    emergency_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    emergency_reason = models.CharField(_("why it could not wait"), max_length=300, blank=True)
    emergency_paid_at = models.DateTimeField(null=True, blank=True)
    emergency_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("welfare application")
        verbose_name_plural = _("welfare applications")
        ordering: ClassVar = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def still_to_pay(self) -> Decimal | None:
        """Temporary relief proposed, less what was paid first in the emergency."""
        if self.proposed_amount is None or self.emergency_amount is None:
            return None
        return self.proposed_amount - self.emergency_amount


class Member(models.Model):
    """A household member with their monthly income by the five types, allowed deductions
    and assets (yuan); seen only by the staff who may act on the case."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    wages = models.DecimalField(_("wages"), max_digits=9, decimal_places=2, default=Decimal("0"))
    business = models.DecimalField(
        _("business income"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    property_income = models.DecimalField(
        _("property income"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    transfers = models.DecimalField(
        _("net transfers"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    other = models.DecimalField(
        _("other income"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    deductions = models.DecimalField(
        _("allowed deductions"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    assets = models.DecimalField(_("assets"), max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["application", "resident"], name="member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.resident_id}"

    @property
    def income(self) -> Decimal:
        return (
            self.wages
            + self.business
            + self.property_income
            + self.transfers
            + self.other
            - self.deductions
        )


class Material(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=100)
    provided = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["application", "name"], name="material_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Investigation(models.Model):
    """A home investigation (入户调查) by at least two investigators, signed by the family."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="investigations"
    )
    investigators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    visited_on = models.DateField(_("visited on"))
    findings = EncryptedTextField(_("findings"))
    family_signature = models.ImageField(upload_to="welfare/%Y/%m/", null=True, blank=True)
    family_signed_on_screen = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.visited_on}"


class InfoCheck(models.Model):
    """The result of checking one source (tax, housing, vehicles, bank, social insurance...)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="checks")
    source = models.CharField(_("source"), max_length=100)
    result = models.TextField(_("result"))
    consistent = models.BooleanField(_("consistent with the application"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.source


class Benefit(models.Model):
    """An approved household on the register of recipients."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="benefit"
    )
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    monthly_amount = models.DecimalField(max_digits=9, decimal_places=2)
    starts_on = models.DateField()
    next_review_on = models.DateField()
    irregular_income = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.ACTIVE)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["household", "programme"],
                condition=Q(state="active"),
                name="one_active_benefit_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.monthly_amount}"


class SelfCare(models.TextChoices):
    """特困人员认定办法: all six activities done → able; up to three not → partly unable; four
    or more not → wholly unable."""

    ABLE = "able", _("Able to care for oneself")
    PARTIAL = "partial", _("Partly unable to care for oneself")
    FULL = "full", _("Wholly unable to care for oneself")


# The six activities of the self-care assessment, in the 办法's order.
ACTIVITIES = (
    ("eat", _("Eats unaided")),
    ("dress", _("Dresses unaided")),
    ("transfer", _("Gets in and out of bed unaided")),
    ("toilet", _("Uses the toilet unaided")),
    ("walk", _("Walks indoors")),
    ("bathe", _("Bathes unaided")),
)


def self_care_level(done: dict[str, bool]) -> str:
    """The level from the six activities (an activity not given counts as not done)."""
    unable = sum(1 for key, _label in ACTIVITIES if not done.get(key, False))
    if unable == 0:
        return SelfCare.ABLE
    return SelfCare.PARTIAL if unable <= 3 else SelfCare.FULL


class Assessment(models.Model):
    """The self-care assessment of one member of a 特困 application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    done = models.JSONField(_("activities done unaided"), default=dict)
    level = models.CharField(_("self-care"), max_length=10, choices=SelfCare.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["application", "resident"], name="assessment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.resident_id} {self.level}"


class BenefitChange(models.Model):
    """What happened to a benefit after approval: a change the household reported, a periodic
    review and its outcome, a suspension, a resumption, the end."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Change reported by the household")
        REVIEW = "review", _("Periodic review")
        SUSPENDED = "suspended", _("Suspended")
        RESUMED = "active", _("Resumed")
        ENDED = "ended", _("Ended")

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continues unchanged")
        ADJUST = "adjust", _("Amount adjusted")
        SUSPEND = "suspend", _("Suspended")
        END = "end", _("Ended")

    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # Income and circumstances: sensitive, shown only to those who may act on the case.
    note = EncryptedTextField(_("what was found or reported"))
    old_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    new_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # A reported change waits until a review deals with it.
    handled_by_review = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="handled"
    )

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.benefit_id} {self.kind}"
