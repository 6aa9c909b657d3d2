"""Oversight of an appeal: more time, supervision, added information and notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.appeals import recipients
from linli.appeals.actions._base import _lock, _step, _tell
from linli.appeals.intake import MAX_TEXT
from linli.appeals.models import (
    APPEAL_FLOW,
    Appeal,
    Extension,
)
from linli.core.calendar import add_working_days
from linli.core.errors import DomainError
from linli.core.transactions import atomic_action


def request_extension(*, actor: Any, appeal: Appeal, days: int, reason: str) -> Extension:
    """延期: the handler asks a leader for more working days."""
    APPEAL_FLOW.check_access(actor, appeal, "extend")
    if not 1 <= days <= 30:
        raise DomainError("days_invalid", _("Between 1 and 30 working days."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    APPEAL_FLOW.check_status(appeal, "extend")
    try:
        with atomic_action(savepoint=True):
            extension = Extension.objects.create(
                appeal=appeal, requested_by=actor, days=days, reason=reason.strip()
            )
            _step(
                appeal,
                actor,
                "extension_requested",
                internal=True,
                note=reason.strip(),
                data={"days": days},
            )
            _tell(appeal, recipients.leaders(appeal.community), "appeals.extension_requested")
    except IntegrityError:
        raise DomainError(
            "extension_pending", _("An extension is already waiting for a decision.")
        ) from None
    return extension


def decide_extension(*, actor: Any, extension: Extension, approve: bool) -> Extension:
    """A leader approves (the deadline moves) or refuses a request for more time."""
    APPEAL_FLOW.check_access(actor, extension.appeal, "decide_extension")
    with atomic_action():
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        if extension.approved is not None:
            raise DomainError("decided", _("This request was already decided."))
        appeal = _lock(extension.appeal)
        extension.approved = approve
        extension.decided_by = actor
        extension.decided_at = timezone.now()
        extension.save(update_fields=["approved", "decided_by", "decided_at"])
        if approve:
            appeal.feedback_due_at = add_working_days(appeal.feedback_due_at, extension.days).at
            appeal.save(update_fields=["feedback_due_at"])
            _step(appeal, actor, "extended", data={"days": extension.days})
        else:
            _step(appeal, actor, "extension_decided", internal=True, note="refused")
    return extension


def supervise_appeal(*, actor: Any, appeal: Appeal, note: str, deadline: dt.date) -> Appeal:
    """督办: a leader follows the appeal with a note and a new deadline."""
    APPEAL_FLOW.check_access(actor, appeal, "supervise")
    if deadline < timezone.localdate():
        raise DomainError("deadline_past", _("The new deadline is in the past."))
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "supervise")
        appeal.supervised = True
        appeal.feedback_due_at = timezone.make_aware(
            dt.datetime.combine(deadline, dt.time(23, 59, 59))
        )
        appeal.save(update_fields=["supervised", "feedback_due_at"])
        _step(
            appeal, actor, "supervised", note=note.strip(), data={"deadline": deadline.isoformat()}
        )
        if appeal.handler:
            _tell(appeal, [appeal.handler], "appeals.supervised")
    return appeal


def add_information(*, actor: Any, appeal: Appeal, text: str) -> Appeal:
    """The resident adds to their own appeal (a photo's caption, a new fact)."""
    APPEAL_FLOW.check_access(actor, appeal, "add_information")
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise DomainError("text_missing", _("Please write what you want to add."))
    with atomic_action():
        appeal = _lock(appeal)
        APPEAL_FLOW.check_status(appeal, "add_information")
        _step(appeal, actor, "information_added", note=text)
        if appeal.handler:
            _tell(appeal, [appeal.handler], "appeals.information_added")
    return appeal


def add_note(*, actor: Any, appeal: Appeal, text: str) -> Appeal:
    """An internal note, for staff only."""
    APPEAL_FLOW.check_access(actor, appeal, "note")
    if not text.strip():
        raise DomainError("text_missing", _("The note is empty."))
    with atomic_action():
        _step(appeal, actor, "note", note=text.strip(), internal=True)
    return appeal
