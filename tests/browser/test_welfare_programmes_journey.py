"""What differs by programme and what follows approval, as people do it: a 特困 case's self-care
assessment, temporary relief paid first by a leader, a household reporting a change from its
phone and the reviewer's periodic review that adjusts the benefit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect

from linli.welfare import actions
from linli.welfare.models import Assessment, Benefit, BenefitChange, Programme
from tests.browser.helpers import assert_accessible
from tests.browser.test_welfare_journey import person
from tests.welfare.test_programmes_and_benefits import benefit_for, checked
from tests.welfare.test_welfare import apply
from tests.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_assessment_emergency_report_and_review(browser: Browser, base: str, world: World) -> None:
    benefit = benefit_for(world)  # 张三's household already receives 低保, review overdue
    Benefit.objects.filter(pk=benefit.pk).update(next_review_on=dt.date(2026, 1, 1))
    tekun = Programme.objects.get(kind="tekun")
    case = apply(world, key="tk", programme=tekun, provided=tuple(tekun.materials))
    actions.check_materials(actor=world.users["welfare_reviewer"], application=case)
    case = checked(world, case)

    # The reviewer assesses 张三's self-care on the case page: two of six done, wholly unable.
    reviewer = person(browser, base, "welfare_reviewer")
    reviewer.goto(f"{base}/c/xfl/welfare/{case.pk}/")
    expect(reviewer.get_by_role("heading", name="生活自理能力评估")).to_be_visible()
    assert_accessible(reviewer)
    reviewer.get_by_label("家庭成员").select_option(label="张三")
    activities = reviewer.get_by_role("group", name="能独立完成的项目")
    activities.get_by_label("自主吃饭").check()
    activities.get_by_label("室内行走").check()
    reviewer.get_by_role("button", name="登记评估结果").click()
    expect(reviewer.get_by_text("完全丧失生活自理能力")).to_be_visible()
    assert Assessment.objects.get(application=case).level == "full"

    # A fire: the leader pays temporary relief first, within the local limit.
    temporary = Programme.objects.get(kind="temporary")
    fire = apply(world, resident=world.residents["wang"], key="fire", programme=temporary)
    leader = person(browser, base, "leader")
    leader.goto(f"{base}/c/xfl/welfare/{fire.pk}/")
    assert_accessible(leader)
    leader.get_by_label(re.compile("^当即发放金额")).fill("5000")
    leader.get_by_label(re.compile("^紧急原因")).fill("家中失火，无处安身")
    leader.get_by_role("button", name="登记先行救助").click()
    expect(leader.get_by_text(re.compile("先行救助不得超过"))).to_be_visible()
    leader.get_by_label(re.compile("^当即发放金额")).fill("800")
    leader.get_by_label(re.compile("^紧急原因")).fill("家中失火，无处安身")
    leader.get_by_role("button", name="登记先行救助").click()
    expect(leader.get_by_text("已完成。")).to_be_visible()
    fire.refresh_from_db()
    assert fire.emergency_amount == Decimal("800.00")

    # A household on 低保 reports from the phone that its income has changed.
    phone = world.users["resident"].phone
    assert phone
    zhang = person(browser, base, phone, phone=True)
    zhang.goto(f"{base}/c/xfl/welfare/mine/")
    assert_accessible(zhang)
    zhang.get_by_label(re.compile("^发生的变化")).fill("儿子找到了工作，每月工资3000元。")
    zhang.get_by_role("button", name="报告变化").click()
    expect(zhang.get_by_text("已报告。社区将复核您家的救助。")).to_be_visible()

    # The reviewer sees it waiting, with the review overdue, and adjusts the amount.
    reviewer.goto(f"{base}/c/xfl/welfare/recipients/")
    expect(reviewer.get_by_text("复核逾期").first).to_be_visible()
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name="张三").click()
    expect(reviewer.get_by_text("儿子找到了工作，每月工资3000元。")).to_be_visible()
    assert_accessible(reviewer)
    review = reviewer.get_by_role("form", name="定期复核")
    review.get_by_label("调整金额").check()
    review.get_by_label(re.compile("^复核情况")).fill("家庭人均收入提高，调整救助金额。")
    review.get_by_label(re.compile("^调整后的月救助金额")).fill("200")
    review.get_by_role("button", name="登记复核结果").click()
    expect(reviewer.get_by_text("已完成。")).to_be_visible()
    benefit.refresh_from_db()
    assert benefit.monthly_amount == Decimal("200.00")
    assert BenefitChange.objects.get(kind="reported").handled_by_review is not None
