"""The main journeys as a person takes them, in Chromium, with axe-core checking each page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from linli.people.models import ImportJob, Resident
from tests.browser.helpers import assert_accessible, log_in
from tests.workbooks import sample_rows, xlsx
from tests.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_finds_imports_and_sees_a_rejected_workbook(
    page: Page, base: str, world: World, tmp_path: Path
) -> None:
    log_in(page, base, "staff")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("幸福里社区"))
    assert_accessible(page)

    # Find 张三 by the initials of his name; the results update as one types.
    page.get_by_label("查找居民").fill("zs")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="张三")).to_be_visible()
    expect(results.get_by_role("link", name="李秀英")).to_have_count(0)
    assert "zs" not in page.url  # searches are posted: nothing typed lands in the URL
    assert_accessible(page)
    results.get_by_role("link", name="张三").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("张三")
    expect(page.get_by_text("1101**********")).to_be_visible()
    assert_accessible(page)

    # Import a good workbook.
    good = tmp_path / "居民.xlsx"
    good.write_bytes(xlsx(sample_rows(20)))
    page.get_by_role("link", name="幸福里社区").first.click()
    page.get_by_role("navigation", name="社区").get_by_role("link", name="导入").click()
    assert_accessible(page)
    page.get_by_label("工作簿（.xlsx）或 .csv 文件").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("20 位新居民")).to_be_visible()
    assert_accessible(page)
    assert Resident.objects.filter(name__startswith="测试").count() == 20

    # A broken workbook: every problem listed by row, nothing imported.
    rows = sample_rows(5, start_seq=800)
    rows[1][1] = "110105"
    rows[3][2] = "1234"
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(xlsx(rows))
    page.get_by_role("link", name="上传更正后的文件").or_(
        page.get_by_role("link", name="导入居民")
    ).first.click()
    page.get_by_label("工作簿（.xlsx）或 .csv 文件").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_role("heading", name=re.compile("未导入任何数据"))).to_be_visible()
    table = page.get_by_role("table", name="按行列出的问题")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text("身份证号码")
    expect(table).to_contain_text("手机号码")
    assert_accessible(page)
    assert Resident.objects.filter(name__startswith="测试").count() == 20
    assert ImportJob.objects.filter(status="rejected").count() == 1


def test_a_resident_on_a_phone_switches_to_large_font(page: Page, base: str, world: World) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    phone = world.users["resident"].phone
    assert phone
    log_in(page, base, phone)
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，张三")
    expect(page.get_by_text("李秀英")).to_be_visible()
    assert_accessible(page)

    def font_size() -> float:
        return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))

    normal = font_size()
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html")).to_have_class("large-font")
    assert font_size() > normal * 1.2
    expect(page.get_by_role("button", name="大字模式")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)
    page.reload()
    expect(page.locator("html")).to_have_class("large-font")
    # Nothing wider than the phone's screen: no sideways scrolling for old eyes.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
