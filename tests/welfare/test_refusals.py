"""Every refusal of an application and of a declared relative, with its exact code, and
nothing written; each step's form shown only to those the workflow lets take it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from linli.welfare import actions
from linli.welfare.models import Application, Kinship, Material, Member, Programme
from tests.welfare.test_programmes_and_benefits import accepted, benefit_for
from tests.welfare.test_welfare import apply
from tests.world import World


def written() -> tuple[int, ...]:
    return (
        Application.objects.count(),
        Member.objects.count(),
        Material.objects.count(),
        Kinship.objects.count(),
        AuditEvent.objects.count(),
    )


def _other_programme(world: World) -> dict[str, Any]:
    elsewhere = Programme.objects.create(
        community=world.other, kind="local", name="别处的补贴", monthly_standard=100
    )
    return {"programme": elsewhere}


def _retired_programme(world: World) -> dict[str, Any]:
    return {
        "programme": Programme.objects.create(
            kind="local", name="停用", monthly_standard=1, active=False
        )
    }


def _member(world: World, name: str) -> actions.MemberInput:
    return actions.MemberInput(world.residents[name])


REFUSALS: dict[str, Callable[[World], dict[str, Any]]] = {
    "programme_unknown": _retired_programme,
    "reason_missing": lambda w: {"reason": "  "},
    "pledge_missing": lambda w: {"consent_to_checks": False},
    "agent_unauthorised": lambda w: {"agent_name": "李四", "agent_authorised": False},
    "members_missing": lambda w: {"members": ()},
    "member_twice": lambda w: {"members": (_member(w, "zhang"), _member(w, "zhang"))},
}


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_an_application_refused_writes_nothing(world: World, code: str) -> None:
    before = written()
    with pytest.raises(DomainError) as refused:
        apply(world, key=f"refused-{code}", **REFUSALS[code](world))
    assert refused.value.code == code
    assert written() == before


def test_a_programme_of_another_community_is_not_offered(world: World) -> None:
    extra = _other_programme(world)
    before = written()
    with pytest.raises(DomainError) as refused:
        apply(world, key="elsewhere", **extra)
    assert refused.value.code == "programme_unknown"
    assert written() == before


def test_the_applicant_must_be_a_member(world: World) -> None:
    before = written()
    with pytest.raises(DomainError) as refused:
        apply(world, key="no-applicant", members=(_member(world, "wang"),))
    assert refused.value.code == "members_missing"
    assert written() == before


def test_a_household_or_member_elsewhere_is_refused(world: World) -> None:
    zhang = world.residents["zhang"]
    before = written()
    with pytest.raises(DomainError) as household:
        actions.submit_application(
            actor=world.users["admin"],
            community=world.other,
            data=actions.ApplicationInput(
                programme=Programme.objects.get(kind="dibao"),
                household=zhang.household,  # type: ignore[arg-type]
                applicant=zhang,
                members=(actions.MemberInput(zhang),),
                reason="x",
                pledge_signed=True,
                consent_to_checks=True,
            ),
            idempotency_key="household-elsewhere",
        )
    assert household.value.code == "household_elsewhere"
    moved = world.residents["wang"]
    type(moved).objects.filter(pk=moved.pk).update(status="moved_out")
    moved.refresh_from_db()
    with pytest.raises(DomainError) as member:
        apply(
            world,
            key="member-elsewhere",
            members=(_member(world, "zhang"), actions.MemberInput(moved)),
        )
    assert member.value.code == "member_elsewhere"
    assert written() == before


@pytest.mark.parametrize("role", ["outsider", "supervisor", "teller", "liaison"])
def test_only_intake_or_the_household_applies(world: World, role: str) -> None:
    before = written()
    with pytest.raises(AccessDenied) as refused:
        actions.submit_application(
            actor=world.users[role],
            community=world.community,
            data=actions.ApplicationInput(
                programme=Programme.objects.get(kind="dibao"),
                household=world.residents["zhang"].household,  # type: ignore[arg-type]
                applicant=world.residents["zhang"],
                members=(_member(world, "zhang"),),
                reason="x",
                pledge_signed=True,
                consent_to_checks=True,
            ),
            idempotency_key=f"role-{role}",
        )
    assert refused.value.code == "access_denied"
    assert written() == before


def test_declaring_a_relative_is_refused_to_residents_and_for_an_unknown_relation(
    world: World,
) -> None:
    before = written()
    with pytest.raises(AccessDenied) as resident:
        actions.declare_relative(
            actor=world.users["resident"], resident=world.residents["wang"], relation="sibling"
        )
    assert resident.value.code == "access_denied"
    with pytest.raises(DomainError) as relation:
        actions.declare_relative(
            actor=world.users["staff"], resident=world.residents["wang"], relation="cousin"
        )
    assert relation.value.code == "relation_unknown"
    assert written() == before


# --- the forms shown ------------------------------------------------------------------------

FORMS = {
    "materials": "welfare:materials",
    "investigate": "welfare:investigate",
    "assess": "welfare:assess",
    "checks": "welfare:checks",
}


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("staff", {"investigate", "assess"}),
        ("welfare_reviewer", {"investigate", "assess"}),
        ("supervisor", set()),
    ],
)
def test_the_case_page_shows_only_the_steps_the_person_may_take(
    world: World, client: Client, role: str, shown: set[str]
) -> None:
    application = accepted(world, "tekun")
    client.force_login(world.users[role])
    page = client.get(reverse("welfare:detail", args=["xfl", application.pk])).content.decode()
    found = {
        step for step, name in FORMS.items() if reverse(name, args=["xfl", application.pk]) in page
    }
    assert found == shown


def test_the_list_links_only_where_the_person_may_go(world: World, client: Client) -> None:
    client.force_login(world.users["supervisor"])
    page = client.get(reverse("welfare:list", args=["xfl"])).content.decode()
    assert reverse("welfare:new", args=["xfl"]) not in page
    assert reverse("welfare:register", args=["xfl"]) in page
    client.force_login(world.users["staff"])
    page = client.get(reverse("welfare:list", args=["xfl"])).content.decode()
    assert reverse("welfare:new", args=["xfl"]) in page
    assert reverse("welfare:register", args=["xfl"]) not in page


def test_an_ended_benefit_shows_no_step(world: World, client: Client) -> None:
    benefit = benefit_for(world)
    reviewer = world.users["welfare_reviewer"]
    client.force_login(reviewer)
    url = reverse("welfare:benefit", args=["xfl", benefit.pk])
    review = reverse("welfare:benefit_review", args=["xfl", benefit.pk])
    assert review in client.get(url).content.decode()
    actions.change_benefit(actor=reviewer, benefit=benefit, state="ended", reason="迁出")
    page = client.get(url).content.decode()
    assert review not in page
    assert reverse("welfare:benefit_state", args=["xfl", benefit.pk]) not in page
