"""Every state change of an appeal, by stage: intake, handling, oversight and the tick.

The stages are modules of this package; every action is importable from here.
"""

from __future__ import annotations

from linli.appeals.actions.handling import (
    accept_appeal,
    answer_referral,
    cannot_resolve,
    defer_appeal,
    dispute_dispatch,
    give_verdict,
    mark_invalid,
    merge_appeal,
    refer_appeal,
    report_back,
    resolve_appeal,
    start_work,
)
from linli.appeals.actions.oversight import (
    add_information,
    add_note,
    decide_extension,
    request_extension,
    supervise_appeal,
)
from linli.appeals.actions.periodic import (
    publish_monthly_results,
    tick,
)
from linli.appeals.actions.submission import (
    submit_appeal,
)

__all__ = [
    "accept_appeal",
    "add_information",
    "add_note",
    "answer_referral",
    "cannot_resolve",
    "decide_extension",
    "defer_appeal",
    "dispute_dispatch",
    "give_verdict",
    "mark_invalid",
    "merge_appeal",
    "publish_monthly_results",
    "refer_appeal",
    "report_back",
    "request_extension",
    "resolve_appeal",
    "start_work",
    "submit_appeal",
    "supervise_appeal",
    "tick",
]
