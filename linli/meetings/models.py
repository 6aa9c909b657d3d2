"""Residents' meetings with invited organisations, and the report-back at the next meeting."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.appeals.models import Status as AppealStatus
from linli.appeals.models import Verdict
from linli.core.models import Community, Organisation
from linli.people.models import Resident


class Kind(models.TextChoices):
    RESIDENTS_MEETING = "residents_meeting", _("Residents' meeting (居民会议)")
    COUNCIL = "council", _("Residents' council (议事会)")
    FORUM = "forum", _("Forum with organisations (座谈会)")
    HEARING = "hearing", _("Hearing (听证会)")
    PARTY_MEMBERS = "party_members", _("Party members' meeting")
    STUDY = "study", _("Staff study session (学习会)")


class Body(models.TextChoices):
    """Who makes up a formal residents' meeting (城市居民委员会组织法 Art. 10)."""

    ADULTS = "adults", _("All adult residents")
    HOUSEHOLDS = "households", _("One representative per household")
    GROUPS = "groups", _("Representatives of the resident groups")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed, minutes to approve")
    PUBLISHED = "published", _("Minutes approved and published")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def coming_for_resident(self, user: Any) -> MeetingQuerySet:
        """Planned and open meetings of the resident's community (not staff study sessions)."""
        resident = Resident.objects.filter(user_id=getattr(user, "pk", None) or 0, status="active")
        return self.filter(
            community__in=resident.values("community"),
            status__in=[Status.PLANNED, Status.OPEN],
        ).exclude(kind=Kind.STUDY)


class Meeting(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    body = models.CharField(
        _("who makes up the meeting"),
        max_length=20,
        choices=Body.choices,
        blank=True,
        help_text=_("Formal residents' meetings only."),
    )
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    # Six digits residents type on their phone to sign in while the meeting is open.
    code = models.CharField(_("sign-in code"), max_length=6)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    petition = models.ForeignKey(
        "Petition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("convened on the residents' petition"),
    )
    # Frozen when the meeting opens: how many people make up its body (for the quorum).
    body_size = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes_summary = models.TextField(_("summary for the minutes"), blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    announcement = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, unique=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering: ClassVar = ["-starts_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["community", "starts_at"], name="meeting_when")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.topic}"

    @property
    def is_formal(self) -> bool:
        return self.kind == Kind.RESIDENTS_MEETING

    @property
    def editable(self) -> bool:
        return self.status in {Status.PLANNED, Status.OPEN}


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("agenda item"), max_length=200)

    class Meta:
        ordering: ClassVar = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """An organisation invited to the meeting; its liaison confirms who will come."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    attendees = models.CharField(_("who will attend"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.organisation_id}"


class Attendance(models.Model):
    """One person signed in: a resident, a staff member, or an organisation's representative."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    # For a meeting of household representatives: one per household.
    household_id_key = models.IntegerField(null=True, blank=True)
    signed_in_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    by_self = models.BooleanField(default=False)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["signed_in_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting", "resident"],
                condition=Q(resident__isnull=False),
                name="attendance_resident_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="attendance_user_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "household_id_key"],
                condition=Q(household_id_key__isnull=False),
                name="attendance_household_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def present(self) -> bool:
        return self.left_at is None


class Resolution(models.Model):
    """A decision put to the vote, with its counts and the quorum as it stood."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    text = models.TextField(_("resolution"))
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"))
    abstentions = models.PositiveIntegerField(_("abstain"))
    present = models.PositiveIntegerField()
    body_size = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Handling(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("Answered on the spot")
    FOLLOW_UP = "follow_up", _("To follow up, reported at the next meeting")
    PENDING = "pending", _("Not yet classified")


class Opinion(models.Model):
    """An opinion raised at the meeting; once classified it is an appeal (the same case,
    timeline and rates as any other)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="opinions")
    speaker_resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    speaker_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymous = models.BooleanField(_("do not name the speaker in reports"), default=False)
    text = models.TextField(_("what was raised"))
    category = models.ForeignKey(
        "appeals.Category", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_opinions",
        verbose_name=_("organisation responsible"),
    )
    handling = models.CharField(
        _("handling"), max_length=20, choices=Handling.choices, default=Handling.PENDING
    )
    answer = models.TextField(_("answer given"), blank=True)
    appeal = models.OneToOneField(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_opinion",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def speaker(self) -> str:
        if self.anonymous:
            return str(_("(not named)"))
        if self.speaker_resident is not None:
            return self.speaker_resident.name
        if self.speaker_organisation is not None:
            return self.speaker_organisation.name
        return ""


# Statuses of report items that are not appeals (improvement tasks).
SOURCE_STATUSES = {"task_open": _("Improvement in progress"), "task_done": _("Improvement done")}


class ReportItem(models.Model):
    """One line of the report-back that opened a meeting, frozen as it stood then."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="report")
    # An opinion from an earlier meeting, or another source's item (e.g. "evaluation-task:7",
    # an improvement task from an evaluation), registered in REPORT_SOURCES.
    opinion = models.ForeignKey(
        Opinion, on_delete=models.PROTECT, related_name="reports", null=True, blank=True
    )
    source_key = models.CharField(max_length=60, blank=True)
    raised_at_meeting = models.CharField(max_length=250)
    text = models.TextField()
    # Empty when the speaker asked not to be named. Status and verdict are the appeal's codes.
    speaker = models.CharField(max_length=60, blank=True)
    handler = models.CharField(max_length=200)
    done = models.TextField()
    status = models.CharField(max_length=100)
    verdict = models.CharField(max_length=60)
    # Finished when reported (handled, reported back or closed): not carried over again,
    # unless the appeal is reopened afterwards (its reopen count grows).
    finished = models.BooleanField()
    reopen_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "opinion"], name="report_item_once"),
            models.UniqueConstraint(
                fields=["meeting", "source_key"],
                condition=~Q(source_key=""),
                name="report_item_source_once",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def status_label(self) -> str:
        """The status then, in the reader's language."""
        if self.status in SOURCE_STATUSES:
            return str(SOURCE_STATUSES[self.status])
        return str(AppealStatus(self.status).label) if self.status in AppealStatus.values else ""

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label) if self.verdict in Verdict.values else ""


class Basis(models.TextChoices):
    """The three ways residents may demand a meeting (Art. 10): 1/5, 1/5, 1/3."""

    ADULTS = "adults", _("One fifth of adult residents")
    HOUSEHOLDS = "households", _("One fifth of households")
    GROUPS = "groups", _("One third of resident groups")


class PetitionStatus(models.TextChoices):
    COLLECTING = "collecting", _("Collecting signatures")
    REACHED = "reached", _("Threshold reached: a meeting must be convened")
    CONVENED = "convened", _("Meeting held")


class Petition(models.Model):
    """Residents demand a residents' meeting."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="petitions")
    basis = models.CharField(_("counted by"), max_length=20, choices=Basis.choices)
    subject = models.CharField(_("what the meeting should discuss"), max_length=300)
    status = models.CharField(
        max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.COLLECTING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The number that had to be reached, frozen when it was reached.
    threshold = models.PositiveIntegerField(null=True, blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("petition for a meeting")
        verbose_name_plural = _("petitions for a meeting")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class Signature(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    on_paper = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["petition", "resident"], name="signature_once"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.resident_id}"
