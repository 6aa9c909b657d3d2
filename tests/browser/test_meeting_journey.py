"""The story linli was born from: a forum with the water company, an opinion followed up,
one answered on the spot, the company's answer in linli, the report at the next meeting,
and the resident's verdict."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from linli.appeals.models import Appeal
from linli.meetings.models import Meeting
from tests.browser.helpers import assert_accessible, log_in
from tests.world import World

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


def plan(page: Page, base: str, topic: str) -> Meeting:
    page.goto(f"{base}/c/xfl/meetings/")
    assert_accessible(page)
    page.get_by_role("link", name="安排会议").click()
    assert_accessible(page)
    page.get_by_label("议题").fill(topic)
    when = timezone.localtime() + dt.timedelta(hours=1)
    page.get_by_label("日期和时间").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("地点").fill("社区活动室")
    page.get_by_label("自来水公司").check()
    page.get_by_role("button", name="安排并发送邀请").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text(topic)
    assert_accessible(page)
    return Meeting.objects.get(topic=topic)


def record(page: Page, text: str, speaker: str, handling: str, answer: str = "") -> None:
    form = page.get_by_role("form", name="记录意见")
    form.get_by_label("反映的问题").fill(text)
    form.get_by_label(re.compile("^发言人")).fill(speaker)
    form.get_by_label("类别").select_option(label="供水")
    form.get_by_label("责任单位").select_option(label="自来水公司")
    form.get_by_label(handling, exact=True).check()
    if answer:
        form.get_by_label("现场答复内容").fill(answer)
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已记录。")).to_be_visible()


def test_a_forum_with_the_water_company(browser: Browser, base: str, world: World) -> None:
    staff = person(browser, base, "staff")
    first = plan(staff, base, "供水问题座谈会")
    assert first.announcement is not None  # on the notice board

    liaison = person(browser, base, "liaison")
    liaison.goto(f"{base}/org/meetings/")
    assert_accessible(liaison)
    liaison.get_by_label("参会人员（姓名）").fill("周工程师")
    liaison.get_by_role("button", name="确认").click()
    expect(liaison.get_by_text("周工程师").first).to_be_visible()

    staff.get_by_role("button", name="开始会议").click()
    expect(staff.get_by_text("居民手机签到码")).to_be_visible()
    assert_accessible(staff)
    first.refresh_from_db()

    # 张三 signs in with the code on his phone.
    phone = world.users["resident"].phone
    assert phone
    resident = person(browser, base, phone, phone=True)
    resident.goto(f"{base}/me/meetings/")
    assert_accessible(resident)
    resident.get_by_label(re.compile("会议签到码")).fill(first.code)
    resident.get_by_role("button", name="签到", exact=True).click()
    expect(resident.get_by_text("您已签到")).to_be_visible()

    # 王五 is signed in at the door; the company's engineer too.
    staff.reload()
    staff.get_by_label(re.compile("^姓名、拼音首字母")).fill("王五")
    staff.get_by_role("button", name="查找").click()
    staff.get_by_role("button", name="签到 王五").click()
    expect(staff.get_by_text("王五 已签到。")).to_be_visible()
    guest = staff.get_by_role("form", name="为单位代表签到")
    guest.get_by_label("单位").select_option(label="自来水公司")
    guest.get_by_label("代表姓名").fill("周工程师")
    guest.get_by_role("button", name="为单位代表签到").click()
    expect(staff.get_by_text("到会成员 2 人")).to_be_visible()
    assert_accessible(staff)

    record(staff, "3号楼高层水压低，热水器打不着火。", "张三", "会后跟进办理，下次会议通报")
    record(staff, "下周会停水吗？", "王五", "现场答复", "下周三上午管网检修，提前两天通知。")
    assert_accessible(staff)
    pressure = Appeal.objects.get(text__startswith="3号楼高层水压低")
    assert (pressure.channel, pressure.status) == ("meeting", "referred")
    answered = Appeal.objects.get(text="下周会停水吗？")
    assert answered.outcome == "on_the_spot"

    staff.get_by_role("button", name="结束会议").click()
    staff.get_by_role("button", name="审定并公开纪要").click()
    expect(staff.get_by_role("link", name="已在公示栏公开")).to_be_visible()
    staff.get_by_role("link", name="会议纪要（A4）").click()
    expect(staff.get_by_text("3号楼高层水压低").first).to_be_visible()

    # Between meetings the company answers in linli.
    liaison.goto(f"{base}/org/appeals/")
    liaison.get_by_role("link", name=pressure.number).click()
    liaison.get_by_label(re.compile("^备注")).fill("已更换3号楼加压泵，水压恢复正常。")
    liaison.get_by_role("button", name="答复：已解决", exact=True).click()
    expect(liaison.get_by_text("已完成。")).to_be_visible()

    # The next meeting opens with the report.
    plan(staff, base, "第二次供水座谈会")
    staff.get_by_role("button", name="开始会议").click()
    report = staff.get_by_role("table", name="截至会议开始时的情况")
    expect(report).to_contain_text("3号楼高层水压低")
    expect(report).to_contain_text("已更换3号楼加压泵")
    expect(report).not_to_contain_text("下周会停水吗")
    assert_accessible(staff)

    # Staff report back; 张三 gives his verdict on his phone.
    staff.goto(f"{base}/c/xfl/appeals/{pressure.pk}/")
    staff.get_by_label(re.compile("^备注")).fill("自来水公司已更换加压泵，请您评价。")
    staff.get_by_role("button", name="向居民反馈", exact=True).click()
    resident.goto(f"{base}/me/appeals/")
    resident.get_by_role("link", name=re.compile(pressure.number)).click()
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.get_by_text("已办结").first).to_be_visible()
    assert_accessible(resident)
    pressure.refresh_from_db()
    assert (pressure.status, pressure.verdict) == ("closed", "satisfied")
