"""诉求: every opinion from every channel, its deadlines, handling, report-back and verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.appeals.events import timeline_text
from linli.core import access, roles
from linli.core.fields import EncryptedTextField
from linli.core.models import Community, Grid, Organisation, Role
from linli.core.workflow import Step, Workflow, register


class Urgency(models.TextChoices):
    """Feedback deadlines by urgency (PRODUCT.md §3): 2 h, 24 h, 7 days, 15 days."""

    CRITICAL = "critical", _("Risk to life or property (2 hours)")
    UTILITY = "utility", _("Water, power, gas or heating (24 hours)")
    ORDINARY = "ordinary", _("Ordinary (7 days)")
    COMPLEX = "complex", _("Complex (15 days)")


# Feedback limit per urgency: (amount, unit) with unit "hours" (clock) or "days" (working).
FEEDBACK_LIMITS: dict[str, tuple[int, str]] = {
    Urgency.CRITICAL: (2, "hours"),
    Urgency.UTILITY: (24, "hours"),
    Urgency.ORDINARY: (7, "days"),
    Urgency.COMPLEX: (15, "days"),
}


class Channel(models.TextChoices):
    ONLINE = "online", _("Resident's own phone or computer")
    IN_PERSON = "in_person", _("In person at the office (entered by staff)")
    PHONE = "phone", _("By phone (entered by staff)")
    VISIT = "visit", _("On a home visit (entered by staff)")
    MEETING = "meeting", _("At a residents' meeting")
    HOTLINE = "hotline", _("12345 hotline work order")
    ANONYMOUS = "anonymous", _("Anonymous, with a contact")


STAFF_CHANNELS = {Channel.IN_PERSON, Channel.PHONE, Channel.VISIT, Channel.MEETING}


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    REFERRED = "referred", _("Referred to an organisation")
    DEFERRED = "deferred", _("Deferred to the next meeting")
    SOLVED = "solved", _("Handled, to be reported back")
    REPORTED = "reported", _("Reported back, awaiting the resident's verdict")
    CLOSED = "closed", _("Closed")
    INVALID = "invalid", _("Invalid")
    MERGED = "merged", _("Merged into another appeal")


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.REFERRED,
    Status.DEFERRED,
    Status.SOLVED,
)


class Outcome(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("Resolved on the spot")
    RESOLVED = "resolved", _("Resolved")
    ORGANISATION = "organisation", _("Answered by the organisation")
    CANNOT = "cannot", _("Cannot be resolved")


class Verdict(models.TextChoices):
    """The resident's verdict on the 5-level scale."""

    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    VERY_DISSATISFIED = "very_dissatisfied", _("Very dissatisfied")
    NONE = "none", _("No verdict given")


SATISFIED_VERDICTS = (Verdict.VERY_SATISFIED, Verdict.SATISFIED, Verdict.BASICALLY_SATISFIED)
RESOLVED_OUTCOMES = (Outcome.ON_THE_SPOT, Outcome.RESOLVED, Outcome.ORGANISATION)
REOPENING_VERDICTS = (Verdict.DISSATISFIED, Verdict.VERY_DISSATISFIED)


def _is_liaison_of(user: Any, appeal: Appeal) -> bool:
    """The liaison of the organisation the appeal was referred to."""
    liaison_of = {g.organisation_id for g in access.grants(user) if g.role == Role.LIAISON}
    return appeal.organisation_id in liaison_of or access.is_admin(user)


def _may_judge(user: Any, appeal: Appeal) -> bool:
    """The resident who raised it (or one merged into it); staff record the verdict of a
    resident without a phone, given by phone or in person."""
    pk = getattr(user, "pk", None)
    if pk is not None and (
        appeal.submitter_id == pk or appeal.merged_residents.filter(pk=pk).exists()
    ):
        return True
    return appeal.submitter_id is None and access.has_role(
        user, appeal.community, *roles.APPEAL_HANDLERS
    )


def _is_submitter(user: Any, appeal: Appeal) -> bool:
    return appeal.submitter_id is not None and appeal.submitter_id == getattr(user, "pk", None)


# The workflow: which status each step may start from, where it leads, and who may take it.
APPEAL_FLOW = register(
    Workflow(
        "appeal",
        [
            Step(
                "accept",
                (Status.RECEIVED,),
                roles.APPEAL_HANDLERS,
                target=Status.ACCEPTED,
            ),
            Step(
                "dispute",
                (Status.RECEIVED, Status.ACCEPTED),
                roles.APPEAL_HANDLERS,
                target=Status.RECEIVED,
            ),
            Step("start", (Status.ACCEPTED,), roles.APPEAL_HANDLERS, target=Status.IN_PROGRESS),
            Step(
                "resolve",
                (Status.ACCEPTED, Status.IN_PROGRESS, Status.DEFERRED),
                roles.APPEAL_HANDLERS,
                target=Status.SOLVED,
            ),
            Step(
                "refer",
                (Status.ACCEPTED, Status.IN_PROGRESS),
                roles.APPEAL_HANDLERS,
                target=Status.REFERRED,
            ),
            Step(
                "answer_referral",
                (Status.REFERRED,),
                (Role.LIAISON,),
                target=Status.SOLVED,
                guard=_is_liaison_of,
                guard_message=_("Only the organisation's liaison may answer."),
            ),
            Step(
                "defer",
                (Status.ACCEPTED, Status.IN_PROGRESS),
                roles.APPEAL_HANDLERS,
                target=Status.DEFERRED,
            ),
            Step(
                "cannot_resolve",
                (Status.ACCEPTED, Status.IN_PROGRESS, Status.DEFERRED),
                roles.APPEAL_HANDLERS,
                target=Status.SOLVED,
            ),
            Step("report_back", (Status.SOLVED,), roles.APPEAL_HANDLERS, target=Status.REPORTED),
            # 不满意 or worse leads back to in_progress (重办); see docs/workflows/appeals.md.
            Step(
                "verdict",
                (Status.REPORTED,),
                roles.APPEAL_VIEWERS,
                target=Status.CLOSED,
                guard=_may_judge,
                guard_message=_("Only the resident who raised it gives the verdict."),
            ),
            Step("merge", OPEN_STATUSES, roles.APPEAL_HANDLERS, target=Status.MERGED),
            # Taken by the tick only (administrators pass every role check).
            Step("close_without_verdict", (Status.REPORTED,), (), target=Status.CLOSED),
            Step(
                "invalid",
                (Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS),
                roles.LEADERS,
                target=Status.INVALID,
            ),
            Step("extend", OPEN_STATUSES, roles.APPEAL_HANDLERS),
            Step("decide_extension", (), roles.LEADERS),
            Step("supervise", OPEN_STATUSES, roles.LEADERS),
            Step(
                "add_information",
                (*OPEN_STATUSES, Status.REPORTED),
                roles.APPEAL_VIEWERS,
                guard=_is_submitter,
                guard_message=_("Only the resident who raised it may add to it."),
            ),
            Step("note", (), roles.APPEAL_HANDLERS),
        ],
        refusal_code="transition_refused",
        refusal_message=_("This cannot be done while the appeal is “%(status)s”."),
    )
)


class CategoryQuerySet(models.QuerySet["Category"]):
    def for_community(self, community: Community) -> CategoryQuerySet:
        return self.filter(Q(community__isnull=True) | Q(community=community), active=True)


class Category(models.Model):
    """A kind of appeal, in a tree; each says who handles it and how fast."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: every community."),
    )
    name = models.CharField(_("name"), max_length=60)
    handler_role = models.CharField(
        _("handled by"), max_length=20, choices=Role.choices, default=Role.STAFF
    )
    organisation_kind = models.CharField(
        _("usually referred to"), max_length=20, choices=Organisation.Kind.choices, blank=True
    )
    default_urgency = models.CharField(
        _("usual urgency"), max_length=20, choices=Urgency.choices, default=Urgency.ORDINARY
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("feedback limit (working days)"),
        null=True,
        blank=True,
        help_text=_("Empty: by urgency (2 h, 24 h, 7 or 15 working days)."),
    )
    within_duties = models.BooleanField(
        _("within the community's duties"),
        default=True,
        help_text=_("Outside them the community may only refer, never be the primary handler."),
    )
    active = models.BooleanField(_("in use"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering: ClassVar = ["parent_id", "pk"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name


class AppealQuerySet(models.QuerySet["Appeal"]):
    def visible_to(self, user: Any) -> AppealQuerySet:
        """Staff: their communities; liaisons: what was referred to them; residents: their own."""
        staff_ids = access.community_ids_for(user, *roles.OFFICE)
        if staff_ids is None:
            return self
        own = Q(submitter_id=getattr(user, "pk", None)) | Q(
            merged_residents__id=getattr(user, "pk", None)
        )
        organisations = [g.organisation_id for g in access.grants(user) if g.organisation_id]
        return self.filter(
            Q(community_id__in=staff_ids) | own | Q(organisation_id__in=organisations)
        ).distinct()

    def open(self) -> AppealQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def for_list(self) -> AppealQuerySet:
        """Only what a list row shows (number, category, place, status, deadline, handler),
        as values on the appeal itself: one model per row instead of six."""
        return self.only(
            "number", "status", "feedback_due_at", "reopen_count", "supervised", "place"
        ).annotate(
            category_name=F("category__name"),
            handler_full_name=F("handler__full_name"),
            handler_username=F("handler__username"),
            room=F("household__room"),
            address_note=F("household__address_note"),
            entrance_number=F("household__entrance__number"),
            building_number=F("household__entrance__building__number"),
        )

    def overdue(self, now: Any = None) -> AppealQuerySet:
        return self.open().filter(feedback_due_at__lt=now or timezone.now())


class Appeal(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="appeals")
    number = models.CharField(_("number"), max_length=30, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    external_number = models.CharField(_("12345 work order number"), max_length=40, blank=True)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_submitted",
    )
    # Staff who entered it on the resident's behalf (代办).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="appeals"
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="appeals")
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices)
    text = models.TextField(_("what the resident raised"))
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    grid = models.ForeignKey(Grid, on_delete=models.SET_NULL, null=True, blank=True)
    allow_public = models.BooleanField(_("may be shown publicly (without name)"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("what was done"), blank=True)
    # 首接负责: the first receiver stays accountable until the appeal closes.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_handled",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="appeals"
    )
    verdict = models.CharField(_("verdict"), max_length=30, choices=Verdict.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    escalated = models.BooleanField(_("escalated to a leader"), default=False)
    supervised = models.BooleanField(_("under supervision (督办)"), default=False)
    created_at = models.DateTimeField(_("received at"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    verdict_asked_at = models.DateTimeField(null=True, blank=True)
    contact_due_at = models.DateTimeField(_("contact due"))
    feedback_due_at = models.DateTimeField(_("feedback due"))
    deadline_estimated = models.BooleanField(default=False)
    idempotency_key = models.CharField(max_length=64, unique=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    merged_residents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+"
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(
                fields=["handler", "feedback_due_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="appeal_todo",
            ),
            models.Index(fields=["community", "created_at"], name="appeal_community_created"),
            models.Index(fields=["community", "status"], name="appeal_community_status"),
            # The three rates count by contact deadline and by closing time within a period.
            models.Index(fields=["community", "contact_due_at"], name="appeal_community_due"),
            models.Index(fields=["community", "closed_at"], name="appeal_community_closed"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["community", "external_number"],
                condition=~Q(external_number=""),
                name="appeal_unique_external_number",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def can(self, action: str) -> bool:
        """Whether the step may start from the appeal's status (whoever takes it)."""
        return APPEAL_FLOW.allows(self, action)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        return self.is_open and timezone.now() > self.feedback_due_at

    @property
    def contact_overdue(self) -> bool:
        return self.status == Status.RECEIVED and timezone.now() > self.contact_due_at

    @property
    def row_location(self) -> str:
        """The location of a row loaded by for_list()."""
        values = self.__dict__
        if values.get("entrance_number") is not None:
            return f"{values['building_number']}-{values['entrance_number']}-{values['room']}"
        return str(values.get("address_note") or self.place)

    @property
    def row_handler(self) -> str:
        """The handler of a row loaded by for_list()."""
        return str(
            self.__dict__.get("handler_full_name") or self.__dict__.get("handler_username") or ""
        )

    @property
    def location(self) -> str:
        if self.household_id and self.household:
            return self.household.short_address
        return self.place


class DailyRates(models.Model):
    """The counts behind the three rates per community and local day, kept in step with the
    appeals by every action that changes a counted field (`rates.record_change`, in the
    action's transaction), so that dashboards read a few hundred rows instead of scanning a
    district's appeals. `linli rebuild_rates` recomputes them."""

    COUNTS = ("due", "responded", "closed", "resolved", "rated", "satisfied")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    due = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["community", "day"], name="daily_rates_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.day}"

    @classmethod
    def add(
        cls,
        before: dict[tuple[int, dt.date], tuple[int, ...]],
        after: dict[tuple[int, dt.date], tuple[int, ...]],
    ) -> None:
        """Apply the change from `before` to `after` with one atomic upsert per day touched."""
        rows: list[tuple[Any, ...]] = []
        for key in before.keys() | after.keys():
            old, new = before.get(key, (0,) * 6), after.get(key, (0,) * 6)
            delta = tuple(b - a for a, b in zip(old, new, strict=True))
            if any(delta):
                rows.append((*key, *delta))
        if rows:
            cls.upsert(rows)

    @classmethod
    def upsert(cls, rows: Iterable[tuple[Any, ...]]) -> None:
        table = connection.ops.quote_name(cls._meta.db_table)
        names = ", ".join(cls.COUNTS)
        increments = ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n in cls.COUNTS)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (community_id, day, {names}) "  # noqa: S608
                f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                f"ON CONFLICT (community_id, day) DO UPDATE SET {increments}",
                list(rows),
            )


class AppealEvent(models.Model):
    """One line of an appeal's timeline; internal notes are for staff only."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    internal = models.BooleanField(default=False)
    data = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.code}"

    @property
    def message(self) -> str:
        return timeline_text(self.code, self.data)


class AppealPhoto(models.Model):
    """A photo of the matter, stored re-encoded without metadata."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to="appeals/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.image.name or ""


class Extension(models.Model):
    """A request for more time (延期), approved or refused by a leader."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.CharField(_("reason"), max_length=300)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved = models.BooleanField(null=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["appeal"],
                condition=Q(approved__isnull=True),
                name="extension_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} +{self.days}"
