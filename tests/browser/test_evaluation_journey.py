"""A leader runs a satisfaction campaign: residents answer on phones (one tries twice), staff
enter five paper sheets checked by a colleague, the campaign closes, results appear and a
low-scoring item becomes an improvement task."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from linli.evaluations.models import Campaign, Response, Task
from tests.ballots.helpers import voter
from tests.browser.helpers import assert_accessible, log_in
from tests.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUESTIONS = "环境 | 满意度 | 您对小区环境卫生是否满意？\n安全 | 满意度 | 您对小区治安是否满意？"


def person(browser: Browser, base: str, login: str, *, phone: bool = False) -> Page:
    viewport = {"width": 375, "height": 800} if phone else {"width": 1280, "height": 900}
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, login)
    return page


def answer(page: Page, environment: str, safety: str) -> None:
    page.get_by_role("group", name=re.compile("环境卫生")).get_by_label(
        environment, exact=True
    ).check()
    page.get_by_role("group", name=re.compile("治安")).get_by_label(safety, exact=True).check()


def test_a_satisfaction_campaign(browser: Browser, base: str, world: World) -> None:
    others = [voter(world) for _ in range(3)]
    leader = person(browser, base, "leader")
    leader.goto(f"{base}/c/xfl/evaluations/")
    assert_accessible(leader)
    leader.get_by_role("link", name="准备测评").click()
    leader.get_by_label("标题").fill("2026年冬季居民满意度测评")
    today = timezone.localdate()
    leader.get_by_label("开始日期").fill(today.isoformat())
    leader.get_by_label("结束日期").fill((today + dt.timedelta(days=14)).isoformat())
    leader.get_by_label(re.compile("^题目")).fill(QUESTIONS)
    assert_accessible(leader)
    leader.get_by_role("button", name="保存草稿").click()
    leader.get_by_role("button", name="开始测评").click()
    expect(leader.get_by_text("作答中").first).to_be_visible()
    campaign = Campaign.objects.get()

    # 张三 answers on his phone, then tries again.
    phone = world.users["resident"].phone
    assert phone
    zhang = person(browser, base, phone, phone=True)
    zhang.goto(f"{base}/me/evaluations/")
    assert_accessible(zhang)
    zhang.get_by_role("link", name="填写").click()
    assert_accessible(zhang)
    answer(zhang, "不满意", "满意")
    zhang.get_by_role("button", name="提交答卷").click()
    expect(zhang.get_by_text("您的答卷已计入")).to_be_visible()
    zhang.goto(f"{base}/c/xfl/evaluations/{campaign.pk}/answer/")
    expect(zhang.get_by_text("您已作答。")).to_be_visible()
    assert Response.objects.count() == 1
    for other in others:
        assert other.user is not None
        page = person(browser, base, other.user.username, phone=True)
        page.goto(f"{base}/c/xfl/evaluations/{campaign.pk}/answer/")
        answer(page, "非常不满意", "非常满意")
        page.get_by_role("button", name="提交答卷").click()
        expect(page.get_by_text("您的答卷已计入")).to_be_visible()
        page.context.close()

    # Staff type in five paper sheets; the leader checks the batch.
    staff = person(browser, base, "staff")
    staff.goto(f"{base}/c/xfl/evaluations/{campaign.pk}/")
    staff.get_by_label("本批次答卷份数").fill("5")
    staff.get_by_role("button", name="录入一批纸质答卷").click()
    assert_accessible(staff)
    for _ in range(5):
        answer(staff, "不满意", "满意")
        staff.get_by_role("button", name="录入答卷").click()
        expect(staff.get_by_text("答卷已录入。")).to_be_visible()
    batch_url = staff.url
    leader.goto(batch_url)
    leader.get_by_role("button", name=re.compile("已复核")).click()
    expect(leader.get_by_text("批次已复核")).to_be_visible()

    leader.get_by_role("button", name="结束并统计结果").click()
    results = leader.get_by_role("table", name="全部题目")
    expect(results).to_contain_text("您对小区环境卫生是否满意？")
    assert_accessible(leader)
    campaign.refresh_from_db()
    assert campaign.results["responses"] == 9
    task = Task.objects.get()
    assert task.title == "您对小区环境卫生是否满意？"
    expect(
        leader.get_by_role("heading", name=re.compile("您对小区环境卫生是否满意"))
    ).to_be_visible()
