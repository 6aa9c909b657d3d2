"""Notice board journey: publish with a 7-day period, a resident objects, the leader answers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from linli.notices.models import Notice, Objection
from tests.browser.helpers import assert_accessible, log_in
from tests.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OBJECTION = "李某家里有两辆汽车，不符合低保条件。"


def test_publish_object_answer_and_the_public_page(
    page: Page, browser: Browser, base: str, world: World
) -> None:
    # The leader publishes welfare publicity with the usual 7-day period.
    log_in(page, base, "leader")
    page.goto(f"{base}/c/xfl/notices/")
    assert_accessible(page)
    page.get_by_role("link", name="发布公告").click()
    page.get_by_label("公告类型").select_option("welfare")
    page.get_by_label("标题").fill("2026年12月低保审核公示")
    page.get_by_label("正文").fill("经入户调查和民主评议，以下家庭拟纳入最低生活保障。")
    page.get_by_label("表格").fill("李某 3 1260")
    assert_accessible(page)
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026年12月低保审核公示")
    notice = Notice.objects.get()
    assert notice.period_days == 7

    # A resident, on a phone, files an objection.
    resident = browser.new_page(viewport={"width": 375, "height": 760})
    phone = world.users["resident"].phone
    assert phone
    log_in(resident, base, phone)
    resident.goto(f"{base}/n/xfl/")
    resident.get_by_role("link", name="2026年12月低保审核公示").click()
    expect(resident.get_by_text(re.compile("公示期：截至"))).to_be_visible()
    assert_accessible(resident)
    resident.get_by_role("link", name="提出异议").click()
    resident.get_by_label("您的异议").fill(OBJECTION)
    assert_accessible(resident)
    resident.get_by_role("button", name="提交异议").click()
    expect(resident.get_by_text(re.compile("已收到您"))).to_be_visible()
    receipt_url = resident.url
    assert Objection.objects.get().objector == world.users["resident"]

    # The leader sees it in the messages and answers.
    page.goto(f"{base}/inbox/")
    expect(page.get_by_role("link", name=re.compile("异议"))).to_be_visible()
    page.get_by_role("link", name=re.compile("异议")).first.click()
    expect(page.get_by_text(OBJECTION)).to_be_visible()
    page.get_by_label("答复").fill("已复核：两辆汽车均为他人所有，经民主评议维持原意见。")
    page.get_by_role("button", name="发送答复").click()
    expect(page.get_by_text("已答复").first).to_be_visible()
    assert_accessible(page)

    # The objector reads the answer on the receipt page.
    resident.goto(receipt_url)
    expect(resident.get_by_text("已复核")).to_be_visible()

    # Someone who is not logged in sees the notice, and neither the objection nor its author.
    public = browser.new_page()
    public.goto(f"{base}/n/xfl/")
    public.get_by_role("link", name="2026年12月低保审核公示").click()
    expect(public.get_by_role("cell", name="李某")).to_be_visible()
    body = public.content()
    assert OBJECTION not in body
    assert world.users["resident"].full_name not in body
    assert "测试resident" not in body
    assert_accessible(public)
    public.get_by_role("link", name="打印（A4）").click()
    expect(public.get_by_text("（公章）")).to_be_visible()
