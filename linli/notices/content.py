"""What a notice may say: its table kept to the kind's columns, its attachments checked by
their first bytes, and personal data the kind may not publish refused (checked before
anything is written)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from linli.core.errors import DomainError
from linli.notices.models import NoticeKind
from linli.notices.rules import (
    ENTRY_COLUMNS,
    PERSONAL_KINDS,
    Period,
    period_for,
    personal_data_problems,
)

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


def clean_entries(kind: str, entries: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
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


def check_attachments(attachments: list[AttachmentInput]) -> list[tuple[AttachmentInput, str]]:
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


def check_content(
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


def check_period(kind: str, period_days: int | None) -> Period:
    """The notice period: the kind's, or a longer one the publisher asks for."""
    period = period_for(kind)
    if period_days is None:
        return period
    if not 0 <= period_days <= 90:
        raise DomainError("period_invalid", _("The notice period must be between 0 and 90 days."))
    if period_days < period.days:
        raise DomainError(
            "period_short",
            _("This kind of notice must stay up for at least %(days)s days."),
            days=period.days,
        )
    return Period(period_days, period.working_days)
