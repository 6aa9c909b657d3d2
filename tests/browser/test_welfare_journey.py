"""A 低保 application from the resident's phone to the decision, with everything missing told at
once, two investigators, the public notice, a neighbour's objection and a re-investigation, a
third person deciding; and a staff member's sister's case they cannot open."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.welfare.models import Application, Benefit
from tests.browser.helpers import assert_accessible, log_in
from tests.world import World, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def person(browser: Browser, base: str, login: str, *, phone: bool = False) -> Page:
    viewport = {"width": 375, "height": 800} if phone else {"width": 1280, "height": 900}
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, login)
    return page


def investigate(page: Page, findings: str) -> None:
    form = page.get_by_role("form", name="入户调查")
    form.get_by_label("测试staff").check()
    form.get_by_label("测试leader").check()
    form.get_by_label(re.compile("^调查情况")).fill(findings)
    form.get_by_label(re.compile("屏幕上签字")).check()
    form.get_by_role("button", name="登记调查结果").click()
    expect(page.get_by_text("已完成。")).to_be_visible()


def check_and_notice(page: Page) -> None:
    page.get_by_label(re.compile("^核对结果")).fill("税务 | 无记录 | 是\n车辆 | 无 | 是")
    page.get_by_role("button", name="登记核对结果").click()
    page.get_by_label(re.compile("^初审意见及理由")).fill("家庭人均收入低于标准，建议纳入低保。")
    page.get_by_role("button", name="出具意见并公示").click()
    expect(page.get_by_text("已完成。")).to_be_visible()


def test_a_dibao_application(browser: Browser, base: str, world: World) -> None:
    decider = make_user("decider", full_name="测试审批人")
    grant_role(actor=SYSTEM, user=decider, role="welfare_reviewer", community=world.community)

    # 张三 applies on his phone, without handing in any material yet.
    phone = world.users["resident"].phone
    assert phone
    zhang = person(browser, base, phone, phone=True)
    zhang.goto(f"{base}/c/xfl/welfare/apply/")
    assert_accessible(zhang)
    zhang.get_by_label(re.compile("^救助项目")).select_option(label="最低生活保障（低保）")
    zhang.get_by_label(re.compile("^申请理由")).fill("老伴重病，家庭收入很低。")
    zhang.get_by_label(re.compile("如实申报承诺书")).check()
    zhang.get_by_label(re.compile("核对授权书")).check()
    zhang.get_by_role("button", name="下一步：填写成员收入").click()
    zhang.get_by_label("张三 · 工资性收入").fill("400")
    zhang.get_by_label("李秀英 · 工资性收入").fill("0")
    assert_accessible(zhang)
    zhang.get_by_role("button", name="提交申请").click()
    expect(zhang.get_by_text("申请已收到。")).to_be_visible()
    application = Application.objects.get()

    # The reviewer checks the materials: everything missing, told at once.
    reviewer = person(browser, base, "welfare_reviewer")
    reviewer.goto(f"{base}/c/xfl/welfare/{application.pk}/")
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="审核材料").click()
    expect(
        reviewer.get_by_text(re.compile("尚缺以下全部材料：户口簿、身份证、收入证明"))
    ).to_be_visible()
    zhang.goto(f"{base}/c/xfl/welfare/mine/")
    expect(zhang.get_by_text(re.compile("户口簿.*身份证.*收入证明"))).to_be_visible()
    assert_accessible(zhang)

    # He brings them all; the reviewer ticks them and the case is accepted.
    for box in reviewer.get_by_role("group", name="已提交材料").get_by_role("checkbox").all():
        box.check()
    reviewer.get_by_role("button", name="审核材料").click()
    expect(reviewer.get_by_text("材料齐全，已受理。")).to_be_visible()

    # Two investigators, the family signs on screen; checks; opinion; the public notice.
    investigate(reviewer, "老伴长期卧床，家中无其他收入来源。")
    check_and_notice(reviewer)
    application.refresh_from_db()
    assert application.status == "on_notice"

    # A neighbour objects on the public board.
    neighbour = browser.new_context().new_page()
    neighbour.goto(f"{base}/n/xfl/{application.notice_id}/objection/")
    neighbour.get_by_label("您的异议").fill("该户有一辆私家车，请核实。")
    neighbour.get_by_label("您的姓名").fill("邻居老李")
    neighbour.get_by_label("您的电话").fill("13700001234")
    neighbour.get_by_role("button", name="提交异议").click()
    expect(neighbour.get_by_text(re.compile("已收到"))).to_be_visible()

    # The reviewer sends it back for a new investigation, then the opinion and notice again.
    reviewer.reload()
    reviewer.get_by_label(re.compile("^异议内容")).fill("邻居反映有私家车，重新入户调查。")
    reviewer.get_by_role("button", name="重新调查").click()
    investigate(reviewer, "车辆为已故亲属遗留的报废车，无使用价值。")
    check_and_notice(reviewer)

    # Seven days later a third person decides.
    Application.objects.filter(pk=application.pk).update(
        notice_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    third = person(browser, base, "decider")
    third.goto(f"{base}/c/xfl/welfare/{application.pk}/")
    decision = third.get_by_role("form", name="决定")
    decision.get_by_label("批准", exact=True).check()
    decision.get_by_label(re.compile("^理由")).fill("经入户调查和信息核对，符合低保条件。")
    decision.get_by_role("button", name="作出决定").click()
    expect(third.get_by_text("已完成。")).to_be_visible()
    assert_accessible(third)
    benefit = Benefit.objects.get()
    assert benefit.monthly_amount == (benefit.programme.monthly_standard - 200) * 2

    # A staff member declares his sister; her household's application is registered separately
    # and he cannot open it.
    reviewer.goto(f"{base}/c/xfl/welfare/relatives/")
    reviewer.get_by_label(re.compile("^亲属")).fill("王五")
    reviewer.get_by_label(re.compile("^关系")).select_option(label="兄弟姐妹")
    reviewer.get_by_role("button", name="申报").click()
    expect(reviewer.get_by_text(re.compile("王五"))).to_be_visible()
    leader = person(browser, base, "leader")
    leader.goto(f"{base}/c/xfl/welfare/new/")
    leader.get_by_label(re.compile("^救助项目")).select_option(label="最低生活保障（低保）")
    leader.get_by_label(re.compile("^家庭")).fill("5-1-101")
    leader.get_by_label(re.compile("^申请理由")).fill("失业。")
    leader.get_by_label(re.compile("如实申报承诺书")).check()
    leader.get_by_label(re.compile("核对授权书")).check()
    leader.get_by_role("button", name="下一步：填写成员收入").click()
    leader.get_by_role("button", name="提交申请").click()
    expect(leader.get_by_text(re.compile("单独登记备案"))).to_be_visible()
    sister_case = Application.objects.exclude(pk=application.pk).get()
    assert sister_case.flagged
    response = reviewer.goto(f"{base}/c/xfl/welfare/{sister_case.pk}/")
    assert response is not None
    assert response.status == 404
