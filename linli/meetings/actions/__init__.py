"""Every state change of a meeting or a petition: planning, sign-in, opinions (as appeals),
resolutions with their quorum, the minutes. Reads live beside them: `quorum`, `report`,
`minutes`, `accountability`."""

from __future__ import annotations

from linli.meetings.actions.opinions import OpinionInput, classify_opinion, record_opinion
from linli.meetings.actions.petitions import sign_petition, start_petition
from linli.meetings.actions.planning import (
    MeetingInput,
    cancel_meeting,
    confirm_invitation,
    plan_meeting,
)
from linli.meetings.actions.session import (
    approve_minutes,
    close_meeting,
    open_meeting,
    record_resolution,
    sign_in,
    sign_in_with_code,
    sign_out,
)

# The report-back's registry lives in `meetings.report`; named here too for the dashboard,
# which registers its sources through this module.
from linli.meetings.report import last_reports, register_report_source

__all__ = [
    "MeetingInput",
    "OpinionInput",
    "approve_minutes",
    "cancel_meeting",
    "classify_opinion",
    "close_meeting",
    "confirm_invitation",
    "last_reports",
    "open_meeting",
    "plan_meeting",
    "record_opinion",
    "record_resolution",
    "register_report_source",
    "sign_in",
    "sign_in_with_code",
    "sign_out",
    "sign_petition",
    "start_petition",
]
