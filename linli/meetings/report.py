"""The report-back that opens a meeting: every follow-up opinion of the community's earlier
meetings as it stands now, and the items other layers register (improvement tasks)."""

from __future__ import annotations

from collections.abc import Callable

from linli.appeals.models import Status as AppealStatus
from linli.meetings.models import Handling, Meeting, Opinion, ReportItem

# Finished when reported: handled, reported back, closed (or not an appeal at all).
FINISHED = {AppealStatus.SOLVED, AppealStatus.REPORTED, AppealStatus.CLOSED, AppealStatus.INVALID}

# Other apps add items to the report-back (e.g. evaluations' improvement tasks, registered by
# the dashboard): each source returns the unsaved ReportItems for a meeting that is opening.
REPORT_SOURCES: list[Callable[[Meeting], list[ReportItem]]] = []


def register_report_source(source: Callable[[Meeting], list[ReportItem]]) -> None:
    if source not in REPORT_SOURCES:
        REPORT_SOURCES.append(source)


def last_reports(meeting: Meeting, keys: list[str]) -> dict[str, ReportItem]:
    """The latest report item of each source key at this community's earlier meetings."""
    latest: dict[str, ReportItem] = {}
    for item in ReportItem.objects.filter(
        meeting__community=meeting.community, source_key__in=keys
    ).order_by("pk"):
        latest[item.source_key] = item
    return latest


def compile_report(meeting: Meeting) -> list[ReportItem]:
    """Every opinion raised at an earlier meeting of the community and not answered on the
    spot, until a report has shown it finished (and again if it was reopened since)."""
    items = [
        item
        for item in (_report_item(meeting, opinion) for opinion in _follow_ups_before(meeting))
        if item is not None
    ]
    for source in REPORT_SOURCES:
        items.extend(source(meeting))
    return items


def _follow_ups_before(meeting: Meeting) -> list[Opinion]:
    return list(
        Opinion.objects.filter(
            meeting__community=meeting.community,
            meeting__opened_at__lt=meeting.opened_at,
            handling=Handling.FOLLOW_UP,
        )
        .exclude(meeting=meeting)
        .select_related(
            "meeting",
            "speaker_resident",
            "speaker_organisation",
            "appeal__handler",
            "appeal__organisation",
            "appeal__merged_into__handler",
            "appeal__merged_into__organisation",
        )
        .prefetch_related("reports")
        .order_by("meeting__starts_at", "pk")
    )


def _report_item(meeting: Meeting, opinion: Opinion) -> ReportItem | None:
    """The opinion's line as its appeal stands (the case it was merged into, if any); none
    once an earlier report showed it finished and it was not reopened since."""
    appeal = opinion.appeal
    if appeal is None:  # pragma: no cover  (follow-up opinions always have one)
        return None
    case = appeal.merged_into if appeal.merged_into_id and appeal.merged_into else appeal
    last = max(opinion.reports.all(), key=lambda r: r.pk, default=None)
    if last is not None and last.finished and case.reopen_count <= last.reopen_count:
        return None
    handler = ", ".join(str(x) for x in (case.handler, case.organisation) if x is not None)
    return ReportItem(
        meeting=meeting,
        opinion=opinion,
        raised_at_meeting=str(opinion.meeting)[:250],
        text=opinion.text,
        speaker="" if opinion.anonymous else opinion.speaker[:60],
        handler=handler[:200],
        done=case.outcome_note,
        status=case.status,
        verdict=appeal.verdict,
        finished=case.status in FINISHED,
        reopen_count=case.reopen_count,
    )
