"""Audit event codes of the registry and their messages."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event

register_event("people.resident_registered", _("Resident %(name)s registered at %(address)s"))
register_event("people.resident_updated", _("Resident %(name)s updated: %(fields)s"))
register_event("people.resident_moved", _("Resident %(name)s moved to %(address)s"))
register_event("people.resident_moved_out", _("Resident %(name)s moved away on %(date)s"))
FIELD_LABELS = {"id_number": _("ID number"), "health_notes": _("Health notes"), "phone": _("Phone")}


def _field_label(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "field": FIELD_LABELS.get(data.get("field", ""), data.get("field", ""))}


register_event(
    "people.resident_field_revealed",
    _("%(field)s of resident %(name)s shown in full"),
    formatter=_field_label,
)
register_event(
    "people.residents_imported",
    _(
        "Residents imported from %(file)s: %(created)s new, %(updated)s updated, "
        "%(unchanged)s unchanged"
    ),
)
register_event(
    "people.import_rejected",
    _("Import of %(file)s rejected: %(errors)s problems, nothing imported"),
)
EXPORT_MODES = {"full": _("in full"), "masked": _("masked")}
register_event(
    "people.residents_exported",
    _("Registry exported (%(rows)s residents, %(mode)s)"),
    formatter=lambda data: {**data, "mode": EXPORT_MODES.get(data.get("mode", ""), "")},
)
register_event("people.account_linked", _("Resident %(name)s can now log in as %(user)s"))
