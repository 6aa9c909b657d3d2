"""Care: due dates per policy and event, who visits (and after a worker leaves), visits,
needs turned into appeals, health data at rest, relief campaigns that reconcile."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from linli.care import actions
from linli.care.ledger import ledger
from linli.care.models import Visit
from linli.care.schedule import Due, coverage, register, schedule
from linli.core.access import SYSTEM
from linli.core.actions import revoke_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Notification, RoleAssignment
from linli.core.ticks import run_ticks
from linli.people.actions import ResidentInput, register_resident
from linli.people.models import Resident
from tests.appeals.helpers import categories
from tests.world import World, id_number


def person(world: World, name: str, born: dt.date, tags: list[str], seq: int) -> Resident:
    return register_resident(
        actor=SYSTEM,
        community=world.community,
        data=ResidentInput(
            name=name,
            id_number=id_number(born, seq),
            building="5",
            entrance="2",
            room=str(100 + seq),
            grid="第一网格",
            tags=tags,
        ),
    )


def policies(world: World) -> None:
    leader = world.users["leader"]
    actions.set_policy(actor=leader, community=world.community, tag="living_alone", every_days=30)
    actions.set_policy(
        actor=leader, community=world.community, tag="living_alone", min_age=80, every_days=7
    )
    actions.set_policy(actor=leader, community=world.community, tag="seriously_ill", every_days=14)


def visit(world: World, resident: Resident, on: dt.date, **extra: Any) -> Visit:
    fields: dict[str, Any] = {
        "visited_on": on,
        "place": "home",
        "visitors": (world.users["staff"],),
    }
    fields.update(extra)
    return actions.record_visit(
        actor=world.users["staff"],
        resident=resident,
        data=actions.VisitInput(**fields),
        idempotency_key=f"visit-{resident.pk}-{on}-{len(extra)}",
    )


def due_of(world: World, resident: Resident, today: dt.date) -> Due:
    return next(d for d in schedule(world.community, today) if d.resident.pk == resident.pk)


def test_due_dates_follow_the_policies_and_events(world: World) -> None:
    policies(world)
    today = timezone.localdate()
    old = person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    younger = person(world, "独居老人乙", dt.date(1956, 5, 1), ["living_alone"], 2)
    ill = person(world, "重病居民", dt.date(1970, 5, 1), ["seriously_ill", "living_alone"], 3)
    assert due_of(world, old, today).due_on == today  # never visited: due now
    visit(world, old, today - dt.timedelta(days=3))
    visit(world, younger, today - dt.timedelta(days=3))
    visit(world, ill, today - dt.timedelta(days=3))
    assert due_of(world, old, today).due_on == today + dt.timedelta(days=4)  # over 80: weekly
    assert due_of(world, younger, today).due_on == today + dt.timedelta(days=27)
    assert due_of(world, ill, today).due_on == today + dt.timedelta(days=11)  # the shortest
    # In hospital yesterday: a visit is due within two days, until one follows.
    actions.record_event(
        actor=world.users["leader"],
        resident=younger,
        kind="hospitalised",
        occurred_on=today - dt.timedelta(days=1),
    )
    assert due_of(world, younger, today).due_on == today + dt.timedelta(days=1)
    assert Notification.objects.filter(user=world.users["staff"], code="care.event").exists()
    visit(world, younger, today, place="hospital")
    assert due_of(world, younger, today).due_on == today + dt.timedelta(days=30)
    # The party member 张三 is on no care list of his own (party_member is not a care tag).
    assert world.residents["zhang"] not in register(world.community)


def test_a_worker_who_leaves_leaves_nobody_orphaned_unnoticed(world: World) -> None:
    policies(world)
    today = timezone.localdate()
    old = person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    assert due_of(world, old, today).worker == world.users["staff"]  # the grid's worker
    actions.set_care(
        actor=world.users["leader"], resident=old, level="intensive", worker=world.users["leader"]
    )
    assert due_of(world, old, today).worker == world.users["leader"]
    actions.set_care(actor=world.users["leader"], resident=old, level="intensive")
    staff_role = RoleAssignment.objects.get(user=world.users["staff"], community=world.community)
    revoke_role(actor=world.users["admin"], assignment=staff_role)
    assert due_of(world, old, today).worker is None
    (row,) = [c for c in coverage(world.community, today) if c.grid == "第一网格"]
    assert row.unassigned >= 1
    actions.reassign(
        actor=world.users["leader"],
        community=world.community,
        residents=[old],
        worker=world.users["leader"],
    )
    assert due_of(world, old, today).worker == world.users["leader"]


def test_visits_refuse_bad_input_and_keep_health_encrypted(world: World) -> None:
    old = person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    today = timezone.localdate()
    with pytest.raises(DomainError) as future:
        visit(world, old, today + dt.timedelta(days=1))
    assert future.value.code == "future"
    with pytest.raises(DomainError) as nobody:
        visit(world, old, today, visitors=(world.users["liaison"],))
    assert nobody.value.code == "visitors_invalid"
    with pytest.raises(AccessDenied):
        actions.record_visit(
            actor=world.users["outsider"],
            resident=old,
            data=actions.VisitInput(
                visited_on=today, place="home", visitors=(world.users["outsider"],)
            ),
            idempotency_key="x",
        )
    done = visit(world, old, today, health="心衰住院，需低盐饮食", needs="医药费负担重")
    with connection.cursor() as cursor:
        cursor.execute("SELECT health FROM care_visit WHERE id = %s", [done.pk])
        stored = cursor.fetchone()[0]
    assert "心衰" not in stored
    assert actions.reveal_health(actor=world.users["staff"], visit=done) == "心衰住院，需低盐饮食"
    assert AuditEvent.objects.filter(code="care.health_revealed").count() == 1
    appeal = actions.raise_need(
        actor=world.users["staff"],
        visit=done,
        category=categories()["environment"],
        text="申请医疗救助",
    )
    assert (appeal.channel, appeal.resident) == ("visit", old)
    done.refresh_from_db()
    assert done.appeal == appeal
    with pytest.raises(DomainError):
        actions.raise_need(
            actor=world.users["staff"], visit=done, category=categories()["environment"], text="x"
        )


def test_relief_campaigns_reconcile(world: World) -> None:
    leader, staff = world.users["leader"], world.users["staff"]
    a = person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    b = person(world, "低保户乙", dt.date(1960, 5, 1), ["dibao"], 2)
    with pytest.raises(DomainError):
        actions.create_relief(
            actor=leader,
            community=world.community,
            title="春节慰问",
            budget=Decimal("1000"),
            per_person_limit=Decimal("300"),
            standard_amount=Decimal("500"),
        )
    campaign = actions.create_relief(
        actor=leader,
        community=world.community,
        title="2027年春节慰问",
        budget=Decimal("700"),
        per_person_limit=Decimal("400"),
        standard_amount=Decimal("300"),
        standard_item="米面油",
    )
    campaign = actions.open_relief(actor=leader, campaign=campaign)
    recipients = {r.resident_id: r for r in campaign.recipients.all()}
    assert set(recipients) == {a.pk, b.pk}
    with pytest.raises(DomainError) as duplicate:
        actions.add_recipient(actor=leader, campaign=campaign, resident=a)
    assert duplicate.value.code == "duplicate_recipient"
    with pytest.raises(DomainError) as over_limit:
        actions.give_relief(actor=staff, recipient=recipients[a.pk], amount=Decimal("450"))
    assert over_limit.value.code == "over_limit"
    actions.give_relief(actor=staff, recipient=recipients[a.pk], amount=Decimal("400"))
    with pytest.raises(DomainError) as twice:
        actions.give_relief(actor=staff, recipient=recipients[a.pk])
    assert twice.value.code == "already_received"
    with pytest.raises(DomainError) as over_budget:
        actions.give_relief(actor=staff, recipient=recipients[b.pk], amount=Decimal("350"))
    assert over_budget.value.code == "over_budget"
    actions.give_relief(actor=staff, recipient=recipients[b.pk])  # the standard 300
    totals = ledger(campaign)
    assert (totals.given, totals.left, totals.received, totals.planned) == (
        Decimal("700.00"),
        Decimal("0.00"),
        2,
        2,
    )
    assert totals.given + totals.left == totals.budget
    actions.close_relief(actor=leader, campaign=campaign)
    c = actions.create_relief(
        actor=leader,
        community=world.community,
        title="中秋慰问",
        budget=Decimal("100"),
        per_person_limit=Decimal("100"),
        standard_amount=Decimal("100"),
    )
    with pytest.raises(DomainError) as too_many:
        actions.open_relief(actor=leader, campaign=c)
    assert too_many.value.code == "over_budget"


def test_the_tick_reminds_each_worker_once_a_day(world: World) -> None:
    policies(world)
    person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    later = timezone.now() + dt.timedelta(days=1)
    assert run_ticks(now=later)["care_reminded"] == 1
    assert run_ticks(now=later)["care_reminded"] == 0
    assert Notification.objects.filter(user=world.users["staff"], code="care.overdue").count() == 1


def test_a_need_opens_a_temporary_relief_application(world: World) -> None:
    old = person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    done = visit(world, old, timezone.localdate(), needs="医药费负担重")
    with pytest.raises(DomainError) as unsigned:
        actions.open_relief_application(
            actor=world.users["staff"], visit=done, pledge_signed=False, consent_to_checks=True
        )
    assert unsigned.value.code == "pledge_missing"
    application = actions.open_relief_application(
        actor=world.users["staff"], visit=done, pledge_signed=True, consent_to_checks=True
    )
    assert application.programme.kind == "temporary"
    assert application.applicant == old
    assert application.reason == "医药费负担重"
    done.refresh_from_db()
    assert done.application == application
