"""{% community_nav %}: a community's tabs, each shown only to those who may open its page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.views_helpers import may_open

register = template.Library()


def _tabs() -> list[tuple[str, str]]:
    """(URL name, label) of every community page reached from the tabs, in the order of work."""
    return [
        ("people:community", _("Overview")),
        ("people:residents", _("Residents")),
        ("people:resident_create", _("Register a resident")),
        ("people:import", _("Import")),
        ("people:export", _("Export (masked)")),
        ("appeals:todo", _("Appeals")),
        ("meetings:list", _("Meetings")),
        ("ballots:list", _("Secret ballots")),
        ("evaluations:list", _("Evaluations")),
        ("care:register", _("Care register")),
        ("welfare:list", _("Welfare review")),
        ("notices:desk", _("Notices")),
        ("notices:board", _("Public board")),
        ("audit_log", _("Audit trail")),
    ]


@register.inclusion_tag("dashboard/_community_nav.html", takes_context=True)
def community_nav(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    community = context["community"]
    tabs = []
    for name, label in _tabs():
        url = reverse(name, args=[community.code])
        if may_open(request.user, url, community):
            tabs.append({"url": url, "label": label, "current": url == request.path})
    return {"tabs": tabs}
