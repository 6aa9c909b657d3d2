"""Every state change of the notice board. `publish_notice` is what other apps call, inside
their own transaction: the notice commits with the decision it publishes, or not at all.
What a notice may contain is checked in `content.py`; the steps and roles are `workflow.py`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import has_role, require_role
from linli.core.calendar import add_calendar_days, add_working_days
from linli.core.crypto import lookup_hash
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, Role, User
from linli.core.notify import notify
from linli.core.roles import NOTICE_READERS
from linli.core.transactions import atomic_action
from linli.notices.content import (
    AttachmentInput,
    check_attachments,
    check_content,
    check_period,
    clean_entries,
)
from linli.notices.models import (
    Audience,
    Notice,
    NoticeAttachment,
    NoticeKind,
    NoticeStatus,
    Objection,
    ObjectionStatus,
)
from linli.notices.rules import PUBLISHERS, Period
from linli.notices.workflow import NOTICE_FLOW, OBJECTION_FLOW
from linli.people.validation import check_phone

__all__ = [
    "AttachmentInput",
    "answer_objection",
    "correct_notice",
    "file_objection",
    "publish_notice",
    "withdraw_notice",
]


def _check_publisher(actor: Any, community: Community, kind: str) -> None:
    if kind not in NoticeKind.values:
        raise DomainError("kind_unknown", _("Unknown kind of notice."))
    require_role(actor, community, *PUBLISHERS[kind])


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
    _attach(notice, attachments)
    return notice


def _attach(notice: Notice, attachments: list[tuple[AttachmentInput, str]]) -> None:
    # The file is written to storage first; should the transaction roll back, no row names it.
    for attachment, content_type in attachments:
        item = NoticeAttachment(
            notice=notice,
            name=attachment.name[:200],
            content_type=content_type,
            size=len(attachment.data),
            sha256=hashlib.sha256(attachment.data).hexdigest(),
        )
        item.file.save(attachment.name[-80:], ContentFile(attachment.data), save=False)
        item.save()


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
    table = clean_entries(kind, entries)
    files = attachments or []
    check_content(kind, title, body, table, files, digests=digests)
    checked_files = check_attachments(files)
    period = check_period(kind, period_days)
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    with atomic_action():
        notice = _create(
            actor=actor,
            community=community,
            kind=kind,
            title=title,
            body=body,
            entries=table,
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
    NOTICE_FLOW.check_access(actor, notice, "correct")
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give the reason for the correction."))
    table = clean_entries(notice.kind, entries)
    files = attachments or []
    # Without new files the correction keeps the current version's attachments.
    kept = [] if files else list(notice.attachments.all())
    check_content(notice.kind, title, body, table, files, kept_attachments=len(kept))
    checked_files = check_attachments(files)
    with atomic_action():
        current = Notice.objects.select_for_update().get(pk=notice.pk)
        NOTICE_FLOW.check_status(current, "correct")
        current.status = NoticeStatus.SUPERSEDED
        current.save(update_fields=["status"])
        corrected = _create(
            actor=actor,
            community=current.community,
            kind=current.kind,
            title=title,
            body=body,
            entries=table,
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
    NOTICE_FLOW.check_access(actor, notice, "withdraw")
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give the reason for the withdrawal."))
    with atomic_action():
        current = Notice.objects.select_for_update().get(pk=notice.pk)
        NOTICE_FLOW.check_status(current, "withdraw")
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


def _check_objection(
    actor: Any, notice: Notice, reason: str, contact_name: str, contact_phone: str
) -> tuple[bool, str]:
    """Whether the objector is a member of the community, and the phone to answer an
    anonymous one on, once the objection may be filed."""
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
    if len(reason) < 5:
        raise DomainError("reason_short", _("Please say what is wrong, in a sentence or more."))
    if len(reason) > 2000:
        raise DomainError("reason_long", _("Please keep the reason under 2,000 characters."))
    member = bool(getattr(actor, "is_authenticated", False)) and has_role(
        actor, notice.community, *NOTICE_READERS
    )
    if notice.audience != Audience.PUBLIC and not member:
        raise AccessDenied("access_denied", _("Only residents of the community may object here."))
    if member:
        return True, ""
    if not contact_name.strip() or not contact_phone.strip():
        raise DomainError(
            "contact_missing",
            _("Please leave a name and phone number so that the answer can reach you."),
        )
    return False, check_phone(contact_phone)


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
    reason = reason.strip()
    member, phone = _check_objection(actor, notice, reason, contact_name, contact_phone)
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
    OBJECTION_FLOW.check_access(actor, objection, "answer")
    answer = answer.strip()
    if not answer:
        raise DomainError("answer_missing", _("The answer is empty."))
    with atomic_action():
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        OBJECTION_FLOW.check_status(current, "answer")
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
