"""Audit events and notifications of care."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event
from linli.core.notify import register_notification

register_event("care.entry_added", _("%(name)s put on the care register"))
register_event("care.care_set", _("Care level of %(name)s set: %(level)s"))
register_event("care.reassigned", _("%(residents)s residents given to %(worker)s to visit"))
register_event("care.policy_set", _("Visit policy set: %(policy)s"))
register_event("care.event", _("Event recorded for %(name)s: %(kind)s"))
register_event("care.visit", _("Visit to %(name)s recorded (%(place)s)"))
register_event("care.need_raised", _("Need found visiting %(name)s became appeal %(appeal)s"))
register_event(
    "care.application_opened", _("Need found visiting %(name)s became a welfare application")
)
register_event("care.health_revealed", _("Health findings of %(name)s viewed"))
register_event("care.relief_created", _("Relief campaign prepared: %(title)s"))
register_event(
    "care.relief_opened", _("Relief campaign list made (%(recipients)s residents): %(title)s")
)
register_event("care.recipient_added", _("%(name)s added to a relief campaign"))
register_event("care.relief_given", _("Relief given to %(name)s: %(amount)s yuan"))
register_event("care.relief_closed", _("Relief campaign closed, %(given)s yuan given: %(title)s"))

register_notification("care.event", _("%(name)s: %(kind)s. Please visit soon."))
register_notification("care.overdue", _("%(n)s of your care visits are overdue."))
