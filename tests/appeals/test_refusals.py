"""Every refusal of the actions that create something (an appeal, an extension, a merge, a
note), with its exact code, and nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from linli.appeals import actions
from linli.appeals.models import Appeal, AppealEvent, Category, DailyRates, Extension
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Notification, Organisation
from tests.appeals.helpers import appeal
from tests.world import World


def written() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Appeal, AppealEvent, AuditEvent, Notification, Extension, DailyRates)
    )


def staff_entry(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "actor": world.users["staff"],
        "channel": "phone",
        "place": "小区东门",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        (lambda w: {"text": "   "}, "text_missing"),
        (lambda w: {"text": "字" * 4001}, "text_long"),
        (lambda w: {"channel": "carrier pigeon"}, "channel_unknown"),
        (lambda w: {"urgency": "whenever"}, "urgency_unknown"),
        (lambda w: {"building": "99", "entrance": "9", "room": "999"}, "location_unknown"),
        (lambda w: staff_entry(w, place=" "), "location_missing"),
        (lambda w: staff_entry(w, contact_phone="12345"), "phone_invalid"),
        (
            lambda w: {"actor": AnonymousUser(), "channel": "anonymous", "place": "东门"},
            "contact_missing",
        ),
        (lambda w: {"category": Category.objects.create(name="停用", active=False)},
            "category_unknown"),
        (lambda w: {"category": Category.objects.create(name="别人的", community=w.other)},
            "category_unknown"),
    ],
)  # fmt: skip
def test_a_refused_submission_writes_nothing(
    world: World, overrides: Callable[[World], dict[str, Any]], code: str
) -> None:
    extra = overrides(world)
    before = written()
    with pytest.raises(DomainError) as raised:
        appeal(world, **extra)
    assert raised.value.code == code
    assert written() == before


@pytest.mark.parametrize(
    "overrides",
    [
        # Online only for residents of the community; office channels only for its workers.
        lambda w: {"actor": w.users["staff"]},
        lambda w: {"actor": w.users["outsider"], "channel": "phone", "place": "东门"},
        lambda w: {"actor": w.users["supervisor"], "channel": "hotline", "place": "东门"},
        lambda w: {"actor": w.users["resident"], "channel": "visit", "place": "东门"},
    ],
)
def test_a_submission_by_the_wrong_person_is_refused_and_writes_nothing(
    world: World, overrides: Callable[[World], dict[str, Any]]
) -> None:
    extra = overrides(world)
    before = written()
    with pytest.raises(AccessDenied) as raised:
        appeal(world, **extra)
    assert raised.value.code == "access_denied"
    assert written() == before


def test_a_work_order_received_twice_is_refused(world: World) -> None:
    appeal(world, **staff_entry(world, channel="hotline", external_number="P1"))
    before = written()
    with pytest.raises(DomainError) as raised:
        appeal(world, **staff_entry(world, channel="hotline", external_number="P1"))
    assert raised.value.code == "external_duplicate"
    assert written() == before


def _accepted(world: World) -> Appeal:
    return actions.accept_appeal(actor=world.users["staff"], appeal=appeal(world))


@pytest.mark.parametrize(
    ("step", "code"),
    [
        (lambda w, a: actions.request_extension(
            actor=w.users["staff"], appeal=a, days=0, reason="等待"), "days_invalid"),
        (lambda w, a: actions.request_extension(
            actor=w.users["staff"], appeal=a, days=31, reason="等待"), "days_invalid"),
        (lambda w, a: actions.request_extension(
            actor=w.users["staff"], appeal=a, days=3, reason=" "), "reason_missing"),
        (lambda w, a: actions.add_note(actor=w.users["staff"], appeal=a, text=" "),
            "text_missing"),
        (lambda w, a: actions.add_information(actor=w.users["resident"], appeal=a, text=" "),
            "text_missing"),
        (lambda w, a: actions.dispute_dispatch(actor=w.users["staff"], appeal=a, reason=""),
            "reason_missing"),
        (lambda w, a: actions.mark_invalid(actor=w.users["leader"], appeal=a, reason=""),
            "reason_missing"),
        (lambda w, a: actions.resolve_appeal(actor=w.users["staff"], appeal=a, note=" "),
            "note_missing"),
        (lambda w, a: actions.report_back(actor=w.users["staff"], appeal=a, note="x"),
            "transition_refused"),
        (lambda w, a: actions.give_verdict(actor=w.users["resident"], appeal=a, verdict="meh"),
            "verdict_unknown"),
        (lambda w, a: actions.supervise_appeal(
            actor=w.users["leader"], appeal=a, note="x",
            deadline=timezone.localdate() - dt.timedelta(days=1)), "deadline_past"),
        (lambda w, a: actions.merge_appeal(actor=w.users["staff"], duplicate=a, into=a),
            "merge_invalid"),
        (lambda w, a: actions.refer_appeal(
            actor=w.users["staff"], appeal=a,
            organisation=Organisation.objects.create(kind="power", name="供电公司")),
            "organisation_elsewhere"),
    ],
)  # fmt: skip
def test_a_refused_step_writes_nothing(
    world: World, step: Callable[[World, Appeal], Any], code: str
) -> None:
    a = _accepted(world)
    before = written()
    with pytest.raises(DomainError) as raised:
        step(world, a)
    assert raised.value.code == code
    assert written() == before
    assert Appeal.objects.get(pk=a.pk).status == "accepted"


def test_a_second_pending_extension_and_a_merge_into_a_closed_appeal_are_refused(
    world: World,
) -> None:
    staff = world.users["staff"]
    a = _accepted(world)
    actions.request_extension(actor=staff, appeal=a, days=2, reason="等待")
    closed = actions.mark_invalid(actor=world.users["leader"], appeal=appeal(world), reason="广告")
    before = written()
    with pytest.raises(DomainError) as pending:
        actions.request_extension(actor=staff, appeal=a, days=3, reason="再等")
    with pytest.raises(DomainError) as merged:
        actions.merge_appeal(actor=staff, duplicate=a, into=closed)
    assert (pending.value.code, merged.value.code) == ("extension_pending", "merge_target_closed")
    assert written() == before


@pytest.mark.parametrize(
    ("role", "step"),
    [
        ("resident", lambda u, a: actions.request_extension(
            actor=u, appeal=a, days=2, reason="等待")),
        ("supervisor", lambda u, a: actions.add_note(actor=u, appeal=a, text="备注")),
        ("staff", lambda u, a: actions.mark_invalid(actor=u, appeal=a, reason="广告")),
        ("staff", lambda u, a: actions.supervise_appeal(
            actor=u, appeal=a, note="x", deadline=timezone.localdate())),
        ("liaison", lambda u, a: actions.answer_referral(actor=u, appeal=a, note="好了")),
        ("outsider", lambda u, a: actions.merge_appeal(actor=u, duplicate=a, into=a)),
    ],
)  # fmt: skip
def test_a_step_by_the_wrong_person_is_refused_and_writes_nothing(
    world: World, role: str, step: Callable[[Any, Appeal], Any]
) -> None:
    a = _accepted(world)
    before = written()
    with pytest.raises(AccessDenied) as raised:
        step(world.users[role], a)
    assert raised.value.code == "access_denied"
    assert written() == before
