"""Care hands a visit's need to appeals and to welfare inside its own transaction: a failure
after the hand-off leaves neither the care record nor the appeal or application."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.appeals.models import Appeal
from linli.care import actions
from linli.care.models import Visit
from linli.core import audit
from linli.core.errors import DomainError
from linli.core.models import AuditEvent
from linli.welfare.models import Application
from tests.appeals.helpers import categories
from tests.care.test_care import person, visit
from tests.world import World


class CareAuditDown(Exception):
    """The care audit line failing after the other app has done its part."""


@pytest.fixture
def care_audit_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    real = audit.record

    def record(**kwargs: Any) -> Any:
        if kwargs.get("code") in {"care.need_raised", "care.application_opened"}:
            raise CareAuditDown
        return real(**kwargs)

    monkeypatch.setattr(audit, "record", record)


def _visited(world: World) -> Visit:
    old = person(world, "独居老人甲", dt.date(1940, 5, 1), ["living_alone"], 1)
    return visit(world, old, timezone.localdate(), needs="医药费负担重", health="血压高")


def test_a_failure_after_the_appeal_leaves_no_appeal_and_no_link(
    world: World, care_audit_fails: None
) -> None:
    done = _visited(world)
    appeals_before = Appeal.objects.count()
    with pytest.raises(CareAuditDown):
        actions.raise_need(
            actor=world.users["staff"],
            visit=done,
            category=categories()["environment"],
            text="申请医疗救助",
        )
    done.refresh_from_db()
    assert done.appeal_id is None
    assert Appeal.objects.count() == appeals_before
    assert not Appeal.objects.filter(idempotency_key=f"care-visit-{done.pk}").exists()
    assert not AuditEvent.objects.filter(
        code__in=["care.need_raised", "appeals.submitted"]
    ).exists()


def test_a_failure_after_the_application_leaves_no_application_and_no_link(
    world: World, care_audit_fails: None
) -> None:
    done = _visited(world)
    with pytest.raises(CareAuditDown):
        actions.open_relief_application(
            actor=world.users["staff"], visit=done, pledge_signed=True, consent_to_checks=True
        )
    done.refresh_from_db()
    assert done.application_id is None
    assert not Application.objects.exists()
    assert not AuditEvent.objects.filter(code="care.application_opened").exists()


def test_a_need_raised_twice_is_refused_and_makes_one_appeal(world: World) -> None:
    done = _visited(world)
    first = actions.raise_need(
        actor=world.users["staff"], visit=done, category=categories()["environment"], text="一"
    )
    with pytest.raises(DomainError) as twice:
        actions.raise_need(
            actor=world.users["staff"], visit=done, category=categories()["environment"], text="二"
        )
    assert twice.value.code == "need_raised"
    assert list(Appeal.objects.filter(channel="visit").values_list("pk", flat=True)) == [first.pk]


def test_an_application_opened_twice_is_refused_and_makes_one(world: World) -> None:
    done = _visited(world)
    actions.open_relief_application(
        actor=world.users["staff"], visit=done, pledge_signed=True, consent_to_checks=True
    )
    with pytest.raises(DomainError) as twice:
        actions.open_relief_application(
            actor=world.users["staff"], visit=done, pledge_signed=True, consent_to_checks=True
        )
    assert twice.value.code == "application_opened"
    assert Application.objects.count() == 1


def test_only_workers_see_what_may_follow_a_visit(client: Client, world: World) -> None:
    done = _visited(world)
    page = reverse("care:resident", args=["xfl", done.resident_id])
    follow_ups = [
        reverse(name, args=["xfl", done.pk])
        for name in ("care:need", "care:relief_application", "care:health")
    ]
    client.force_login(world.users["staff"])
    staff_page = client.get(page).content.decode()
    assert [url in staff_page for url in follow_ups] == [True, True, True]
    client.force_login(world.users["supervisor"])
    supervisor_page = client.get(page).content.decode()
    assert [url in supervisor_page for url in follow_ups] == [False, False, False]
    actions.raise_need(
        actor=world.users["staff"], visit=done, category=categories()["environment"], text="一"
    )
    client.force_login(world.users["staff"])
    assert follow_ups[0] not in client.get(page).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("step", ["raise_need", "open_relief_application"])
def test_simultaneous_clicks_hand_off_once(world: World, step: str) -> None:
    """Two workers (or two clicks) at once: the visit's row is locked whatever it holds, so the
    second waits and is refused; one appeal or application, one audit line, no error."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database locks whole tables: run on PostgreSQL")
    done = _visited(world)
    barrier = threading.Barrier(4)
    results: list[str] = []

    def click() -> None:
        try:
            barrier.wait()
            if step == "raise_need":
                actions.raise_need(
                    actor=world.users["staff"],
                    visit=Visit.objects.get(pk=done.pk),
                    category=categories()["environment"],
                    text="申请医疗救助",
                )
            else:
                actions.open_relief_application(
                    actor=world.users["staff"],
                    visit=Visit.objects.get(pk=done.pk),
                    pledge_signed=True,
                    consent_to_checks=True,
                )
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert set(results) - {"ok"} <= {"need_raised", "application_opened"}, results
    code = "care.need_raised" if step == "raise_need" else "care.application_opened"
    assert AuditEvent.objects.filter(code=code).count() == 1
