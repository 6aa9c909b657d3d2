"""Audit events, timeline lines and notifications of appeals, in plain words."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event
from linli.core.messages import MessageCatalogue
from linli.core.notify import register_notification

# What the resident reads on the timeline, one line per step.
TIMELINE: dict[str, Promise] = {
    "submitted": _("Your appeal was received (number %(number)s)."),
    "accepted": _("%(who)s accepted your appeal and is responsible for it."),
    "disputed": _("The dispatch was disputed: %(reason)s. The appeal is being reassigned."),
    "started": _("Work on your appeal has started."),
    "resolved": _("Resolved: %(note)s"),
    "resolved_on_the_spot": _("Resolved on the spot: %(note)s"),
    "referred": _("Referred to %(organisation)s."),
    "organisation_answered": _("%(organisation)s answered: %(note)s"),
    "organisation_answered_on_the_spot": _("%(organisation)s answered on the spot: %(note)s"),
    "deferred": _(
        "It cannot be solved at once; it will be reported at the next residents' meeting."
    ),
    "cannot_resolve": _("It cannot be resolved: %(note)s"),
    "reported_back": _("The community reported back to you: %(note)s"),
    "verdict": _("Your verdict: %(verdict)s."),
    "reopened": _("Reopened after a verdict of “%(verdict)s”; a leader is following it up."),
    "closed": _("Closed."),
    "closed_without_verdict": _("Closed without a verdict."),
    "invalid": _("Marked invalid: %(note)s"),
    "extended": _("The deadline was extended by %(days)s working days."),
    "supervised": _("A leader is supervising this appeal; new deadline %(deadline)s."),
    "information_added": _("More information added: %(note)s"),
    "note": _("Internal note: %(note)s"),
    "verdict_asked_again": _("You were asked again for your verdict."),
    "merged": _("Merged into appeal %(into)s about the same matter; you will be told how it goes."),
    "merged_in": _("Appeal %(duplicate)s was merged into this one."),
}


TIMELINE_TEXTS = MessageCatalogue("timeline line")
for _code, _message in TIMELINE.items():
    TIMELINE_TEXTS.register(_code, _message)
timeline_text = TIMELINE_TEXTS.render


STEP_NAMES: dict[str, Promise] = {
    "submitted": _("received"),
    "resolved_on_the_spot": _("resolved on the spot"),
    "closed": _("closed"),
    "merged": _("merged into another appeal"),
    "merged_in": _("a duplicate merged in"),
    "extended": _("deadline extended"),
    "verdict_asked_again": _("verdict asked again"),
    "accepted": _("accepted"),
    "disputed": _("dispatch disputed"),
    "started": _("work started"),
    "resolved": _("resolved"),
    "referred": _("referred to an organisation"),
    "organisation_answered": _("answered by the organisation"),
    "organisation_answered_on_the_spot": _("answered on the spot by the organisation"),
    "deferred": _("deferred to the next meeting"),
    "cannot_resolve": _("cannot be resolved"),
    "reported_back": _("reported back"),
    "verdict": _("verdict given"),
    "reopened": _("reopened"),
    "closed_without_verdict": _("closed without a verdict"),
    "invalid": _("marked invalid"),
    "extension_requested": _("extension requested"),
    "extension_decided": _("extension decided"),
    "supervised": _("put under supervision"),
    "information_added": _("information added"),
    "escalated": _("escalated to the leaders"),
    "note": _("internal note"),
}


def _step_name(data: dict[str, Any]) -> dict[str, Any]:
    step = data.get("step", "")
    return {**data, "step": STEP_NAMES.get(step, step)}


for _code in [*TIMELINE, "extension_requested", "extension_decided", "escalated"]:
    register_event(f"appeals.{_code}", _("Appeal %(number)s: %(step)s"), formatter=_step_name)
register_event("appeals.ledger_exported", _("Appeal ledger exported (%(rows)s appeals)"))
register_event("appeals.rates_rebuilt", _("Daily rate counts recomputed (%(days)s days)"))
register_event(
    "appeals.hotline_imported",
    _("12345 work orders imported: %(created)s new, %(existing)s already received"),
)

register_notification("appeals.new", _("New appeal %(number)s: %(category)s"))
register_notification("appeals.referred", _("Appeal %(number)s was referred to your organisation"))
register_notification(
    "appeals.reported_back", _("Your appeal %(number)s has an answer: please give your verdict")
)
register_notification(
    "appeals.reopened", _("Appeal %(number)s was reopened after a verdict of dissatisfaction")
)
register_notification("appeals.overdue", _("Appeal %(number)s is overdue"))
register_notification("appeals.not_contacted", _("Appeal %(number)s has not been accepted in time"))
register_notification("appeals.disputed", _("The dispatch of appeal %(number)s was disputed"))
register_notification("appeals.supervised", _("Appeal %(number)s is under a leader's supervision"))
register_notification(
    "appeals.extension_requested", _("Appeal %(number)s: an extension is requested")
)
register_notification(
    "appeals.verdict_asked_again", _("Please give your verdict on appeal %(number)s")
)
register_notification(
    "appeals.information_added", _("The resident added information to appeal %(number)s")
)
