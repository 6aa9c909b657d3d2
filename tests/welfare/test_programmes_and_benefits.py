"""What differs by programme (特困's self-care assessment, 临时救助 paid first in an emergency and
granted once) and what follows approval: changes the household reports, periodic reviews,
suspension and the end, each with its reasons."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from linli.core.audit import render_message
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Notification
from linli.notices.models import Notice
from linli.people.models import Resident
from linli.welfare import actions
from linli.welfare.benefits import calculation_for, months_later
from linli.welfare.models import (
    ACTIVITIES,
    Application,
    Assessment,
    Benefit,
    BenefitChange,
    Programme,
    self_care_level,
)
from tests.welfare.test_welfare import apply, people
from tests.world import World

ALL_DONE = {key: True for key, _label in ACTIVITIES}


def test_the_self_care_level_from_the_six_activities() -> None:
    assert self_care_level(ALL_DONE) == "able"
    assert self_care_level({**ALL_DONE, "bathe": False}) == "partial"
    three = {**ALL_DONE, "bathe": False, "walk": False, "toilet": False}
    assert self_care_level(three) == "partial"  # up to three not done
    assert self_care_level({**three, "eat": False}) == "full"  # four or more
    assert self_care_level({"eat": True}) == "full"  # what is not said is not done


def programme(kind: str) -> Programme:
    return Programme.objects.get(kind=kind)


def accepted(world: World, kind: str, key: str = "p1") -> Application:
    application = apply(
        world, key=key, programme=programme(kind), provided=tuple(programme(kind).materials)
    )
    assert (
        actions.check_materials(actor=world.users["welfare_reviewer"], application=application)
        == []
    )
    application.refresh_from_db()
    return application


def checked(
    world: World, application: Application, who: dict[str, Any] | None = None
) -> Application:
    who = who or people(world)
    actions.record_investigation(
        actor=who["reviewer"],
        application=application,
        investigators=who["investigators"],
        visited_on=timezone.localdate(),
        findings="属实",
        signed_on_screen=True,
    )
    actions.record_checks(
        actor=who["reviewer"], application=application, results=[("银行", "无存款", True)]
    )
    application.refresh_from_db()
    return application


def test_extreme_poverty_support_adds_the_care_standard_of_each_members_level(
    world: World,
) -> None:
    reviewer = world.users["welfare_reviewer"]
    tekun = programme("tekun")
    members = list(Resident.objects.filter(household=world.residents["zhang"].household))
    assert len(members) == 2
    submitted = apply(world, key="t0", programme=tekun)
    with pytest.raises(DomainError) as early:
        actions.assess_self_care(
            actor=reviewer, application=submitted, resident=members[0], done=ALL_DONE
        )
    assert early.value.code == "step_order"  # not before the case is accepted
    Application.objects.filter(pk=submitted.pk).delete()

    application = checked(world, accepted(world, "tekun"))
    actions.assess_self_care(
        actor=reviewer, application=application, resident=members[0], done=ALL_DONE
    )
    with pytest.raises(DomainError) as unassessed:
        actions.give_opinion(actor=reviewer, application=application, opinion="符合特困条件")
    assert unassessed.value.code == "assessment_missing"
    assert members[1].name in unassessed.value.message
    with pytest.raises(DomainError) as future:
        actions.assess_self_care(
            actor=reviewer,
            application=application,
            resident=members[1],
            done=ALL_DONE,
            assessed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert future.value.code == "date_future"
    with pytest.raises(DomainError) as stranger:
        actions.assess_self_care(
            actor=reviewer, application=application, resident=world.residents["wang"], done={}
        )
    assert stranger.value.code == "not_member"
    unable = {key: False for key, _label in ACTIVITIES}
    actions.assess_self_care(
        actor=reviewer, application=application, resident=members[1], done=unable
    )
    assert sorted(application.assessments.values_list("level", flat=True)) == ["able", "full"]
    calc = calculation_for(application)
    # Two members at the basic standard, plus the able and the wholly-unable care standards.
    expected = tekun.monthly_standard * 2 + tekun.care_able + tekun.care_full
    assert calc.amount == expected
    assert str(expected) in calc.working
    opinion = actions.give_opinion(actor=reviewer, application=application, opinion="符合特困条件")
    assert opinion.proposed_amount == expected
    assert AuditEvent.objects.filter(code="welfare.assessed").count() == 2


def test_only_extreme_poverty_support_assesses_self_care(world: World) -> None:
    application = accepted(world, "dibao")
    with pytest.raises(DomainError) as refused:
        actions.assess_self_care(
            actor=world.users["welfare_reviewer"],
            application=application,
            resident=world.residents["zhang"],
            done=ALL_DONE,
        )
    assert refused.value.code == "assessment_not_needed"
    assert not Assessment.objects.exists()


def test_temporary_relief_is_paid_first_in_an_emergency_and_documented_after(
    world: World,
) -> None:
    who = people(world)
    leader, reviewer, decider = world.users["leader"], who["reviewer"], who["decider"]
    temporary = programme("temporary")
    application = apply(world, key="e1", programme=temporary)  # materials still missing
    for amount, reason, code in [
        (temporary.emergency_limit + 1, "突发火灾", "over_limit"),
        (Decimal("0"), "突发火灾", "amount_missing"),
        (Decimal("NaN"), "突发火灾", "amount_missing"),
        (Decimal("500"), " ", "reason_missing"),
    ]:
        with pytest.raises(DomainError) as refused:
            actions.pay_first(actor=leader, application=application, amount=amount, reason=reason)
        assert refused.value.code == code
    with pytest.raises(AccessDenied):
        actions.pay_first(
            actor=world.users["staff"], application=application, amount=Decimal("1"), reason="x"
        )
    paid = actions.pay_first(
        actor=leader, application=application, amount=Decimal("800"), reason="突发火灾，无处居住"
    )
    assert paid.emergency_amount == Decimal("800.00")
    assert paid.status == "materials_missing" or paid.status == "submitted"
    assert Notification.objects.filter(code="welfare.paid_first").exists()  # the household
    with pytest.raises(DomainError) as twice:
        actions.pay_first(actor=leader, application=paid, amount=Decimal("100"), reason="再付")
    assert twice.value.code == "paid_already"

    # The procedure documents it afterwards; the opinion proposes the one-off amount.
    application.materials.update(provided=True)
    actions.check_materials(actor=reviewer, application=application)
    application = checked(world, application, who)
    with pytest.raises(DomainError) as no_amount:
        actions.give_opinion(actor=reviewer, application=application, opinion="同意")
    assert no_amount.value.code == "amount_missing"
    with pytest.raises(DomainError) as below:
        actions.give_opinion(
            actor=reviewer, application=application, opinion="同意", amount=Decimal("500")
        )
    assert below.value.code == "amount_below_paid"  # 800 was already paid
    application = actions.give_opinion(
        actor=reviewer, application=application, opinion="同意救助", amount=Decimal("1500")
    )
    assert application.proposed_amount == Decimal("1500.00")
    notice = Notice.objects.get(pk=application.notice_id)
    assert notice.entries[0]["amount"] == "1500.00"
    Application.objects.filter(pk=application.pk).update(
        notice_ends_at=timezone.now() - dt.timedelta(days=1)
    )
    with pytest.raises(DomainError) as payer:
        actions.decide(actor=leader, application=application, approve=True, reasons="属实")
    assert payer.value.code == "same_person"  # the leader paid first
    decided = actions.decide(actor=decider, application=application, approve=True, reasons="属实")
    assert decided.status == "approved"
    assert not Benefit.objects.filter(application=decided).exists()  # once, not monthly
    assert decided.still_to_pay == Decimal("700.00")
    assert "一次" in notice.body or "once" in notice.body


def test_a_programme_without_an_emergency_limit_does_not_pay_first(world: World) -> None:
    application = apply(world, key="e2")  # 低保
    with pytest.raises(DomainError) as refused:
        actions.pay_first(
            actor=world.users["leader"], application=application, amount=Decimal("1"), reason="急"
        )
    assert refused.value.code == "no_emergency"
    application.refresh_from_db()
    assert application.emergency_paid_at is None


def benefit_for(world: World, **fields: Any) -> Benefit:
    application = apply(world, key="b1", provided=tuple(programme("dibao").materials))
    Application.objects.filter(pk=application.pk).update(status="approved")
    return Benefit.objects.create(
        application=application,
        household=application.household,
        programme=application.programme,
        monthly_amount=Decimal("500"),
        starts_on=dt.date(2026, 1, 1),
        next_review_on=dt.date(2026, 10, 1),
        **fields,
    )


def test_reported_changes_wait_for_the_review_that_deals_with_them(world: World) -> None:
    reviewer = world.users["welfare_reviewer"]
    benefit = benefit_for(world)
    Benefit.objects.filter(pk=benefit.pk).update(next_review_on=dt.date(2099, 1, 1))
    assert actions.tick()["welfare_escalated"] == 0  # nothing due yet
    household = world.users["resident"]  # 张三 lives in the household
    with pytest.raises(DomainError) as empty:
        actions.report_change(actor=household, benefit=benefit, note=" ")
    assert empty.value.code == "note_missing"
    with pytest.raises(AccessDenied):
        actions.report_change(actor=world.users["outsider"], benefit=benefit, note="x")
    change = actions.report_change(actor=household, benefit=benefit, note="儿子找到工作，月薪3000")
    assert change.kind == "reported"
    assert Notification.objects.filter(code="welfare.change_reported", user=reviewer).exists()
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert actions.tick(now=tomorrow)["welfare_escalated"] == 1  # the change is due for review
    assert Notification.objects.get(code="welfare.overdue").data["reviews"] == 1

    with pytest.raises(DomainError) as no_amount:
        actions.review_benefit(actor=reviewer, benefit=benefit, outcome="adjust", note="收入增加")
    assert no_amount.value.code == "amount_missing"
    with pytest.raises(DomainError) as no_note:
        actions.review_benefit(actor=reviewer, benefit=benefit, outcome="continue", note="")
    assert no_note.value.code == "note_missing"
    with pytest.raises(AccessDenied):
        actions.review_benefit(
            actor=world.users["staff"], benefit=benefit, outcome="continue", note="x"
        )
    review = actions.review_benefit(
        actor=reviewer,
        benefit=benefit,
        outcome="adjust",
        note="儿子就业，人均收入提高",
        new_amount=Decimal("200"),
        irregular_income=True,
    )
    benefit.refresh_from_db()
    assert benefit.monthly_amount == Decimal("200.00")
    assert (review.old_amount, review.new_amount) == (Decimal("500.00"), Decimal("200.00"))
    # Irregular income: the next review in six months.
    today = timezone.localdate()
    assert benefit.next_review_on == months_later(today, 6)
    change.refresh_from_db()
    assert change.handled_by_review == review


def test_suspension_resumption_and_the_end(world: World) -> None:
    reviewer = world.users["welfare_reviewer"]
    benefit = benefit_for(world)
    actions.review_benefit(actor=reviewer, benefit=benefit, outcome="suspend", note="外出未归")
    benefit.refresh_from_db()
    assert benefit.state == "suspended"
    with pytest.raises(DomainError) as same:
        actions.change_benefit(actor=reviewer, benefit=benefit, state="suspended", reason="再停")
    assert same.value.code == "state_same"
    actions.change_benefit(actor=reviewer, benefit=benefit, state="active", reason="已返回")
    actions.change_benefit(actor=reviewer, benefit=benefit, state="ended", reason="收入超标")
    kinds = list(benefit.changes.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["review", "active", "ended"]
    before = BenefitChange.objects.count()
    for attempt in (
        lambda: actions.review_benefit(
            actor=reviewer, benefit=benefit, outcome="continue", note="x"
        ),
        lambda: actions.report_change(actor=world.users["resident"], benefit=benefit, note="x"),
    ):
        with pytest.raises(DomainError) as ended:
            attempt()
        assert ended.value.code == "benefit_ended"
    assert BenefitChange.objects.count() == before


def test_a_related_reviewer_cannot_review_the_benefit(world: World) -> None:
    reviewer = world.users["welfare_reviewer"]
    benefit = benefit_for(world)
    actions.declare_relative(actor=reviewer, resident=world.residents["zhang"], relation="child")
    with pytest.raises(AccessDenied):
        actions.review_benefit(actor=reviewer, benefit=benefit, outcome="end", note="x")
    with pytest.raises(AccessDenied):
        actions.change_benefit(actor=reviewer, benefit=benefit, state="ended", reason="x")
    benefit.refresh_from_db()
    assert benefit.state == "active"


# --- the screens ----------------------------------------------------------------------------


def test_a_self_care_assessment_through_the_case_page(world: World, client: Client) -> None:
    application = checked(world, accepted(world, "tekun"))
    client.force_login(world.users["welfare_reviewer"])
    url = reverse("welfare:detail", args=["xfl", application.pk])
    page = client.get(url).content.decode()
    assert "自理能力评估" in page or "Self-care assessment" in page
    zhang = world.residents["zhang"]
    response = client.post(
        reverse("welfare:assess", args=["xfl", application.pk]),
        {"resident": zhang.pk, "done": ["eat", "dress"], "assessed_on": "2026-01-05"},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(application=application, resident=zhang)
    assert assessment.level == "full"  # four of six not done
    assert assessment.assessed_on == dt.date(2026, 1, 5)


def test_an_emergency_payment_and_the_proposed_amount_through_the_case_page(
    world: World, client: Client
) -> None:
    who = people(world)
    application = apply(world, key="e3", programme=programme("temporary"))
    client.force_login(world.users["leader"])
    over = client.post(
        reverse("welfare:pay_first", args=["xfl", application.pk]),
        {"emergency-amount": "999999", "emergency-reason": "突发火灾"},
        follow=True,
    )
    assert "2000" in over.content.decode()  # the limit, in the refusal
    application.refresh_from_db()
    assert application.emergency_paid_at is None
    client.post(
        reverse("welfare:pay_first", args=["xfl", application.pk]),
        {"emergency-amount": "600", "emergency-reason": "突发火灾"},
    )
    application.refresh_from_db()
    assert application.emergency_amount == Decimal("600.00")
    application.materials.update(provided=True)
    actions.check_materials(actor=who["reviewer"], application=application)
    checked(world, application, who)
    client.force_login(who["reviewer"])
    step = reverse("welfare:opinion", args=["xfl", application.pk])
    client.post(step, {"opinion": "同意"})  # no amount: refused
    application.refresh_from_db()
    assert application.status == "checked"
    client.post(step, {"opinion": "同意", "amount": "1200"})
    application.refresh_from_db()
    assert (application.status, application.proposed_amount) == ("on_notice", Decimal("1200.00"))


def test_reviewing_and_reporting_through_the_screens(world: World, client: Client) -> None:
    benefit = benefit_for(world)
    client.force_login(world.users["resident"])
    mine = client.get(reverse("welfare:mine", args=["xfl"])).content.decode()
    assert reverse("welfare:report_change", args=["xfl", benefit.pk]) in mine
    title = mine.split("<title>")[1].split("</title>")[0]
    assert "<" not in title  # the page's title is text, not the form
    report = reverse("welfare:report_change", args=["xfl", benefit.pk])
    client.post(report, {f"b{benefit.pk}-note": ""})
    assert not BenefitChange.objects.exists()
    client.post(report, {f"b{benefit.pk}-note": "女儿出嫁，户内少一人"})
    assert BenefitChange.objects.get().kind == "reported"

    client.force_login(world.users["welfare_reviewer"])
    register = client.get(reverse("welfare:register", args=["xfl"])).content.decode()
    assert reverse("welfare:benefit", args=["xfl", benefit.pk]) in register
    page = client.get(reverse("welfare:benefit", args=["xfl", benefit.pk])).content.decode()
    assert "女儿出嫁，户内少一人" in page
    assert AuditEvent.objects.filter(code="welfare.viewed").exists()  # the view is audited
    review = reverse("welfare:benefit_review", args=["xfl", benefit.pk])
    client.post(review, {"review-outcome": "adjust", "review-note": "人口减少"})  # no amount
    benefit.refresh_from_db()
    assert benefit.monthly_amount == Decimal("500")
    client.post(
        review,
        {"review-outcome": "adjust", "review-note": "人口减少", "review-new_amount": "350"},
    )
    benefit.refresh_from_db()
    assert benefit.monthly_amount == Decimal("350.00")
    assert BenefitChange.objects.get(kind="reported").handled_by_review is not None
    client.post(
        reverse("welfare:benefit_state", args=["xfl", benefit.pk]),
        {"state-state": "ended", "state-reason": "迁出本社区"},
    )
    benefit.refresh_from_db()
    assert benefit.state == "ended"


def test_the_ledger_lists_relief_paid_once(world: World) -> None:
    benefit_for(world)
    application = apply(world, key="e4", programme=programme("temporary"))
    actions.pay_first(
        actor=world.users["leader"], application=application, amount=Decimal("300"), reason="急"
    )
    buffer = io.BytesIO()
    rows = actions.export_register(
        actor=world.users["leader"], community=world.community, out=buffer
    )
    assert rows == 1  # households on the register; the one-off sheet is counted apart
    buffer.seek(0)
    book = load_workbook(buffer)
    recipients, one_off = book.worksheets
    assert recipients.cell(2, 4).value == 2  # household size
    assert one_off.cell(2, 4).value == 300
    assert one_off.cell(2, 6).value is None  # paid first, not yet granted
    assert one_off.cell(2, 7).value is None  # so nothing is still to pay either


def test_a_suspended_benefit_still_counts_and_resumes_when_adjusted(world: World) -> None:
    reviewer = world.users["welfare_reviewer"]
    benefit = benefit_for(world)
    actions.change_benefit(actor=reviewer, benefit=benefit, state="suspended", reason="外出务工")
    assert Notification.objects.filter(code="welfare.benefit_changed").exists()  # the household
    with pytest.raises(DomainError) as again:
        apply(world, key="b2", provided=tuple(programme("dibao").materials))
    assert again.value.code == "member_receiving"  # suspended is not ended
    actions.report_change(actor=world.users["resident"], benefit=benefit, note="已返回")
    Benefit.objects.filter(pk=benefit.pk).update(next_review_on=dt.date(2099, 1, 1))
    assert actions.tick()["welfare_escalated"] == 1  # a change waits on a suspended benefit
    actions.review_benefit(
        actor=reviewer,
        benefit=benefit,
        outcome="adjust",
        note="返回后收入减少",
        new_amount=Decimal("600"),
    )
    benefit.refresh_from_db()
    assert (benefit.state, benefit.monthly_amount) == ("active", Decimal("600.00"))
    assert Notification.objects.filter(code="welfare.benefit_reviewed").exists()
    event = AuditEvent.objects.filter(code="welfare.benefit_reviewed").get()
    assert (event.data["old"], event.data["new"]) == ("500.00", "600.00")


def test_a_benefit_is_not_resumed_beside_another_approval(world: World) -> None:
    reviewer = world.users["welfare_reviewer"]
    first = benefit_for(world)
    actions.change_benefit(actor=reviewer, benefit=first, state="suspended", reason="核查中")
    # A second approval, active, for the same household and programme (made directly: the
    # application rules refuse it now).
    other = apply(world, key="b3", resident=world.residents["wang"])
    Benefit.objects.create(
        application=other,
        household=first.household,
        programme=first.programme,
        monthly_amount=Decimal("300"),
        starts_on=dt.date(2026, 2, 1),
        next_review_on=dt.date(2027, 2, 1),
    )
    with pytest.raises(DomainError) as twice:
        actions.change_benefit(actor=reviewer, benefit=first, state="active", reason="核查完毕")
    assert twice.value.code == "benefit_twice"
    first.refresh_from_db()
    assert first.state == "suspended"


def test_audit_lines_show_levels_and_outcomes_in_words() -> None:
    with translation.override("zh-hans"):
        assessed = render_message("welfare.assessed", {"number": 3, "level": "partial"})
        reviewed = render_message("welfare.benefit_reviewed", {"number": 3, "outcome": "adjust"})
    assert "部分丧失生活自理能力" in assessed
    assert "调整金额" in reviewed


GARBAGE = {
    "resident": "x",
    "done": ["fly"],
    "assessed_on": "2026-13-45",
    "emergency-amount": "NaN",
    "emergency-reason": "",
    "opinion": "",
    "amount": "-1e999",
    "review-outcome": "vanish",
    "review-note": "",
    "review-new_amount": "abc",
    "state-state": "frozen",
    "state-reason": "",
    "report-note": "",
}


@pytest.mark.parametrize(
    "action",
    ["materials", "investigate", "checks", "opinion", "assess", "pay_first", "objection", "decide"],
)
def test_garbage_on_a_case_step_is_a_message_not_an_error(
    world: World, client: Client, action: str
) -> None:
    application = checked(world, accepted(world, "tekun"))
    before = (Application.objects.values().get(pk=application.pk), Assessment.objects.count())
    client.force_login(world.users["leader"])
    response = client.post(
        reverse(f"welfare:{action}", args=["xfl", application.pk]), GARBAGE, follow=True
    )
    assert response.status_code == 200
    assert before == (
        Application.objects.values().get(pk=application.pk),
        Assessment.objects.count(),
    )


@pytest.mark.parametrize("action", ["review", "state", "report"])
def test_garbage_on_a_benefit_step_is_a_message_not_an_error(
    world: World, client: Client, action: str
) -> None:
    benefit = benefit_for(world)
    before = Benefit.objects.values().get(pk=benefit.pk)
    client.force_login(world.users["welfare_reviewer"])
    response = client.post(
        reverse(f"welfare:benefit_{action}", args=["xfl", benefit.pk]), GARBAGE, follow=True
    )
    assert response.status_code == 200
    assert Benefit.objects.values().get(pk=benefit.pk) == before
    assert not BenefitChange.objects.exists()
