"""居务公开: notices with their notice periods, versions, attachments and objections."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import access
from linli.core.fields import EncryptedTextField
from linli.core.models import Community, Role
from linli.core.roles import NOTICE_READERS


class NoticeKind(models.TextChoices):
    MINUTES = "minutes", _("Meeting minutes and resolutions")
    OPINION_RESULTS = "opinion_results", _("Handling results of residents' opinions")
    WELFARE = "welfare", _("Welfare publicity")
    PARTY_DEVELOPMENT = "party_development", _("Party-member development publicity")
    BALLOT_RESULTS = "ballot_results", _("Ballot and appraisal results")
    EVALUATION_RESULTS = "evaluation_results", _("Evaluation results")
    FINANCE = "finance", _("Finances of community funds")
    ANNOUNCEMENT = "announcement", _("Announcement")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone (public)")
    RESIDENTS = "residents", _("Residents of the community only")


class NoticeStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by a correction")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NoticeKindSetting(models.Model):
    """How long each kind of notice stays up for objections, set by an administrator."""

    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices, unique=True)
    period_days = models.PositiveSmallIntegerField(
        _("notice period (days)"), help_text=_("0: no notice period, no objections.")
    )
    working_days = models.BooleanField(_("count working days"), default=False)

    class Meta:
        verbose_name = _("notice period of a kind")
        verbose_name_plural = _("notice periods of the kinds")

    def __str__(self) -> str:
        return str(NoticeKind(self.kind).label)


class NoticeQuerySet(models.QuerySet["Notice"]):
    def current(self) -> NoticeQuerySet:
        return self.filter(status=NoticeStatus.PUBLISHED)

    def readable_by(self, user: Any, community: Community) -> NoticeQuerySet:
        """Public notices for everyone; residents-only ones for people of the community."""
        # Residents and the office; not the utilities' liaisons or the tellers.
        if user.is_authenticated and access.has_role(user, community, *NOTICE_READERS):
            return self.filter(community=community)
        return self.filter(community=community, audience=Audience.PUBLIC)

    def for_source(self, source: models.Model) -> NoticeQuerySet:
        return self.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk)
        )


class Notice(models.Model):
    """One published notice. Its content never changes: a correction is a new version."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # Tabular content, e.g. welfare publicity rows; the kind decides which columns exist.
    entries = models.JSONField(_("table"), default=list, blank=True)
    audience = models.CharField(
        _("who may read it"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Who answers objections: the owner of the record the notice comes from.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    period_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=0)
    period_working_days = models.BooleanField(default=False)
    period_ends_at = models.DateTimeField(_("notice period ends"), null=True, blank=True)
    period_estimated = models.BooleanField(default=False)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.CharField(max_length=40, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.PUBLISHED
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    objects = NoticeQuerySet.as_manager()

    # Only these may change after publication (status changes by the actions).
    MUTABLE_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"status", "withdrawn_at", "withdrawn_by", "withdrawal_reason"}
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering: ClassVar = ["-published_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["community", "status", "-published_at"], name="notice_board"),
            models.Index(fields=["source_type", "source_id"], name="notice_source"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(period_days=0, period_ends_at__isnull=True)
                | Q(period_days__gt=0, period_ends_at__isnull=False),
                name="notice_period_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.MUTABLE_FIELDS:
                raise RuntimeError("a published notice's content cannot be changed")
        super().save(*args, **kwargs)

    @staticmethod
    def hash_content(title: str, body: str, entries: list[dict[str, Any]]) -> str:
        payload = json.dumps([title, body, entries], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def in_period(self) -> bool:
        return (
            self.status == NoticeStatus.PUBLISHED
            and self.period_ends_at is not None
            and timezone.now() <= self.period_ends_at
        )

    @property
    def period_over(self) -> bool:
        return self.period_ends_at is not None and timezone.now() > self.period_ends_at

    @property
    def columns(self) -> list[tuple[str, str]]:
        # cycle: the rules name the kinds defined here.
        from linli.notices.rules import ENTRY_COLUMNS

        return [(key, str(label)) for key, label in ENTRY_COLUMNS.get(self.kind, [])]


def attachment_path(instance: NoticeAttachment, filename: str) -> str:
    stamp = timezone.localdate()
    return f"notices/{stamp:%Y/%m}/{instance.sha256[:16]}-{filename[-80:]}"


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.name


def new_receipt() -> str:
    return secrets.token_urlsafe(16)


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")


class ObjectionQuerySet(models.QuerySet["Objection"]):
    def open(self) -> ObjectionQuerySet:
        return self.filter(status=ObjectionStatus.OPEN)

    def visible_to(self, user: Any) -> ObjectionQuerySet:
        """Leaders see their communities' objections; owners those on their notices."""
        leader_of = access.community_ids_for(user, Role.LEADER)
        if leader_of is None:
            return self
        return self.filter(Q(notice__community_id__in=leader_of) | Q(notice__owner=user))


class Objection(models.Model):
    """An objection (异议) filed during a notice period. The objector is never shown publicly."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    reason = models.TextField(_("reason"))
    objector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    # A keyed hash of the anonymous objector's phone: how many they filed, never who.
    contact_hash = models.CharField(max_length=64, blank=True, db_index=True)
    filed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    # The objector's receipt: the only way back to the answer, even for an anonymous objector.
    receipt = models.CharField(max_length=32, unique=True, default=new_receipt)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering: ClassVar = ["-filed_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["notice", "status"], name="objection_status")]

    def __str__(self) -> str:
        return f"{self.notice_id}#{self.pk}"


def open_objections_for(source: models.Model) -> ObjectionQuerySet:
    """Unanswered objections to any version of the notices published for `source`.

    Source workflows (welfare review) must not move on while this is not empty.
    """
    return Objection.objects.open().filter(notice__in=Notice.objects.for_source(source))
