"""Secret ballots: democratic appraisal, recommendation, opinion on a prospective member, and
committee elections.

Secrecy is structural: a cast ballot has a random key, a random receipt, the day only and no
reference to anyone; the roll records only that a voter voted (and whether on paper).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import Community


class Kind(models.TextChoices):
    APPRAISAL = "appraisal", _("Democratic appraisal of party members (民主评议党员)")
    RECOMMENDATION = "recommendation", _("Recommendation (推荐)")
    OPINION = "opinion", _("Opinion on a prospective party member")
    ELECTION = "election", _("Residents' committee election")


class Electorate(models.TextChoices):
    ADULTS = "adults", _("All adult residents")
    HOUSEHOLDS = "households", _("One representative per household (the head)")
    REPRESENTATIVES = "representatives", _("Residents' representatives")
    PARTY = "party", _("Party members")
    PARTY_AND_REPRESENTATIVES = (
        "party_and_representatives",
        _("Party members and invited residents' representatives, counted separately"),
    )


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    COMPETENT = "competent", _("Competent (合格)")
    BASIC = "basic", _("Basically competent (基本合格)")
    INCOMPETENT = "incompetent", _("Incompetent (不合格)")


class Opinion(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")


class Group(models.TextChoices):
    """Voter groups counted separately (appraisal); everyone else is in ALL."""

    ALL = "all", _("All voters")
    PARTY = "party", _("Party members")
    REPRESENTATIVES = "representatives", _("Residents' representatives")


class Status(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Voting closed; paper ballots being entered")
    COUNTED = "counted", _("Counted")
    PUBLISHED = "published", _("Results published")


class Ballot(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="ballots")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    electorate = models.CharField(_("who votes"), max_length=30, choices=Electorate.choices)
    # Recommendation: choose up to this many; election: the number of seats.
    choose = models.PositiveSmallIntegerField(_("choose up to / seats"), default=1)
    # Appraisal: at most this share of those appraised may be graded excellent by one voter.
    excellent_share = models.CharField(
        _("at most this share graded excellent by one voter"),
        max_length=5,
        choices=[("1/2", "1/2"), ("1/3", "1/3"), ("1/4", "1/4"), ("1/5", "1/5")],
        default="1/3",
    )
    # Election: a candidate needs this many nominators.
    nominators_needed = models.PositiveSmallIntegerField(_("nominators needed"), default=10)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Fixed at close: the count, and the SHA-256 of the bulletin file it came from.
    results = models.JSONField(default=dict, blank=True)
    bulletin_sha256 = models.CharField(max_length=64, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def excellent_limit(self) -> int:
        """How many 优秀 one voter may give: the share of those appraised, at least one."""
        return excellent_limit(int(self.candidates.count()), self.excellent_share)


def excellent_limit(candidates: int, share: str) -> int:
    """E.g. 1/3 of 6 members: 2; never fewer than one."""
    numerator, _slash, denominator = share.partition("/")
    return max(1, candidates * int(numerator) // int(denominator))


class Candidate(models.Model):
    """Someone appraised, recommended or elected, or the prospective member heard on."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("name"), max_length=50)
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """An election candidate's nominator (a voter)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="nominations")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["candidate", "resident"], name="nomination_once"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.resident_id}"


class RollEntry(models.Model):
    """One voter on the roll frozen when the ballot opened: only *whether* they voted."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="roll")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=20, choices=Group.choices, default=Group.ALL)
    voted = models.BooleanField(default=False)
    # Votes on paper (no phone): may not vote online; a paper sheet was handed over.
    on_paper = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["ballot", "resident"], name="roll_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.resident_id}"


class CastBallot(models.Model):
    """A ballot as cast. No voter, no time of day, a random key and a random receipt."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="cast")
    receipt = models.CharField(max_length=16)
    group = models.CharField(max_length=20, choices=Group.choices, default=Group.ALL)
    # {candidate id: grade} (appraisal), [candidate ids] (recommendation, election), or
    # {"opinion": ..., "comment": ...}; spoiled paper ballots hold nothing.
    content = models.JSONField(default=dict)
    spoiled = models.BooleanField(default=False)
    on_paper = models.BooleanField(default=False)
    day = models.DateField()

    class Meta:
        ordering: ClassVar = ["receipt"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["ballot", "receipt"], name="receipt_unique"),
        ]

    def __str__(self) -> str:
        return self.receipt


class PaperEntry(models.Model):
    """One teller's reading of one paper sheet; two tellers read each sheet independently."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="paper_entries")
    sheet = models.CharField(_("sheet number"), max_length=16)
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(default=dict)
    spoiled = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["ballot", "sheet", "teller"], name="paper_entry_once_per_teller"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.sheet}"


class FollowUp(models.Model):
    """What the branch decided for an appraised member: praise, criticism and correction
    within a deadline, or further action."""

    class Action(models.TextChoices):
        PRAISE = "praise", _("Praise")
        CORRECT = "correct", _("Criticism and correction within a deadline")
        FURTHER = "further", _("Further action")

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="follow_ups")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    note = models.TextField(_("note"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(action="correct") | Q(deadline__isnull=False),
                name="follow_up_correction_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.action}"
