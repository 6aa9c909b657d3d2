"""The welfare workflows: the steps of an application and of a benefit, who may take each, and
the exclusion every step shares (staff related to the household take no part in the case).

The actions refuse with them, the case and benefit pages show only the forms they allow, and
the permission matrix checks the views against the same roles."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.roles import LEADERS, WELFARE_INTAKE, WELFARE_READERS, WELFARE_REVIEWERS
from linli.core.workflow import Step, Workflow, register
from linli.welfare.exclusion import is_excluded
from linli.welfare.models import OPEN_STATUSES, Application, Benefit, Status

EXCLUDED = _("You are related to this household and take no part in its case.")
State = Benefit.State


def not_excluded(user: Any, application: Application) -> bool:
    return not is_excluded(user, application)


def not_excluded_from_benefit(user: Any, benefit: Benefit) -> bool:
    return not is_excluded(user, benefit.application)


def _case(name: str, sources: tuple[str, ...], roles: tuple[str, ...], target: str = "") -> Step:
    return Step(
        name,
        sources=sources,
        roles=roles,
        target=target,
        guard=not_excluded,
        guard_message=EXCLUDED,
        guard_is_access=True,
    )


def _benefit(name: str, sources: tuple[str, ...], roles: tuple[str, ...], target: str = "") -> Step:
    return Step(
        name,
        sources=sources,
        roles=roles,
        target=target,
        guard=not_excluded_from_benefit,
        guard_message=EXCLUDED,
        guard_is_access=True,
    )


MATERIALS = (Status.SUBMITTED, Status.MATERIALS_MISSING)
ON_NOTICE = (Status.ON_NOTICE, Status.NOTICE_DONE)
# Accepted and not yet decided: the deadlines run.
RUNNING = (
    Status.ACCEPTED,
    Status.INVESTIGATED,
    Status.CHECKED,
    Status.REVIEWED,
    Status.ON_NOTICE,
    Status.NOTICE_DONE,
)

APPLICATION_FLOW = register(
    Workflow(
        "welfare_application",
        [
            _case("view", (), WELFARE_READERS),
            # Materials handed in (the household's own members too: see provide_materials).
            _case("provide", MATERIALS, WELFARE_INTAKE),
            # Everything missing listed at once (→ materials missing), or complete (→ accepted).
            _case("materials", MATERIALS, WELFARE_REVIEWERS, Status.ACCEPTED),
            _case("investigate", (Status.ACCEPTED,), WELFARE_INTAKE, Status.INVESTIGATED),
            # 特困 only: the self-care assessment of each member, before the opinion.
            _case("assess", (Status.ACCEPTED, Status.INVESTIGATED, Status.CHECKED), WELFARE_INTAKE),
            _case("checks", (Status.INVESTIGATED,), WELFARE_REVIEWERS, Status.CHECKED),
            _case("opinion", (Status.CHECKED,), WELFARE_REVIEWERS, Status.REVIEWED),
            # In the opinion's transaction: the public notice is published.
            _case("publish", (Status.REVIEWED,), WELFARE_REVIEWERS, Status.ON_NOTICE),
            _case("objection", ON_NOTICE, WELFARE_REVIEWERS, Status.ACCEPTED),
            _case("decide", ON_NOTICE, WELFARE_REVIEWERS, Status.APPROVED),
            _case("refuse", ON_NOTICE, WELFARE_REVIEWERS, Status.REFUSED),
            # 临时救助 in an emergency: paid first, at any moment before the decision.
            _case("pay_first", OPEN_STATUSES, WELFARE_REVIEWERS),
            _case("extend", RUNNING, LEADERS),
        ],
        refusal_code="step_order",
        refusal_message=_("This step cannot be taken while the application is “%(status)s”."),
    )
)

BENEFIT_FLOW = register(
    Workflow(
        "welfare_benefit",
        [
            _benefit("report", (State.ACTIVE, State.SUSPENDED), WELFARE_INTAKE),
            _benefit("review", (State.ACTIVE, State.SUSPENDED), WELFARE_REVIEWERS),
            _benefit("suspend", (State.ACTIVE,), WELFARE_REVIEWERS, State.SUSPENDED),
            _benefit("resume", (State.SUSPENDED,), WELFARE_REVIEWERS, State.ACTIVE),
            _benefit("end", (State.ACTIVE, State.SUSPENDED), WELFARE_REVIEWERS, State.ENDED),
        ],
        status="state",
        community=lambda benefit: benefit.application.community,
        refusal_code="benefit_ended",
        refusal_message=_("This benefit has ended."),
    )
)

# change_benefit's target state → its step.
STATE_STEPS: dict[str, str] = {
    State.SUSPENDED: "suspend",
    State.ACTIVE: "resume",
    State.ENDED: "end",
}
