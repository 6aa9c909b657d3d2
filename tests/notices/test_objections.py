"""Objections: during the period only, routed to the owner, answered, never shown publicly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Notification
from linli.notices.actions import answer_objection, file_objection, publish_notice
from linli.notices.models import (
    Audience,
    Notice,
    NoticeKind,
    Objection,
    ObjectionStatus,
    open_objections_for,
)
from linli.people.models import Resident
from tests.notices.test_publish import welfare
from tests.world import World


def test_a_resident_objects_and_the_owner_answers(world: World) -> None:
    notice = welfare(world, source=world.residents["wang"])
    objection = file_objection(
        actor=world.users["resident"],
        notice=notice,
        reason="张三家有两套住房，不符合条件。",
        idempotency_key="o1",
    )
    assert objection.objector == world.users["resident"]
    assert list(open_objections_for(world.residents["wang"])) == [objection]
    told = Notification.objects.filter(code="notices.objection_filed")
    assert {n.user for n in told} == {world.users["welfare_reviewer"], world.users["leader"]}
    answered = answer_objection(
        actor=world.users["welfare_reviewer"],
        objection=objection,
        answer="已入户复核，情况属实，取消拟保。",
    )
    assert answered.status == ObjectionStatus.ANSWERED
    assert not open_objections_for(world.residents["wang"]).exists()
    reply = Notification.objects.get(code="notices.objection_answered")
    assert reply.user == world.users["resident"]
    assert objection.receipt in reply.url


def test_an_anonymous_objection_needs_a_contact(world: World) -> None:
    notice = welfare(world)
    with pytest.raises(DomainError) as raised:
        file_objection(
            actor=AnonymousUser(),
            notice=notice,
            reason="情况不属实，请核查。",
            idempotency_key="a1",
        )
    assert raised.value.code == "contact_missing"
    with pytest.raises(DomainError) as raised:
        file_objection(
            actor=AnonymousUser(),
            notice=notice,
            reason="情况不属实，请核查。",
            contact_name="王先生",
            contact_phone="123",
            idempotency_key="a2",
        )
    assert raised.value.code == "phone_invalid"
    objection = file_objection(
        actor=AnonymousUser(),
        notice=notice,
        reason="情况不属实，请核查。",
        contact_name="王先生",
        contact_phone="13900001234",
        idempotency_key="a3",
    )
    assert (objection.objector, objection.contact_phone) == (None, "13900001234")
    assert Objection.objects.count() == 1


def test_no_objection_after_the_period(world: World) -> None:
    notice = welfare(world)
    Notice.objects.filter(pk=notice.pk).update(
        period_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    notice.refresh_from_db()
    with pytest.raises(DomainError) as raised:
        file_objection(
            actor=world.users["resident"],
            notice=notice,
            reason="来晚了的异议内容",
            idempotency_key="late",
        )
    assert raised.value.code == "period_over"
    assert "结束" in raised.value.message
    assert Objection.objects.count() == 0


def test_no_objection_without_a_period(world: World) -> None:
    notice = publish_notice(
        actor=world.users["staff"],
        community=world.community,
        kind=NoticeKind.ANNOUNCEMENT,
        title="通知",
        body="内容",
    )
    with pytest.raises(DomainError) as raised:
        file_objection(
            actor=world.users["resident"],
            notice=notice,
            reason="我有意见要提",
            idempotency_key="np",
        )
    assert raised.value.code == "no_period"


def test_residents_only_notices_take_objections_from_residents_only(world: World) -> None:
    notice = welfare(world, audience=Audience.RESIDENTS)
    with pytest.raises(AccessDenied):
        file_objection(
            actor=AnonymousUser(),
            notice=notice,
            reason="外人的异议内容",
            contact_name="路人",
            contact_phone="13900001234",
            idempotency_key="r1",
        )


def test_the_same_submission_twice_is_one_objection(world: World) -> None:
    notice = welfare(world)
    first = file_objection(
        actor=world.users["resident"], notice=notice, reason="重复提交的异议", idempotency_key="dup"
    )
    second = file_objection(
        actor=world.users["resident"], notice=notice, reason="重复提交的异议", idempotency_key="dup"
    )
    assert first.pk == second.pk
    assert Objection.objects.count() == 1


def test_only_the_owner_or_a_leader_answers(world: World) -> None:
    notice = welfare(world)
    objection = file_objection(
        actor=world.users["resident"],
        notice=notice,
        reason="请再核实收入情况。",
        idempotency_key="x",
    )
    for role in ("staff", "resident", "supervisor", "outsider"):
        with pytest.raises(AccessDenied):
            answer_objection(actor=world.users[role], objection=objection, answer="答复")
    answer_objection(actor=world.users["leader"], objection=objection, answer="已核实。")
    with pytest.raises(DomainError) as raised:
        answer_objection(actor=world.users["welfare_reviewer"], objection=objection, answer="再答")
    assert raised.value.code == "answered"


def test_the_contact_phone_is_encrypted(world: World) -> None:
    notice = welfare(world)
    objection = file_objection(
        actor=AnonymousUser(),
        notice=notice,
        reason="情况不属实，请核查。",
        contact_name="王先生",
        contact_phone="13900001234",
        idempotency_key="enc",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM notices_objection WHERE id = %s", [objection.pk])
        assert "13900001234" not in cursor.fetchone()[0]
    assert Resident.objects.exists()


def anonymous(notice: object, phone: str, key: str) -> Objection:
    return file_objection(
        actor=AnonymousUser(),
        notice=notice,  # type: ignore[arg-type]
        reason="情况不属实，请核查。",
        contact_name="王先生",
        contact_phone=phone,
        idempotency_key=key,
    )


def test_objections_without_an_account_cannot_flood_a_notice(
    world: World, settings: object
) -> None:
    notice = welfare(world)
    for n in range(3):
        anonymous(notice, "13900001234", f"f{n}")
    with pytest.raises(DomainError) as same_phone:
        anonymous(notice, "139 0000 1234", "f3")  # the same number, written otherwise
    assert same_phone.value.code == "objection_limit"
    anonymous(notice, "13900005678", "f4")  # another person is heard
    stored = Objection.objects.values_list("contact_hash", flat=True)
    assert all(len(h) == 64 and "1390000" not in h for h in stored)  # a hash, not the number

    settings.ANONYMOUS_OBJECTIONS_PER_HOUR = 4  # four arrived this hour  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as busy:
        anonymous(notice, "13900009999", "f5")
    assert busy.value.code == "objections_busy"
    # A resident signed in is not held back by strangers' objections.
    file_objection(
        actor=world.users["resident"],
        notice=notice,
        reason="我认为这一户情况属实。",
        idempotency_key="f6",
    )
    assert Objection.objects.count() == 5
