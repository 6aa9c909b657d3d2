"""The appeal journey: a resident on a phone, staff, the water company, a reopening, a verdict."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from linli.appeals.models import Appeal
from tests.browser.helpers import assert_accessible, log_in
from tests.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTE = "备注（办理情况、向居民反馈的内容或原因）"


def person(browser: Browser, base: str, login: str, *, phone: bool = False) -> Page:
    viewport = {"width": 375, "height": 800} if phone else {"width": 1280, "height": 900}
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, login)
    return page


def open_appeal(page: Page, base: str, appeal: Appeal) -> None:
    page.goto(f"{base}/c/xfl/appeals/{appeal.pk}/")
    assert_accessible(page)


def act(page: Page, note: str, button: str) -> None:
    page.get_by_label(NOTE).fill(note)
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_text("已完成。")).to_be_visible()


def test_the_whole_journey(browser: Browser, base: str, world: World) -> None:
    phone = world.users["resident"].phone
    assert phone
    resident = person(browser, base, phone, phone=True)
    resident.get_by_role("link", name="我要反映问题").click()
    assert_accessible(resident)
    resident.get_by_label(re.compile("供水")).check()
    resident.get_by_label("具体情况").fill("家里从早上起就没水了，楼上楼下都一样。")
    resident.get_by_role("button", name="提交").dblclick()
    expect(resident.get_by_role("heading", level=1)).to_have_text(re.compile("诉求"))
    assert Appeal.objects.count() == 1
    appeal = Appeal.objects.get()
    assert appeal.urgency == "utility"
    assert_accessible(resident)

    staff = person(browser, base, "staff")
    staff.goto(f"{base}/c/xfl/appeals/")
    assert_accessible(staff)
    staff.get_by_role("link", name=appeal.number).click()
    # Only the steps a worker may take now: no leader's step, nothing for later.
    expect(staff.get_by_role("button", name="标记为无效")).to_have_count(0)
    expect(staff.get_by_role("button", name="向居民反馈")).to_have_count(0)
    act(staff, "已电话联系居民。", "签收（由我负责）")
    expect(staff.get_by_role("button", name="签收（由我负责）")).to_have_count(0)
    staff.get_by_label("单位").select_option(label="自来水公司")
    staff.get_by_role("button", name="转办", exact=True).click()
    expect(staff.get_by_text("已转办").first).to_be_visible()

    liaison = person(browser, base, "liaison")
    expect(liaison.get_by_role("link", name=appeal.number)).to_be_visible()
    assert_accessible(liaison)
    liaison.get_by_role("link", name=appeal.number).click()
    expect(liaison.get_by_role("button", name="添加内部备注")).to_have_count(0)
    act(liaison, "主管道爆裂已抢修，下午三点恢复供水。", "答复：已解决")

    open_appeal(staff, base, appeal)
    act(staff, "自来水公司已抢修，下午三点恢复供水。", "向居民反馈")

    resident.goto(f"{base}/me/appeals/")
    assert_accessible(resident)
    resident.get_by_role("link", name=re.compile(appeal.number)).click()
    resident.get_by_label("不满意", exact=True).check()
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.get_by_text("重办").first).to_be_visible()
    appeal.refresh_from_db()
    assert (appeal.status, appeal.reopen_count, appeal.escalated) == ("in_progress", 1, True)

    leader = person(browser, base, "leader")
    leader.goto(f"{base}/c/xfl/appeals/board/")
    expect(leader.get_by_role("link", name=appeal.number).first).to_be_visible()
    assert_accessible(leader)

    open_appeal(staff, base, appeal)
    act(staff, "水压不足，已更换减压阀。", "已解决")
    act(staff, "已更换减压阀，水压恢复正常。", "向居民反馈")

    resident.reload()
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.get_by_text("已办结").first).to_be_visible()
    assert_accessible(resident)

    leader.goto(f"{base}/c/xfl/appeals/rates/")
    assert_accessible(leader)
    row = leader.get_by_role("row", name=re.compile("幸福里社区"))
    expect(row).to_contain_text("100.0%")
    expect(row).to_contain_text("(1/1)")
