"""Every state change of the notice board. `publish_notice` is what other apps call."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import has_role, require_role, roles_in
from linli.core.calendar import add_calendar_days, add_working_days
from linli.core.crypto import lookup_hash
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, Role, User
from linli.core.notify import notify
from linli.core.transactions import atomic_action
from linli.notices.models import (
    READERS,
    Audience,
    Notice,
    NoticeAttachment,
    NoticeKind,
    NoticeKindSetting,
    NoticeStatus,
    Objection,
    ObjectionStatus,
)
from linli.notices.rules import (
    DEFAULT_PERIODS,
    ENTRY_COLUMNS,
    PERSONAL_KINDS,
    PUBLISHERS,
    Period,
    personal_data_problems,
)
from linli.people.validation import check_phone

MAX_ATTACHMENTS = 10
# Magic numbers of the file types a notice may carry.
_FILE_TYPES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument", ".xlsx/.docx"),
]


@dataclass(frozen=True)
class AttachmentInput:
    name: str
    data: bytes


def period_for(kind: str) -> Period:
    setting = NoticeKindSetting.objects.filter(kind=kind).first()
    if setting is not None:
        return Period(setting.period_days, setting.working_days)
    return DEFAULT_PERIODS.get(kind, Period(0, working_days=False))


def _check_publisher(actor: Any, community: Community, kind: str) -> None:
    if kind not in NoticeKind.values:
        raise DomainError("kind_unknown", _("Unknown kind of notice."))
    require_role(actor, community, *PUBLISHERS[kind])


def _clean_entries(kind: str, entries: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Keep the table to the kind's columns; anything else is refused, not dropped."""
    entries = entries or []
    columns = [key for key, _label in ENTRY_COLUMNS.get(kind, [])]
    if entries and not columns:
        raise DomainError("entries_not_allowed", _("This kind of notice has no table."))
    cleaned = []
    for number, entry in enumerate(entries, start=1):
        extra = set(entry) - set(columns)
        if extra:
            raise DomainError(
                "entries_extra_columns",
                _("Row %(row)s has columns this kind of notice may not publish: %(columns)s."),
                row=number,
                columns="、".join(sorted(extra)),
            )
        row = {key: str(entry.get(key, "")).strip() for key in columns}
        if kind == NoticeKind.WELFARE:
            row = _clean_welfare_row(number, row)
        cleaned.append(row)
    return cleaned


MAX_AMOUNT = Decimal(1_000_000)


def _clean_welfare_row(number: int, row: dict[str, str]) -> dict[str, str]:
    if not row["name"]:
        raise DomainError("entry_name", _("Row %(row)s has no applicant name."), row=number)
    if not re.fullmatch(r"[0-9]{1,2}", row["household_size"]) or int(row["household_size"]) < 1:
        raise DomainError(
            "entry_household_size",
            _("Row %(row)s: the household size must be a whole number of at least 1."),
            row=number,
        )
    try:
        amount = (
            Decimal(row["amount"])
            if re.fullmatch(r"[0-9]{1,7}(\.[0-9]{1,2})?", row["amount"])
            else Decimal(-1)
        )
    except InvalidOperation:
        amount = Decimal(-1)
    if not 0 <= amount <= MAX_AMOUNT:
        raise DomainError(
            "entry_amount", _("Row %(row)s: the amount must be a number of yuan."), row=number
        )
    return {**row, "amount": f"{amount:.2f}"}


def _check_attachments(attachments: list[AttachmentInput]) -> list[tuple[AttachmentInput, str]]:
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(
            "attachments_many", _("At most %(count)s attachments."), count=MAX_ATTACHMENTS
        )
    checked = []
    limit = settings.NOTICE_ATTACHMENT_MAX_BYTES
    for attachment in attachments:
        if not attachment.data:
            raise DomainError(
                "attachment_empty", _("The attachment “%(name)s” is empty."), name=attachment.name
            )
        if len(attachment.data) > limit:
            raise DomainError(
                "attachment_large",
                _("The attachment “%(name)s” is larger than %(limit)s MB."),
                name=attachment.name,
                limit=limit // (1024 * 1024),
            )
        content_type = next(
            (kind for magic, kind, _ext in _FILE_TYPES if attachment.data.startswith(magic)), None
        )
        if content_type is None:
            raise DomainError(
                "attachment_type",
                _("The attachment “%(name)s” is not a PDF, image, Word or Excel file."),
                name=attachment.name,
            )
        checked.append((attachment, content_type))
    return checked


def _check_content(
    kind: str,
    title: str,
    body: str,
    entries: list[dict[str, Any]],
    attachments: list[AttachmentInput],
    kept_attachments: int = 0,
    digests: Sequence[str] = (),
) -> None:
    if not title.strip():
        raise DomainError("title_missing", _("The title is missing."))
    if len(title) > 200:
        raise DomainError("title_long", _("The title is longer than 200 characters."))
    if not (body.strip() or entries or attachments or kept_attachments):
        raise DomainError("content_missing", _("The notice has no text, table or attachment."))
    if attachments and kind in PERSONAL_KINDS:
        raise DomainError(
            "attachments_not_allowed",
            _(
                "Notices about named people publish their table only: an attachment could "
                "carry personal data that cannot be checked."
            ),
        )
    texts = [title, body, *(str(v) for row in entries for v in row.values())]
    texts += [a.name for a in attachments]
    problems = personal_data_problems(kind, texts, digests)
    if problems:
        raise DomainError(
            "personal_data",
            _(
                "This kind of notice may not publish %(what)s. Remove it: only what the "
                "rules require is made public."
            ),
            what="、".join(str(p) for p in problems),
        )


def _create(
    *,
    actor: Any,
    community: Community,
    kind: str,
    title: str,
    body: str,
    entries: list[dict[str, Any]],
    audience: str,
    owner: Any,
    source_type: ContentType | None,
    source_id: str,
    attachments: list[tuple[AttachmentInput, str]],
    period: Period,
    supersedes: Notice | None = None,
    reason: str = "",
) -> Notice:
    now = timezone.now()
    ends = None
    estimated = False
    if period.days:
        deadline = (add_working_days if period.working_days else add_calendar_days)(
            now, period.days
        )
        ends, estimated = deadline.at, deadline.estimated
    notice = Notice.objects.create(
        community=community,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        entries=entries,
        audience=audience,
        publisher=actor if getattr(actor, "pk", None) else None,
        owner=owner,
        published_at=now,
        period_days=period.days,
        period_working_days=period.working_days,
        period_ends_at=ends,
        period_estimated=estimated,
        source_type=source_type,
        source_id=source_id,
        version=supersedes.version + 1 if supersedes else 1,
        supersedes=supersedes,
        correction_reason=reason,
        content_hash=Notice.hash_content(title.strip(), body.strip(), entries),
    )
    for attachment, content_type in attachments:
        digest = hashlib.sha256(attachment.data).hexdigest()
        item = NoticeAttachment(
            notice=notice,
            name=attachment.name[:200],
            content_type=content_type,
            size=len(attachment.data),
            sha256=digest,
        )
        item.file.save(attachment.name[-80:], ContentFile(attachment.data), save=False)
        item.save()
    return notice


def publish_notice(
    *,
    actor: Any,
    community: Community,
    kind: str,
    title: str,
    body: str = "",
    entries: list[dict[str, Any]] | None = None,
    audience: str = Audience.PUBLIC,
    source: models.Model | None = None,
    owner: User | None = None,
    attachments: list[AttachmentInput] | None = None,
    period_days: int | None = None,
    digests: Sequence[str] = (),
) -> Notice:
    """Publish a notice on the community's board; the one action other apps call.

    The notice period comes from the kind (working or natural days) unless `period_days`
    is given; objections go to `owner` (default: the publisher).
    """
    _check_publisher(actor, community, kind)
    if audience not in Audience.values:
        raise DomainError("audience_unknown", _("Unknown audience."))
    clean_entries = _clean_entries(kind, entries)
    files = attachments or []
    _check_content(kind, title, body, clean_entries, files, digests=digests)
    checked_files = _check_attachments(files)
    period = period_for(kind)
    if period_days is not None:
        if not 0 <= period_days <= 90:
            raise DomainError(
                "period_invalid", _("The notice period must be between 0 and 90 days.")
            )
        if period_days < period.days:
            raise DomainError(
                "period_short",
                _("This kind of notice must stay up for at least %(days)s days."),
                days=period.days,
            )
        period = Period(period_days, period.working_days)
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    with atomic_action():
        notice = _create(
            actor=actor,
            community=community,
            kind=kind,
            title=title,
            body=body,
            entries=clean_entries,
            audience=audience,
            owner=owner or (actor if getattr(actor, "pk", None) else None),
            source_type=source_type,
            source_id=str(source.pk) if source is not None else "",
            attachments=checked_files,
            period=period,
        )
        audit.record(
            actor=actor,
            code="notices.published",
            community=community,
            target=notice,
            data={"title": notice.title, "kind": kind, "period_days": period.days},
        )
    return notice


def correct_notice(
    *,
    actor: Any,
    notice: Notice,
    title: str,
    body: str = "",
    entries: list[dict[str, Any]] | None = None,
    reason: str,
    attachments: list[AttachmentInput] | None = None,
) -> Notice:
    """Publish a corrected version; the old one stays, marked as superseded."""
    _check_publisher(actor, notice.community, notice.kind)
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give the reason for the correction."))
    clean_entries = _clean_entries(notice.kind, entries)
    files = attachments or []
    # Without new files the correction keeps the current version's attachments.
    kept = [] if files else list(notice.attachments.all())
    _check_content(notice.kind, title, body, clean_entries, files, kept_attachments=len(kept))
    checked_files = _check_attachments(files)
    with atomic_action():
        current = Notice.objects.select_for_update().get(pk=notice.pk)
        if current.status != NoticeStatus.PUBLISHED:
            raise DomainError(
                "not_current", _("Only the current version of a notice can be corrected.")
            )
        current.status = NoticeStatus.SUPERSEDED
        current.save(update_fields=["status"])
        corrected = _create(
            actor=actor,
            community=current.community,
            kind=current.kind,
            title=title,
            body=body,
            entries=clean_entries,
            audience=current.audience,
            owner=current.owner,
            source_type=current.source_type,
            source_id=current.source_id,
            attachments=checked_files,
            period=Period(current.period_days, current.period_working_days),
            supersedes=current,
            reason=reason.strip(),
        )
        for item in kept:
            NoticeAttachment.objects.create(
                notice=corrected,
                file=item.file.name,
                name=item.name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
            )
        audit.record(
            actor=actor,
            code="notices.corrected",
            community=current.community,
            target=corrected,
            data={
                "title": corrected.title,
                "version": corrected.version,
                "reason": reason.strip(),
                "supersedes": current.pk,
            },
        )
    return corrected


def withdraw_notice(*, actor: Any, notice: Notice, reason: str) -> Notice:
    """Take a notice off the board (leaders only); it stays in the archive, marked."""
    require_role(actor, notice.community, Role.LEADER)
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give the reason for the withdrawal."))
    with atomic_action():
        current = Notice.objects.select_for_update().get(pk=notice.pk)
        if current.status != NoticeStatus.PUBLISHED:
            raise DomainError("not_current", _("Only a current notice can be withdrawn."))
        current.status = NoticeStatus.WITHDRAWN
        current.withdrawn_at = timezone.now()
        current.withdrawn_by = actor
        current.withdrawal_reason = reason.strip()
        current.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        audit.record(
            actor=actor,
            code="notices.withdrawn",
            community=current.community,
            target=current,
            data={"title": current.title, "reason": reason.strip()},
        )
    return current


def _objection_handlers(notice: Notice) -> list[User]:
    leaders = list(User.objects.filter(roles__role=Role.LEADER, roles__community=notice.community))
    return ([notice.owner] if notice.owner else []) + leaders


def _check_anonymous_limits(notice: Notice, contact_hash: str) -> None:
    """Objections without an account cannot flood a notice: a few per phone number, and a
    ceiling per hour (the notice row is locked, so concurrent ones are counted too)."""
    mine = Objection.objects.filter(notice=notice, contact_hash=contact_hash).count()
    if mine >= settings.OBJECTIONS_PER_CONTACT:
        raise DomainError(
            "objection_limit",
            _(
                "You have already filed %(n)s objections to this notice; the committee will "
                "answer them."
            ),
            n=mine,
        )
    recent = Objection.objects.filter(
        notice=notice, objector=None, filed_at__gte=timezone.now() - dt.timedelta(hours=1)
    ).count()
    if recent >= settings.ANONYMOUS_OBJECTIONS_PER_HOUR:
        raise DomainError(
            "objections_busy",
            _("Many objections arrived in the last hour; please try again later."),
        )


def file_objection(
    *,
    actor: Any,
    notice: Notice,
    reason: str,
    contact_name: str = "",
    contact_phone: str = "",
    idempotency_key: str,
) -> Objection:
    """File an objection during the notice period; it goes to the notice's owner."""
    existing = Objection.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if notice.period_days == 0:
        raise DomainError("no_period", _("This notice has no notice period for objections."))
    if notice.status != NoticeStatus.PUBLISHED:
        raise DomainError("not_current", _("This notice is no longer current."))
    if not notice.in_period:
        ends = timezone.localtime(notice.period_ends_at).strftime("%Y-%m-%d %H:%M")
        raise DomainError(
            "period_over",
            _("The notice period ended on %(ends)s; objections can no longer be filed."),
            ends=ends,
        )
    reason = reason.strip()
    if len(reason) < 5:
        raise DomainError("reason_short", _("Please say what is wrong, in a sentence or more."))
    if len(reason) > 2000:
        raise DomainError("reason_long", _("Please keep the reason under 2,000 characters."))
    member = bool(getattr(actor, "is_authenticated", False)) and bool(
        roles_in(actor, notice.community) & READERS
    )
    if notice.audience != Audience.PUBLIC and not member:
        raise AccessDenied("access_denied", _("Only residents of the community may object here."))
    phone = ""
    if not member:
        if not contact_name.strip() or not contact_phone.strip():
            raise DomainError(
                "contact_missing",
                _("Please leave a name and phone number so that the answer can reach you."),
            )
        phone = check_phone(contact_phone)
    with atomic_action():
        # Re-read under a lock: a correction or withdrawal may have just committed.
        notice = Notice.objects.select_for_update().select_related("community").get(pk=notice.pk)
        if not notice.in_period:
            raise DomainError("not_current", _("This notice is no longer current."))
        contact_hash = lookup_hash(phone) if phone else ""
        if not member:
            _check_anonymous_limits(notice, contact_hash)
        try:
            # A savepoint of its own: a copy of this form that won the race leaves the
            # transaction usable (also when it is the caller's), and its objection is the answer.
            with transaction.atomic():
                objection = Objection.objects.create(
                    notice=notice,
                    reason=reason,
                    objector=actor if member else None,
                    contact_name=contact_name.strip()[:50],
                    contact_phone=phone,
                    contact_hash=contact_hash,
                    idempotency_key=idempotency_key,
                )
        except IntegrityError:
            return Objection.objects.get(idempotency_key=idempotency_key)
        audit.record(
            actor=actor if member else None,
            code="notices.objection_filed",
            community=notice.community,
            target=objection,
            data={"title": notice.title},
        )
        notify(
            users=_objection_handlers(notice),
            code="notices.objection_filed",
            community=notice.community,
            data={"title": notice.title},
            url=reverse("notices:manage", args=[notice.community.code, notice.pk]),
        )
    return objection


def answer_objection(*, actor: Any, objection: Objection, answer: str) -> Objection:
    """Answer an objection (the notice's owner or a leader); the objector is told."""
    notice = objection.notice
    if not (
        (notice.owner_id is not None and notice.owner_id == getattr(actor, "pk", None))
        or has_role(actor, notice.community, Role.LEADER)
    ):
        raise AccessDenied("access_denied", _("Only the notice's owner or a leader may answer."))
    answer = answer.strip()
    if not answer:
        raise DomainError("answer_missing", _("The answer is empty."))
    with atomic_action():
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status != ObjectionStatus.OPEN:
            raise DomainError("answered", _("This objection has already been answered."))
        current.status = ObjectionStatus.ANSWERED
        current.answer = answer
        current.answered_by = actor
        current.answered_at = timezone.now()
        current.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        audit.record(
            actor=actor,
            code="notices.objection_answered",
            community=notice.community,
            target=current,
            data={"title": notice.title},
        )
        if current.objector is not None:
            notify(
                users=[current.objector],
                code="notices.objection_answered",
                community=notice.community,
                data={"title": notice.title},
                url=reverse("notices:receipt", args=[notice.community.code, current.receipt]),
            )
    return current
