"""Audit events of ballots. None of them names a receipt or what anyone chose."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.audit import register_event

register_event("ballots.created", _("Ballot prepared: %(title)s (%(candidates)s candidates)"))
register_event("ballots.nominated", _("Nomination recorded for %(candidate)s: %(title)s"))
register_event("ballots.opened", _("Ballot opened with %(voters)s voters on the roll: %(title)s"))
register_event("ballots.voted", _("Voted: %(title)s"))
register_event("ballots.paper_handed_out", _("Paper ballot handed out: %(title)s"))
register_event("ballots.paper_entered", _("Paper sheet %(sheet)s entered by a teller: %(title)s"))
register_event(
    "ballots.paper_withdrawn", _("A teller withdrew their reading of sheet %(sheet)s: %(title)s")
)
register_event("ballots.closed", _("Voting closed: %(title)s"))
register_event("ballots.counted", _("Counted, %(cast)s ballots: %(title)s"))
register_event("ballots.published", _("Results published: %(title)s"))
register_event("ballots.follow_up", _("Follow-up recorded for %(candidate)s: %(title)s"))
