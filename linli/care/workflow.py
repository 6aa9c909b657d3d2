"""The care workflows: a relief campaign's steps from its draft to its close, and what may be
done from a visit, with who may take each step.

The actions refuse with them (a campaign's refusal keeps its code `campaign_state`), and the
campaign and resident pages show only the buttons they allow.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.care.models import CampaignStatus
from linli.core.roles import LEADERS, WORKERS
from linli.core.workflow import Step, Workflow, register

RELIEF_FLOW = register(
    Workflow(
        "care_relief",
        [
            # The list is made from the register and must fit the budget.
            Step(
                "open",
                sources=(CampaignStatus.DRAFT,),
                roles=LEADERS,
                target=CampaignStatus.OPEN,
            ),
            # While it is distributed: someone the list missed is added, each receives once.
            Step("add_recipient", sources=(CampaignStatus.OPEN,), roles=LEADERS),
            Step("give", sources=(CampaignStatus.OPEN,), roles=WORKERS),
            Step(
                "close",
                sources=(CampaignStatus.OPEN,),
                roles=LEADERS,
                target=CampaignStatus.CLOSED,
            ),
        ],
        refusal_code="campaign_state",
        refusal_message=_("This cannot be done while the relief campaign is “%(status)s”."),
    )
)

# A visit has no status: what follows it is a link, made once (to an appeal for the need, to a
# temporary-relief application for the household), each refused by its own code under the
# visit's lock. The flow names who may take each step; the page shows a link once it is made.
VISIT_FLOW = register(
    Workflow(
        "care_visit",
        [
            Step("raise_need", sources=(), roles=WORKERS),
            Step("open_application", sources=(), roles=WORKERS),
            # Health findings are shown on request, each time audited.
            Step("reveal_health", sources=(), roles=WORKERS),
        ],
    )
)
