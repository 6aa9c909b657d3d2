"""Improvement tasks of evaluations reported at residents' meetings, through the same
report-back as opinions. Evaluations and meetings sit side by side and never import each
other, so the top layer joins them: it registers this source with the meetings."""

from __future__ import annotations

from linli.evaluations.models import Task, TaskStatus
from linli.meetings.actions import last_reports
from linli.meetings.models import Meeting, ReportItem


def report_tasks(meeting: Meeting) -> list[ReportItem]:
    """Every improvement task of the community, each until a report has shown it done."""
    tasks = list(
        Task.objects.filter(campaign__community=meeting.community).select_related(
            "campaign", "owner"
        )
    )
    keys = [f"evaluation-task:{t.pk}" for t in tasks]
    latest = last_reports(meeting, keys)
    items = []
    for task, key in zip(tasks, keys, strict=True):
        previous = latest.get(key)
        if previous is not None and previous.finished:
            continue
        done = task.status == TaskStatus.DONE
        items.append(
            ReportItem(
                meeting=meeting,
                source_key=key,
                raised_at_meeting=task.campaign.title[:250],
                text=task.title,
                speaker="",
                handler=str(task.owner)[:200],
                done=task.progress or task.plan,
                status="task_done" if done else "task_open",
                verdict="",
                finished=done,
            )
        )
    return items
