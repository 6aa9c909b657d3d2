"""Evaluations (测评): residents judge the community's work and score its staff; results turn
into improvement tasks (整改事项).

An answer sheet (Response) has a random key, the day only, the respondent's grid and building
(for breakdowns large enough to show) and no reference to the respondent; the roll records only
that someone answered.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import Community, Grid


class Target(models.TextChoices):
    ADULTS = "adults", _("All adult residents")
    HOUSEHOLDS = "households", _("One answer per household")
    REPRESENTATIVES = "representatives", _("Residents' representatives")
    GRID = "grid", _("Adult residents of one grid")
    BUILDING = "building", _("Adult residents of one building")


class Status(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed; results computed")
    PUBLISHED = "published", _("Results published")


# The statuses in which a campaign has its results (computed when it closes).
WITH_RESULTS = (Status.CLOSED, Status.PUBLISHED)


class Campaign(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("title"), max_length=200)
    target = models.CharField(_("who answers"), max_length=20, choices=Target.choices)
    target_grid = models.ForeignKey(Grid, on_delete=models.PROTECT, null=True, blank=True)
    target_building = models.CharField(_("building number"), max_length=20, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # A named person's average needs this many answers (never below 3); comments about a
    # person need more.
    min_answers = models.PositiveSmallIntegerField(_("answers needed to show a score"), default=5)
    min_comments = models.PositiveSmallIntegerField(
        _("answers needed to show comments about a person"), default=8
    )
    # Items scoring under this (per cent satisfied, or the average score) become tasks.
    task_threshold = models.PositiveSmallIntegerField(
        _("an item under this score (0–100) becomes an improvement task"), default=70
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(default=dict, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation campaign")
        verbose_name_plural = _("evaluation campaigns")
        ordering: ClassVar = ["-opens_on", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(min_answers__gte=3), name="min_answers_at_least_3"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_results(self) -> bool:
        return self.status in WITH_RESULTS


class Kind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction (5 levels)")
    STAFF_SCORE = "staff_score", _("Score for a staff member (0–100)")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


LEVELS = [
    (5, _("Very satisfied")),
    (4, _("Satisfied")),
    (3, _("Basically satisfied")),
    (2, _("Dissatisfied")),
    (1, _("Very dissatisfied")),
]


class Question(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    section = models.CharField(_("section"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member scored"),
    )
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering: ClassVar = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class RollEntry(models.Model):
    """Who may answer, and only *whether* they have."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="roll")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    household_key = models.IntegerField(null=True, blank=True)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "resident"], name="eval_roll_once"),
            # One answer per household when a household answers as one.
            models.UniqueConstraint(
                fields=["campaign", "household_key"],
                condition=Q(answered=True, household_key__isnull=False),
                name="eval_one_answer_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.resident_id}"


class Response(models.Model):
    """One answer sheet: no respondent, no time of day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    day = models.DateField()
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, null=True, blank=True)
    building = models.CharField(max_length=20, blank=True)
    on_paper = models.BooleanField(default=False)
    batch = models.ForeignKey(
        "PaperBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)  # level, score, or choice index
    choices = models.JSONField(default=list, blank=True)  # multiple choice indices
    text = models.TextField(blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["question", "number"], name="answer_number")]

    def __str__(self) -> str:
        return f"{self.question_id}"


class PaperBatch(models.Model):
    """Paper sheets entered by one staff member; they count once another has checked them
    against the sheets (the declared number of sheets must match)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="batches")
    declared_sheets = models.PositiveIntegerField(_("number of sheets in the batch"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.campaign_id} #{self.pk}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Done")


class Task(models.Model):
    """An improvement task (整改事项): a low-scoring item, or one a leader picked."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="tasks")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("task"), max_length=200)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    deadline = models.DateField(_("deadline"))
    plan = models.TextField(_("plan"), blank=True)
    progress = models.TextField(_("progress"), blank=True)
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title
