"""Audit event codes of the core app and their messages."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event
from linli.core.models import Role


def _role_label(data: dict[str, Any]) -> dict[str, Any]:
    role = data.get("role", "")
    return {**data, "role": Role(role).label if role in Role.values else role}


register_event(
    "core.role_granted", _("%(user)s was given the role %(role)s"), formatter=_role_label
)
register_event(
    "core.role_revoked", _("%(user)s no longer holds the role %(role)s"), formatter=_role_label
)
register_event("core.preferences_changed", _("%(user)s changed their display preferences"))
register_event(
    "core.calendar_override_set",
    _("%(date)s set as %(kind)s in the working-day calendar (%(note)s)"),
    formatter=lambda data: {
        **data,
        "kind": _("a working day") if data.get("working") else _("a day off"),
    },
)
register_event(
    "core.calendar_override_removed",
    _("%(date)s follows the official calendar again"),
)
