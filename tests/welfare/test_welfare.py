"""Welfare review: the benefit on hand-computed cases, every step in order with its deadline,
separation of duties, and related staff excluded from every step."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from linli.notices.actions import file_objection
from linli.notices.models import Notice, open_objections_for
from linli.people.models import Resident
from linli.welfare import actions
from linli.welfare.benefits import calculate
from linli.welfare.exclusion import visible_applications
from linli.welfare.models import Application, Benefit, Programme
from tests.world import World, make_user

SH = ZoneInfo("Asia/Shanghai")


def test_the_benefit_on_hand_computed_cases() -> None:
    calc = calculate(Decimal("1000"), [Decimal("600"), Decimal("200"), Decimal("0")])
    assert calc.per_capita == Decimal("266.67")  # 800 / 3
    assert calc.amount == Decimal("2199.99")  # (1000 - 266.67) x 3
    assert not calc.edge
    assert "2199.99" in calc.working
    assert calculate(Decimal("1000"), [Decimal("1200")]).edge  # 1000 <= 1200 < 1500
    assert calculate(Decimal("1000"), [Decimal("1200")]).amount == 0
    assert not calculate(Decimal("1000"), [Decimal("1500")]).edge
    with pytest.raises(DomainError):
        calculate(Decimal("1000"), [])


def dibao() -> Programme:
    return Programme.objects.get(kind="dibao")


def apply(
    world: World, resident: Resident | None = None, key: str = "a1", **extra: Any
) -> Application:
    person = resident or world.residents["zhang"]
    members = [
        actions.MemberInput(r, wages=Decimal("300"))
        for r in Resident.objects.filter(household=person.household)
    ]
    fields: dict[str, Any] = {
        "programme": dibao(),
        "household": person.household,
        "applicant": person,
        "members": tuple(members),
        "reason": "因病致贫",
        "pledge_signed": True,
        "consent_to_checks": True,
        "provided": ("户口簿", "身份证"),
    }
    fields.update(extra)
    return actions.submit_application(
        actor=world.users["staff"],
        community=world.community,
        data=actions.ApplicationInput(**fields),
        idempotency_key=key,
    )


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def freeze(when: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: when)

    return freeze


def people(world: World) -> dict[str, Any]:
    decider = make_user("decider")
    grant_role(actor=SYSTEM, user=decider, role="welfare_reviewer", community=world.community)
    return {
        "investigators": [world.users["staff"], world.users["leader"]],
        "reviewer": world.users["welfare_reviewer"],
        "decider": decider,
    }


def test_every_step_in_order(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    who = people(world)
    reviewer, decider = who["reviewer"], who["decider"]
    frozen(dt.datetime(2026, 9, 30, 17, 0, tzinfo=SH))
    application = apply(world)
    # Everything missing is listed at once.
    missing = actions.check_materials(actor=reviewer, application=application)
    assert missing == ["收入证明", "财产状况说明", "承诺书与授权书"]
    with pytest.raises(DomainError) as out_of_order:
        actions.record_investigation(
            actor=reviewer,
            application=application,
            investigators=who["investigators"],
            visited_on=dt.date(2026, 9, 30),
            findings="x",
            signed_on_screen=True,
        )
    assert out_of_order.value.code == "step_order"
    actions.provide_materials(actor=world.users["staff"], application=application, names=missing)
    assert actions.check_materials(actor=reviewer, application=application) == []
    application.refresh_from_db()
    # 3 working days across the National Day holiday: Oct 8, 9 and the worked Saturday Oct 10.
    assert application.investigation_due.astimezone(SH).date() == dt.date(2026, 10, 10)
    frozen(dt.datetime(2026, 10, 8, 10, 0, tzinfo=SH))
    with pytest.raises(DomainError) as alone:
        actions.record_investigation(
            actor=reviewer,
            application=application,
            investigators=[world.users["staff"]],
            visited_on=dt.date(2026, 10, 8),
            findings="家中有病人",
            signed_on_screen=True,
        )
    assert alone.value.code == "investigators_missing"
    with pytest.raises(DomainError) as unsigned:
        actions.record_investigation(
            actor=reviewer,
            application=application,
            investigators=who["investigators"],
            visited_on=dt.date(2026, 10, 8),
            findings="家中有病人",
        )
    assert unsigned.value.code == "signature_missing"
    actions.record_investigation(
        actor=reviewer,
        application=application,
        investigators=who["investigators"],
        visited_on=dt.date(2026, 10, 8),
        findings="家中有病人，无其他收入",
        signed_on_screen=True,
    )
    actions.record_checks(
        actor=reviewer,
        application=application,
        results=[("税务", "无记录", True), ("车辆", "无", True)],
    )
    with pytest.raises(DomainError) as investigator_reviews:
        actions.give_opinion(actor=world.users["leader"], application=application, opinion="同意")
    assert investigator_reviews.value.code == "same_person"  # the leader investigated
    application = actions.give_opinion(
        actor=reviewer, application=application, opinion="符合条件，建议纳入"
    )
    notice = Notice.objects.get(pk=application.notice_id)
    assert notice.kind == "welfare"
    assert [set(e) for e in notice.entries] == [{"name", "household_size", "amount"}]
    with pytest.raises(DomainError) as early:
        actions.decide(actor=decider, application=application, approve=True, reasons="符合条件")
    assert early.value.code == "notice_running"
    frozen(dt.datetime(2026, 10, 16, 10, 0, tzinfo=SH))
    with pytest.raises(DomainError) as reviewer_decides:
        actions.decide(actor=reviewer, application=application, approve=True, reasons="符合条件")
    assert reviewer_decides.value.code == "same_person"
    with pytest.raises(DomainError) as no_reasons:
        actions.decide(actor=decider, application=application, approve=True, reasons=" ")
    assert no_reasons.value.code == "reasons_missing"
    decided = actions.decide(
        actor=decider, application=application, approve=True, reasons="经审核符合低保条件"
    )
    assert decided.status == "approved"
    benefit = Benefit.objects.get(application=decided)
    assert benefit.starts_on == dt.date(2026, 11, 1)  # the month after approval
    assert benefit.next_review_on == dt.date(2027, 11, 1)
    # 2 members at 300 each: (1100 - 300) x 2.
    assert benefit.monthly_amount == (dibao().monthly_standard - 300) * 2
    with pytest.raises(DomainError) as again:
        apply(world, key="a2")
    assert again.value.code == "member_receiving"


def test_an_objection_sends_the_case_back_to_investigation(world: World) -> None:
    who = people(world)
    reviewer = who["reviewer"]
    application = apply(world, provided=tuple(dibao().materials))
    actions.check_materials(actor=reviewer, application=application)
    actions.record_investigation(
        actor=reviewer,
        application=application,
        investigators=who["investigators"],
        visited_on=timezone.localdate(),
        findings="属实",
        signed_on_screen=True,
    )
    actions.record_checks(
        actor=reviewer, application=application, results=[("银行", "无存款", True)]
    )
    application = actions.give_opinion(actor=reviewer, application=application, opinion="同意")

    file_objection(
        actor=world.users["resident"],
        notice=Notice.objects.get(pk=application.notice_id),
        reason="该户有私家车",
        idempotency_key="obj-1",
    )
    Application.objects.filter(pk=application.pk).update(
        notice_ends_at=timezone.now() - dt.timedelta(days=1)
    )
    with pytest.raises(DomainError) as open_objection:
        actions.decide(actor=who["decider"], application=application, approve=True, reasons="同意")
    assert open_objection.value.code == "objection_open"
    back = actions.handle_objection(
        actor=reviewer, application=application, note="邻居反映有私家车，重新调查"
    )
    assert back.status == "accepted"
    assert not open_objections_for(back).exists()  # answered with what follows


def test_bad_input_changes_nothing(world: World) -> None:
    with pytest.raises(DomainError) as negative:
        apply(world, members=(actions.MemberInput(world.residents["zhang"], wages=Decimal("-1")),))
    assert negative.value.code == "income_negative"
    with pytest.raises(DomainError) as absurd:
        apply(
            world,
            members=(actions.MemberInput(world.residents["zhang"], wages=Decimal("5000000")),),
        )
    assert absurd.value.code == "income_absurd"
    with pytest.raises(DomainError) as pledge:
        apply(world, pledge_signed=False)
    assert pledge.value.code == "pledge_missing"
    apply(world)
    with pytest.raises(DomainError) as twice:
        apply(world, key="other")
    assert twice.value.code == "member_in_application"
    assert Application.objects.count() == 1


def test_a_related_staff_member_is_excluded_from_every_step(world: World) -> None:
    staff, reviewer = world.users["staff"], world.users["welfare_reviewer"]
    sister = world.residents["wang"]
    actions.declare_relative(actor=reviewer, resident=sister, relation="sibling")
    application = apply(world, resident=sister, key="sister")
    assert application.flagged
    assert list(application.excluded_staff.all()) == [reviewer]
    assert AuditEvent.objects.filter(code="welfare.registered_separately").exists()
    assert application not in visible_applications(reviewer, world.community)
    assert application in visible_applications(world.users["leader"], world.community)
    with pytest.raises(AccessDenied):
        actions.check_materials(actor=reviewer, application=application)
    with pytest.raises(AccessDenied):
        actions.give_opinion(actor=reviewer, application=application, opinion="同意")
    with pytest.raises(AccessDenied):
        actions.decide(actor=reviewer, application=application, approve=True, reasons="同意")
    # Nor may they be one of the investigators.
    application.materials.update(provided=True)
    actions.check_materials(actor=world.users["leader"], application=application)
    with pytest.raises(DomainError) as related:
        actions.record_investigation(
            actor=world.users["leader"],
            application=application,
            investigators=[staff, reviewer],
            visited_on=timezone.localdate(),
            findings="x",
            signed_on_screen=True,
        )
    assert related.value.code == "investigator_related"


def test_opening_a_case_and_exporting_the_ledger_are_audited(world: World) -> None:
    application = apply(world)
    actions.open_case(actor=world.users["welfare_reviewer"], application=application)
    assert AuditEvent.objects.filter(code="welfare.viewed").count() == 1
    buffer = io.BytesIO()
    assert (
        actions.export_register(actor=world.users["leader"], community=world.community, out=buffer)
        == 0
    )
    buffer.seek(0)
    assert load_workbook(buffer).active.max_row == 1  # the header; nobody approved yet
    assert AuditEvent.objects.filter(code="welfare.register_exported").exists()


def test_a_relative_declared_later_is_excluded_from_the_open_case(world: World) -> None:
    reviewer = world.users["welfare_reviewer"]
    application = apply(world, resident=world.residents["wang"], key="later")
    assert not application.flagged
    actions.declare_relative(actor=reviewer, resident=world.residents["wang"], relation="sibling")
    application.refresh_from_db()
    assert application.flagged
    assert reviewer in application.excluded_staff.all()
    with pytest.raises(AccessDenied):
        actions.check_materials(actor=reviewer, application=application)


def test_extension_once_and_benefit_changes_with_reasons(world: World) -> None:
    who = people(world)
    reviewer, leader = who["reviewer"], world.users["leader"]
    application = apply(world, provided=tuple(dibao().materials))
    with pytest.raises(DomainError):
        actions.extend(actor=leader, application=application, reason="需补充调查")  # not accepted
    actions.check_materials(actor=reviewer, application=application)
    application.refresh_from_db()
    due_30 = application.process_due
    extended = actions.extend(actor=leader, application=application, reason="需补充调查")
    assert extended.process_due > due_30
    with pytest.raises(DomainError) as twice:
        actions.extend(actor=leader, application=application, reason="再次延期")
    assert twice.value.code == "extended"
    benefit = Benefit.objects.create(
        application=application,
        household=application.household,
        programme=application.programme,
        monthly_amount=Decimal("500"),
        starts_on=dt.date(2026, 12, 1),
        next_review_on=dt.date(2027, 12, 1),
    )
    with pytest.raises(DomainError) as no_reason:
        actions.change_benefit(actor=reviewer, benefit=benefit, state="suspended", reason=" ")
    assert no_reason.value.code == "reason_missing"
    actions.change_benefit(
        actor=reviewer, benefit=benefit, state="ended", reason="家庭收入已超过标准"
    )
    with pytest.raises(DomainError) as ended:
        actions.change_benefit(actor=reviewer, benefit=benefit, state="active", reason="恢复")
    assert ended.value.code == "benefit_ended"
