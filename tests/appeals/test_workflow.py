"""Every appeal transition, allowed and refused, with its timeline, audit and notifications."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linli.appeals import actions
from linli.appeals.actions import submission
from linli.appeals.models import Appeal, AppealEvent, Category, Status
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Notification, Organisation
from tests.appeals.helpers import appeal, categories
from tests.world import World

SH = ZoneInfo("Asia/Shanghai")


def water(world: World) -> Organisation:
    return Organisation.objects.get(name="自来水公司")


def test_a_resident_submits_from_home(world: World) -> None:
    a = appeal(world)
    assert a.status == Status.RECEIVED
    assert a.submitter == world.users["resident"]
    assert a.resident == world.residents["zhang"]
    assert a.location == "3-2-501"
    assert a.urgency == "ordinary"
    assert a.contact_due_at < a.feedback_due_at
    assert [e.code for e in a.events.all()] == ["submitted"]
    assert AuditEvent.objects.filter(code="appeals.submitted", target_id=str(a.pk)).exists()
    assert Notification.objects.filter(code="appeals.new", user=world.users["staff"]).exists()


def test_the_same_key_is_one_appeal(world: World) -> None:
    first = appeal(world, idempotency_key="same")
    second = appeal(world, idempotency_key="same")
    assert first.pk == second.pk
    assert Appeal.objects.count() == 1


def test_a_number_drawn_twice_is_drawn_again(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    draws = iter(["aaaaaa", "aaaaaa", "bbbbbb"])
    monkeypatch.setattr(submission.uuid, "uuid4", lambda: uuid.UUID(next(draws).ljust(32, "0")))
    first = appeal(world)
    second = appeal(world)  # draws AAAAAA again, then BBBBBB
    assert first.number.endswith("-AAAAAA")
    assert second.number.endswith("-BBBBBB")
    assert Appeal.objects.count() == 2
    assert AuditEvent.objects.filter(code="appeals.submitted").count() == 2


def test_a_number_drawn_twice_inside_another_action_is_drawn_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Submitted from inside a caller's transaction (a meeting's opinion, a care visit), the
    clash costs a savepoint, not the caller's whole transaction."""
    draws = iter(["cccccc", "cccccc", "dddddd"])
    monkeypatch.setattr(submission.uuid, "uuid4", lambda: uuid.UUID(next(draws).ljust(32, "0")))
    appeal(world)
    with transaction.atomic():
        second = appeal(world)
        assert Appeal.objects.count() == 2  # the caller's transaction is still usable
    assert second.number.endswith("-DDDDDD")


def test_another_constraint_is_not_taken_for_a_number_drawn_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:

    def broken(**_kwargs: object) -> None:
        raise IntegrityError("some other constraint")

    monkeypatch.setattr(submission, "notify_role", broken)
    with pytest.raises(IntegrityError):
        appeal(world)
    assert not Appeal.objects.exists()


def test_a_key_used_in_another_community_is_refused_not_returned(world: World) -> None:
    appeal(world, idempotency_key="shared")

    other_category = Category.objects.create(name="其他")
    with pytest.raises(DomainError) as reused:
        actions.submit_appeal(
            actor=world.users["admin"],
            community=world.other,
            channel="visit",
            category=other_category,
            text="路灯坏了",
            place="小区门口",
            idempotency_key="shared",
        )
    assert reused.value.code == "key_reused"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"text": "   "}, "text_missing"),
        ({"text": "字" * 4001}, "text_long"),
        ({"building": "99", "entrance": "9", "room": "999"}, "location_unknown"),
        ({"channel": "carrier pigeon"}, "channel_unknown"),
        ({"urgency": "whenever"}, "urgency_unknown"),
    ],
)
def test_bad_input_writes_nothing(world: World, overrides: dict[str, object], code: str) -> None:
    with pytest.raises(DomainError) as raised:
        appeal(world, **overrides)
    assert raised.value.code == code
    assert Appeal.objects.count() == 0
    assert not AuditEvent.objects.filter(code__startswith="appeals.").exists()


def test_a_category_of_another_community_does_not_exist_here(world: World) -> None:
    theirs = Category.objects.create(name="别人的", community=world.other)
    with pytest.raises(DomainError) as raised:
        appeal(world, category=theirs)
    assert raised.value.code == "category_unknown"


def test_anonymous_appeals_need_a_contact(world: World) -> None:
    with pytest.raises(DomainError) as raised:
        appeal(world, actor=AnonymousUser(), channel="anonymous", place="小区东门")
    assert raised.value.code == "contact_missing"
    a = appeal(
        world,
        actor=AnonymousUser(),
        channel="anonymous",
        place="小区东门",
        contact_name="王女士",
        contact_phone="13900001111",
    )
    assert (a.submitter, a.contact_phone) == (None, "13900001111")


def test_staff_enter_an_appeal_for_a_resident_met_in_person(world: World) -> None:
    a = appeal(
        world,
        actor=world.users["staff"],
        channel="in_person",
        resident=world.residents["wang"],
        building="5",
        entrance="1",
        room="101",
    )
    assert (a.entered_by, a.resident, a.submitter) == (
        world.users["staff"],
        world.residents["wang"],
        None,
    )
    with pytest.raises(AccessDenied):
        appeal(world, actor=world.users["resident"], channel="in_person", place="x")


def test_the_whole_way_with_a_referral_a_reopening_and_a_verdict(world: World) -> None:
    staff, leader, liaison = (world.users[r] for r in ("staff", "leader", "liaison"))
    resident = world.users["resident"]
    a = appeal(world, category=categories()["water"], text="家里没水了")
    assert a.urgency == "utility"
    a = actions.accept_appeal(actor=staff, appeal=a)
    assert (a.status, a.handler) == (Status.ACCEPTED, staff)
    a = actions.refer_appeal(actor=staff, appeal=a, organisation=water(world))
    assert a.status == Status.REFERRED
    assert Notification.objects.filter(code="appeals.referred", user=liaison).exists()
    with pytest.raises(AccessDenied):
        actions.answer_referral(actor=staff, appeal=a, note="修好了")
    a = actions.answer_referral(actor=liaison, appeal=a, note="管道已抢修，下午恢复供水。")
    assert (a.status, a.outcome) == (Status.SOLVED, "organisation")
    a = actions.report_back(actor=staff, appeal=a, note="自来水公司已修复。")
    assert a.status == Status.REPORTED
    assert Notification.objects.filter(code="appeals.reported_back", user=resident).exists()
    a = actions.give_verdict(actor=resident, appeal=a, verdict="dissatisfied", comment="水压还是小")
    assert (a.status, a.reopen_count, a.escalated) == (Status.IN_PROGRESS, 1, True)
    assert Notification.objects.filter(code="appeals.reopened", user=leader).exists()
    assert a.handler == staff  # the first receiver stays responsible
    a = actions.resolve_appeal(actor=staff, appeal=a, note="更换了减压阀。")
    a = actions.report_back(actor=staff, appeal=a, note="已更换减压阀，水压正常。")
    a = actions.give_verdict(actor=resident, appeal=a, verdict="satisfied")
    assert (a.status, a.verdict) == (Status.CLOSED, "satisfied")
    assert a.closed_at is not None
    codes = list(a.events.values_list("code", flat=True))
    assert codes == [
        "submitted",
        "accepted",
        "referred",
        "organisation_answered",
        "reported_back",
        "verdict",
        "reopened",
        "resolved",
        "reported_back",
        "verdict",
        "closed",
    ]


def test_refused_transitions_change_nothing(world: World) -> None:
    staff = world.users["staff"]
    a = appeal(world)
    for step in (
        lambda: actions.report_back(actor=staff, appeal=a, note="x"),
        lambda: actions.start_work(actor=staff, appeal=a),
        lambda: actions.give_verdict(actor=world.users["resident"], appeal=a, verdict="satisfied"),
    ):
        with pytest.raises(DomainError) as raised:
            step()
        assert raised.value.code == "transition_refused"
    a.refresh_from_db()
    assert a.status == Status.RECEIVED
    assert a.events.count() == 1


def test_only_the_resident_gives_the_verdict(world: World) -> None:
    staff = world.users["staff"]
    a = appeal(world)
    for step in (actions.accept_appeal, actions.start_work):
        a = step(actor=staff, appeal=a)
    a = actions.resolve_appeal(actor=staff, appeal=a, note="已清理。")
    a = actions.report_back(actor=staff, appeal=a, note="已清理。")
    for role in ("staff", "leader", "outsider"):
        with pytest.raises(AccessDenied):
            actions.give_verdict(actor=world.users[role], appeal=a, verdict="satisfied")
    a.refresh_from_db()
    assert a.status == Status.REPORTED


def test_acting_on_another_communitys_appeal_is_refused(world: World) -> None:
    a = appeal(world)
    with pytest.raises(AccessDenied):
        actions.accept_appeal(actor=world.users["outsider"], appeal=a)
    a.refresh_from_db()
    assert a.status == Status.RECEIVED


def test_matters_outside_the_duties_must_be_referred(world: World) -> None:
    staff = world.users["staff"]
    a = actions.accept_appeal(actor=staff, appeal=appeal(world, category=categories()["outside"]))
    with pytest.raises(DomainError) as raised:
        actions.resolve_appeal(actor=staff, appeal=a, note="已处理")
    assert raised.value.code == "outside_duties"
    assert (
        actions.refer_appeal(actor=staff, appeal=a, organisation=water(world)).status == "referred"
    )


def test_a_disputed_dispatch_goes_back_and_reaches_the_leaders(world: World) -> None:
    a = actions.accept_appeal(actor=world.users["staff"], appeal=appeal(world))
    a = actions.dispute_dispatch(actor=world.users["staff"], appeal=a, reason="不属于本网格")
    assert (a.status, a.handler, a.escalated) == (Status.RECEIVED, None, True)
    assert Notification.objects.filter(code="appeals.disputed", user=world.users["leader"]).exists()


def test_deferred_cannot_and_invalid(world: World) -> None:
    staff, leader = world.users["staff"], world.users["leader"]
    a = actions.accept_appeal(actor=staff, appeal=appeal(world))
    a = actions.defer_appeal(actor=staff, appeal=a, note="需要业主大会表决")
    assert a.status == Status.DEFERRED
    a = actions.cannot_resolve(actor=staff, appeal=a, reason="涉及房屋产权，不属社区职责")
    assert (a.status, a.outcome) == (Status.SOLVED, "cannot")
    b = appeal(world)
    with pytest.raises(AccessDenied):
        actions.mark_invalid(actor=staff, appeal=b, reason="广告")
    b = actions.mark_invalid(actor=leader, appeal=b, reason="广告")
    assert b.status == Status.INVALID


def test_extension_and_supervision_move_the_deadline(world: World) -> None:
    staff, leader = world.users["staff"], world.users["leader"]
    a = actions.accept_appeal(actor=staff, appeal=appeal(world))
    before = a.feedback_due_at
    extension = actions.request_extension(actor=staff, appeal=a, days=3, reason="等待物业回复")
    with pytest.raises(DomainError):
        actions.request_extension(actor=staff, appeal=a, days=3, reason="again")
    with pytest.raises(AccessDenied):
        actions.decide_extension(actor=staff, extension=extension, approve=True)
    actions.decide_extension(actor=leader, extension=extension, approve=True)
    a.refresh_from_db()
    assert a.feedback_due_at > before
    new_date = timezone.localdate() + dt.timedelta(days=2)
    a = actions.supervise_appeal(actor=leader, appeal=a, note="请尽快办结", deadline=new_date)
    assert a.supervised
    assert a.feedback_due_at.astimezone(SH).date() == new_date


def test_internal_notes_stay_internal(world: World) -> None:
    a = actions.accept_appeal(actor=world.users["staff"], appeal=appeal(world))
    actions.add_note(actor=world.users["staff"], appeal=a, text="此户常有类似投诉")
    actions.add_information(actor=world.users["resident"], appeal=a, text="照片已拍")
    public = [e.code for e in AppealEvent.objects.filter(appeal=a, internal=False)]
    assert "note" not in public
    assert "information_added" in public
    with pytest.raises(AccessDenied):
        actions.add_information(actor=world.users["staff"], appeal=a, text="x")


def test_the_to_do_page_runs_a_fixed_number_of_queries(world: World, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["staff"])
    url = reverse("appeals:todo", args=["xfl"])
    appeal(world)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        appeal(
            world,
            actor=world.users["staff"],
            channel="phone",
            resident=world.residents["wang"],
            building="5",
            entrance="1",
            room="101",
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("XFL-") == 6
    assert "5-1-101" in page
    assert len(many) == len(few)
