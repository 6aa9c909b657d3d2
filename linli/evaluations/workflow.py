"""The evaluations workflows: the steps of a campaign and of an improvement task, who may take
each, and from which status.

The actions refuse with them (a campaign's refusal keeps its code `campaign_state`, a task's
`task_done`), the campaign page shows only the forms they allow, and the permission matrix
checks the views against the same roles."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.roles import EVALUATION_ORGANISERS, LEADERS, WORKERS
from linli.core.workflow import Step, Workflow, register
from linli.evaluations.models import WITH_RESULTS, Status, Task, TaskStatus

CAMPAIGN_FLOW = register(
    Workflow(
        "evaluation_campaign",
        [
            # The roll is frozen when the campaign opens.
            Step("open", sources=(Status.DRAFT,), roles=EVALUATION_ORGANISERS, target=Status.OPEN),
            # Paper for residents without a phone, typed in by batches a colleague checks.
            Step("hand_out_paper", sources=(Status.OPEN,), roles=WORKERS),
            Step("start_batch", sources=(Status.OPEN,), roles=WORKERS),
            # Every batch checked; the results and the improvement tasks are computed.
            Step(
                "close", sources=(Status.OPEN,), roles=EVALUATION_ORGANISERS, target=Status.CLOSED
            ),
            Step("publish", sources=(Status.CLOSED,), roles=LEADERS, target=Status.PUBLISHED),
            # A leader may pick any item as a task, before or after the results are published.
            Step("add_task", sources=WITH_RESULTS, roles=LEADERS),
        ],
        refusal_code="campaign_state",
        refusal_message=_("This cannot be done while the campaign is “%(status)s”."),
    )
)


def _task_community(task: Task) -> Any:
    return task.campaign.community


TASK_FLOW = register(
    Workflow(
        "evaluation_task",
        [
            # Plan, owner, deadline and progress, until the task is done.
            Step("update", sources=(TaskStatus.OPEN,), roles=WORKERS),
            # Done: published on the board (when a leader finishes it).
            Step("finish", sources=(TaskStatus.OPEN,), roles=WORKERS, target=TaskStatus.DONE),
        ],
        community=_task_community,
        refusal_code="task_done",
        refusal_message=_("This task is done."),
    )
)
