"""Helpers every appeal action shares: the timeline line, the checks, the lock, who is told."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from linli.appeals.models import (
    Appeal,
    AppealEvent,
)
from linli.core import audit
from linli.core.models import User
from linli.core.notify import notify


def _step(
    appeal: Appeal,
    actor: Any,
    code: str,
    *,
    note: str = "",
    internal: bool = False,
    data: dict[str, Any] | None = None,
) -> None:
    """One timeline line and one audit event for a step."""
    values = {"number": appeal.number, "note": note, **(data or {})}
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor if getattr(actor, "pk", None) else None,
        code=code,
        note=note,
        internal=internal,
        data=values,
    )
    audit.record(
        actor=actor,
        code=f"appeals.{code}",
        community=appeal.community,
        target=appeal,
        data={"number": appeal.number, "step": code, "status": appeal.status},
    )


def _lock(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update().select_related("community", "category").get(pk=appeal.pk)
    )


def _url(appeal: Appeal) -> str:
    return reverse("appeals:detail", args=[appeal.community.code, appeal.pk])


def _tell(appeal: Appeal, users: Iterable[User | int], code: str) -> None:
    """Notify people about an appeal, with a link to it."""
    notify(
        users=users,
        code=code,
        community=appeal.community,
        data={"number": appeal.number},
        url=_url(appeal),
    )
