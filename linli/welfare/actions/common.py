"""What every welfare action shares: the case's audit line, its lock, telling the household."""

from __future__ import annotations

from typing import Any

from linli.core import audit
from linli.core.notify import notify
from linli.welfare.exclusion import household_users
from linli.welfare.models import Application


def audit_case(actor: Any, code: str, application: Application, **data: Any) -> None:
    audit.record(
        actor=actor,
        code=f"welfare.{code}",
        community=application.community,
        target=application,
        data={"number": application.pk, **data},
    )


def lock(application: Application) -> Application:
    """The case, locked for the rest of the transaction (its status is checked on this row)."""
    return (
        Application.objects.select_for_update()
        .select_related("community", "programme", "household")
        .get(pk=application.pk)
    )


def tell_household(application: Application, code: str, data: dict[str, Any]) -> None:
    """Notify the household's members who have accounts (in the caller's transaction)."""
    notify(
        users=household_users(application),
        code=code,
        community=application.community,
        data=data,
        url="",
    )
