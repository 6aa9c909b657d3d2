"""A retired party member is in hospital: recorded by the leader, the grid worker sees the
visit due, visits with relief and a need found, and the need opens a temporary-relief
application."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from linli.care import actions
from linli.care.models import Visit
from linli.welfare.models import Application as WelfareApplication
from tests.browser.helpers import assert_accessible, log_in
from tests.care.test_care import person
from tests.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def staff_page(browser: Browser, base: str, login: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, login)
    return page


def test_a_hospital_visit(browser: Browser, base: str, world: World) -> None:
    actions.set_policy(
        actor=world.users["leader"],
        community=world.community,
        tag="retired_party_member",
        every_days=90,
    )
    veteran = person(world, "老党员刘", dt.date(1942, 3, 1), ["retired_party_member"], 5)
    actions.record_visit(
        actor=world.users["staff"],
        resident=veteran,
        data=actions.VisitInput(
            visited_on=timezone.localdate() - dt.timedelta(days=20),
            place="home",
            visitors=(world.users["staff"],),
        ),
        idempotency_key="earlier",
    )

    leader = staff_page(browser, base, "leader")
    leader.goto(f"{base}/c/xfl/care/")
    assert_accessible(leader)
    leader.get_by_role("link", name="老党员刘").click()
    event = leader.get_by_role("form", name="登记事件")
    event.get_by_label(re.compile("^发生了什么")).select_option(label="住院")
    event.get_by_label(re.compile("^日期")).fill(timezone.localdate().isoformat())
    event.get_by_role("button", name="登记").click()
    expect(leader.get_by_text("已登记；近期需走访。")).to_be_visible()
    assert_accessible(leader)

    worker = staff_page(browser, base, "staff")
    worker.goto(f"{base}/c/xfl/care/due/")
    assert_accessible(worker)
    expect(worker.get_by_role("link", name="老党员刘")).to_be_visible()
    worker.get_by_role("link", name="老党员刘").click()
    form = worker.get_by_role("form", name="登记走访")
    form.get_by_label(re.compile("^走访方式")).select_option(label="医院探望")
    form.get_by_label(re.compile("^健康状况")).fill("心衰住院，精神尚可")
    form.get_by_label(re.compile("^需求")).fill("医药费负担重，需申请临时救助")
    form.get_by_label(re.compile("^慰问形式")).select_option(label="现金")
    form.get_by_label(re.compile("^金额或价值")).fill("500")
    form.get_by_role("button", name="保存走访").dblclick()
    expect(worker.get_by_text("已登记走访。")).to_be_visible()
    assert Visit.objects.filter(resident=veteran).count() == 2  # one, despite the double click
    assert_accessible(worker)

    relief = worker.get_by_role("form", name=re.compile("^申请临时救助")).first
    relief.get_by_label(re.compile("如实申报承诺书")).check()
    relief.get_by_label(re.compile("核对家庭经济状况")).check()
    relief.get_by_role("button", name="申请临时救助").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text(re.compile("救助申请"))
    assert_accessible(worker)
    application = WelfareApplication.objects.get(applicant=veteran)
    assert application.programme.kind == "temporary"
    visit = Visit.objects.filter(resident=veteran).order_by("-pk").first()
    assert visit is not None
    assert visit.application == application
    assert visit.relief_amount == 500
