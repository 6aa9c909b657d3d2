"""One answer to "may this person take this step now?", shared by actions, pages and tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from linli.core import roles
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, Role
from linli.core.workflow import REGISTRY, Step, Workflow
from tests.world import World


@dataclass
class Record:
    community: Community
    status: str
    owner: Any = None


FLOW = Workflow(
    "test_record",
    [
        Step("accept", sources=("new",), target="accepted", roles=roles.WORKERS),
        Step("approve", sources=("accepted",), target="approved", roles=roles.LEADERS),
        Step(
            "withdraw",
            sources=("new", "accepted"),
            target="withdrawn",
            roles=(Role.RESIDENT,),
            guard=lambda user, record: record.owner == user,
            guard_message="Only the person who made it may withdraw it.",
        ),
        Step("note", sources=(), roles=roles.READERS),
    ],
    refusal_code="record_state",
)


@pytest.mark.django_db
def test_each_role_may_take_the_steps_the_table_gives_it(world: World) -> None:
    record = Record(world.community, "new", owner=world.users["resident"])
    assert FLOW.available(world.users["staff"], record) == {"accept", "note"}
    assert FLOW.available(world.users["leader"], record) == {"accept", "note"}
    assert FLOW.available(world.users["supervisor"], record) == {"note"}
    assert FLOW.available(world.users["resident"], record) == {"withdraw"}
    assert FLOW.available(world.users["admin"], record) == {"accept", "note"}
    assert FLOW.available(world.users["outsider"], record) == set()


@pytest.mark.django_db
def test_a_step_from_the_wrong_status_is_refused_with_the_flows_code(world: World) -> None:
    record = Record(world.community, "new")
    with pytest.raises(DomainError) as refused:
        FLOW.check(world.users["leader"], record, "approve")
    assert refused.value.code == "record_state"
    assert FLOW.can(world.users["leader"], Record(world.community, "accepted"), "approve")


@pytest.mark.django_db
def test_the_wrong_person_is_denied_before_the_status_is_looked_at(world: World) -> None:
    record = Record(world.community, "approved", owner=world.users["resident"])
    with pytest.raises(AccessDenied):
        FLOW.check(world.users["supervisor"], record, "accept")
    other = Record(world.community, "new", owner=None)
    with pytest.raises(AccessDenied) as denied:
        FLOW.check(world.users["resident"], other, "withdraw")
    assert denied.value.message == "Only the person who made it may withdraw it."


def test_the_transitions_draw_the_state_diagram() -> None:
    assert FLOW.transitions() == [
        ("new", "accept", "accepted"),
        ("accepted", "approve", "approved"),
        ("new", "withdraw", "withdrawn"),
        ("accepted", "withdraw", "withdrawn"),
    ]


def test_a_step_is_defined_once() -> None:
    with pytest.raises(ValueError, match="defined twice"):
        Workflow("twice", [Step("a", (), ()), Step("a", (), ())])


# Every model with a status has its workflow (the models of other packages aside).
FLOWS = {
    "people.Resident": "people_resident",
    "people.ImportJob": "people_import",
    "notices.Notice": "notice",
    "notices.Objection": "objection",
    "appeals.Appeal": "appeal",
    "meetings.Meeting": "meeting",
    "meetings.Petition": "meeting_petition",
    "ballots.Ballot": "ballot",
    "evaluations.Campaign": "evaluation_campaign",
    "evaluations.Task": "evaluation_task",
    "welfare.Application": "welfare_application",
    "welfare.Benefit": "welfare_benefit",
    "care.ReliefCampaign": "care_relief",
}


def test_every_model_with_a_status_has_a_registered_workflow() -> None:
    with_status = {
        model._meta.label: field.name
        for model in apps.get_models()
        if model.__module__.startswith("linli.")
        for field in model._meta.fields
        if field.name in ("status", "state") and field.choices
    }
    assert set(with_status) == set(FLOWS)
    for label, name in FLOWS.items():
        assert REGISTRY[name].status == with_status[label]
