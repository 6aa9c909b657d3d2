"""Audit events and notifications of meetings and petitions, in plain words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event
from linli.core.notify import register_notification

register_event("meetings.planned", _("Meeting planned: %(topic)s, %(when)s"))
register_event("meetings.cancelled", _("Meeting cancelled: %(topic)s (%(reason)s)"))
register_event(
    "meetings.invitation_confirmed", _("%(organisation)s confirmed who attends: %(topic)s")
)
register_event(
    "meetings.opened",
    _("Meeting opened: %(topic)s; %(reported)s earlier opinions reported"),
)
register_event("meetings.signed_in", _("%(name)s signed in: %(topic)s"))
register_event("meetings.left", _("%(name)s left: %(topic)s"))
register_event("meetings.resolution", _("Resolution voted (%(votes)s): %(topic)s"))
register_event("meetings.opinion", _("Opinion recorded: %(topic)s"))
register_event("meetings.classified", _("Opinion became appeal %(appeal)s: %(topic)s"))
register_event("meetings.closed", _("Meeting closed: %(topic)s"))
register_event("meetings.minutes_published", _("Minutes approved and published: %(topic)s"))
register_event("meetings.petition_started", _("Petition for a meeting started: %(subject)s"))
register_event("meetings.petition_signed", _("Petition for a meeting signed: %(subject)s"))

register_notification(
    "meetings.invited_organisation",
    _(
        "Your organisation is invited: %(topic)s, %(when)s at %(place)s. "
        "Please confirm who attends."
    ),
)
register_notification("meetings.cancelled", _("Meeting cancelled: %(topic)s (%(reason)s)"))
register_notification("meetings.invited", _("You are invited: %(topic)s, %(when)s at %(place)s"))
register_notification(
    "meetings.petition_reached",
    _("Enough residents demand a meeting (%(subject)s): the committee must convene it."),
)
