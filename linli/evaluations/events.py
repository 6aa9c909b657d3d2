"""Audit events of evaluations. None of them says what anyone answered."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event

register_event("evaluations.created", _("Evaluation prepared: %(title)s (%(questions)s questions)"))
register_event("evaluations.opened", _("Evaluation opened for %(residents)s residents: %(title)s"))
register_event("evaluations.answered", _("Answered: %(title)s"))
register_event("evaluations.paper_handed_out", _("Paper sheet handed out: %(title)s"))
register_event(
    "evaluations.batch_started", _("Paper batch of %(sheets)s sheets started: %(title)s")
)
register_event(
    "evaluations.batch_checked", _("Paper batch of %(sheets)s sheets checked: %(title)s")
)
register_event(
    "evaluations.closed",
    _("Evaluation closed with %(responses)s answer sheets, %(tasks)s improvement tasks: %(title)s"),
)
register_event("evaluations.task_added", _("Improvement task added (%(task)s): %(title)s"))
register_event("evaluations.task_updated", _("Improvement task updated (%(task)s): %(title)s"))
register_event("evaluations.results_published", _("Results published: %(title)s"))
