"""Audit events and notifications of the notice board."""

from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event
from linli.core.notify import register_notification

register_event("notices.published", _("Notice “%(title)s” published"))
register_event(
    "notices.corrected", _("Notice “%(title)s” corrected (version %(version)s): %(reason)s")
)
register_event("notices.withdrawn", _("Notice “%(title)s” withdrawn: %(reason)s"))
register_event("notices.objection_filed", _("Objection filed against notice “%(title)s”"))
register_event("notices.objection_answered", _("Objection to notice “%(title)s” answered"))

register_notification(
    "notices.objection_filed",
    _("An objection to “%(title)s” awaits your answer."),
)
register_notification(
    "notices.objection_answered",
    _("Your objection to “%(title)s” has been answered."),
)
