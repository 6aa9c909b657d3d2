"""Every state change of the welfare review, by sub-domain: the application up to the checks
(`applications`), the opinion, notice and decision (`decisions`), relief paid first (`relief`),
the benefit after approval (`benefits`) and the daily tick (`reminders`). Callers import the
actions from here. Calculations live in `welfare.benefits`, who is excluded in
`welfare.exclusion`, the steps and their roles in `welfare.workflow`."""

from linli.welfare.actions.applications import (
    ApplicationInput,
    MemberInput,
    assess_self_care,
    check_materials,
    declare_relative,
    extend,
    open_case,
    provide_materials,
    record_checks,
    record_investigation,
    submit_application,
)
from linli.welfare.actions.benefits import (
    change_benefit,
    export_register,
    report_change,
    review_benefit,
)
from linli.welfare.actions.decisions import decide, give_opinion, handle_objection
from linli.welfare.actions.relief import pay_first
from linli.welfare.actions.reminders import tick

__all__ = [
    "ApplicationInput",
    "MemberInput",
    "assess_self_care",
    "change_benefit",
    "check_materials",
    "decide",
    "declare_relative",
    "export_register",
    "extend",
    "give_opinion",
    "handle_objection",
    "open_case",
    "pay_first",
    "provide_materials",
    "record_checks",
    "record_investigation",
    "report_change",
    "review_benefit",
    "submit_application",
    "tick",
]
