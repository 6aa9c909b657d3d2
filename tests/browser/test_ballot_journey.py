"""A branch appraises six members: twenty voters, some on phones, some on paper through two
tellers; the count, the bulletin and the notice; a voter finds their receipt."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from linli.ballots import actions
from linli.ballots.models import Ballot, CastBallot
from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from tests.ballots.helpers import grades, voter
from tests.browser.helpers import assert_accessible, log_in
from tests.world import World, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MEMBERS = ["党员甲", "党员乙", "党员丙", "党员丁", "党员戊", "党员己"]


def person(browser: Browser, base: str, login: str, *, phone: bool = False) -> Page:
    viewport = {"width": 375, "height": 800} if phone else {"width": 1280, "height": 900}
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, login)
    return page


def grade_all(page: Page, excellent: str) -> None:
    for name in MEMBERS:
        page.get_by_role("group", name=name).get_by_label(
            "优秀" if name == excellent else "合格", exact=True
        ).check()


def test_an_appraisal_with_phones_and_paper(browser: Browser, base: str, world: World) -> None:
    # Twenty party members: 张三, 17 with phones, 2 without.
    phones = [voter(world, tags=("party_member",)) for _ in range(17)]
    paper = [voter(world, tags=("party_member",), account=False) for _ in range(2)]
    second_teller = make_user("teller2")
    grant_role(actor=SYSTEM, user=second_teller, role="teller", community=world.community)

    leader = person(browser, base, "leader")
    leader.goto(f"{base}/c/xfl/ballots/")
    assert_accessible(leader)
    leader.get_by_role("link", name="准备投票").click()
    leader.get_by_label("投票类型").select_option(label="民主评议党员")
    leader.get_by_label("标题").fill("2026年度民主评议党员")
    leader.get_by_label(re.compile("^投票人")).select_option(label="党员")
    leader.get_by_label(re.compile("^候选人或参评党员")).fill("\n".join(MEMBERS))
    assert_accessible(leader)
    leader.get_by_role("button", name="保存草稿").click()
    leader.get_by_role("button", name="开始投票").click()
    expect(leader.get_by_text("投票中").first).to_be_visible()
    ballot = Ballot.objects.get()
    assert ballot.roll.count() == 20

    # 张三 votes on his phone and keeps his receipt.
    zhang_phone = world.users["resident"].phone
    assert zhang_phone
    zhang = person(browser, base, zhang_phone, phone=True)
    zhang.goto(f"{base}/me/ballots/")
    assert_accessible(zhang)
    zhang.get_by_role("link", name="投票", exact=True).click()
    assert_accessible(zhang)
    # Three excellent is more than one third of six: refused, nothing recorded.
    for name in MEMBERS:
        zhang.get_by_role("group", name=name).get_by_label(
            "优秀" if name in MEMBERS[:3] else "合格", exact=True
        ).check()
    zhang.get_by_role("button", name="投出我的选票").click()
    expect(zhang.get_by_role("listitem").filter(has_text="最多 2")).to_be_visible()
    assert CastBallot.objects.count() == 0
    grade_all(zhang, "党员甲")
    zhang.get_by_role("button", name="投出我的选票").click()
    receipt = zhang.locator(".receipt code").inner_text()
    assert len(receipt) == 10
    assert_accessible(zhang)

    # Another member on a phone.
    assert phones[0].user is not None
    other = person(browser, base, phones[0].user.username, phone=True)
    other.goto(f"{base}/c/xfl/ballots/{ballot.pk}/vote/")
    grade_all(other, "党员乙")
    other.get_by_role("button", name="投出我的选票").click()
    expect(other.locator(".receipt code")).to_be_visible()

    # The rest with phones vote too (through the same action the page calls).
    for member in phones[1:]:
        actions.cast_ballot(actor=member.user, ballot=ballot, content=grades(ballot, 2))

    # Two members without phones take paper sheets from staff.
    staff = person(browser, base, "staff")
    for member in paper:
        staff.goto(f"{base}/c/xfl/ballots/{ballot.pk}/")
        staff.get_by_label(re.compile("^居民")).fill(member.name)
        staff.get_by_role("button", name="纸质投票").click()
        expect(staff.get_by_text(f"{member.name} 使用纸质选票投票。")).to_be_visible()
    assert_accessible(staff)

    leader.reload()
    leader.get_by_role("button", name="结束投票").click()

    # Two tellers type in the two sheets, each on their own.
    for login in ("teller", "teller2"):
        teller = person(browser, base, login)
        teller.goto(f"{base}/c/xfl/ballots/{ballot.pk}/paper/")
        assert_accessible(teller)
        for sheet, excellent in (("001", "党员丙"), ("002", "党员丁")):
            teller.get_by_label("选票编号").fill(sheet)
            grade_all(teller, excellent)
            teller.get_by_role("button", name="录入选票").click()
            expect(teller.get_by_text("选票已录入。")).to_be_visible()
    assert CastBallot.objects.filter(on_paper=True).count() == 2

    leader.reload()
    leader.get_by_role("button", name="计票").click()
    expect(leader.get_by_role("heading", name="结果")).to_be_visible()
    assert_accessible(leader)
    leader.get_by_role("button", name="公布结果").click()
    expect(leader.get_by_role("link", name="已在公示栏公开")).to_be_visible()
    ballot.refresh_from_db()
    assert ballot.results["cast"] == 20
    assert ballot.results["grades"]["all"][str(ballot.candidates.first().pk)]["excellent"] == 1  # type: ignore[union-attr]

    # The notice is on the public board; 张三 finds his receipt on the bulletin.
    leader.get_by_role("link", name="已在公示栏公开").click()
    expect(leader.get_by_text("党员甲").first).to_be_visible()
    zhang.goto(f"{base}/b/xfl/{ballot.pk}/")
    assert_accessible(zhang)
    zhang.get_by_label("您的回执码").fill(receipt.lower())
    zhang.get_by_role("button", name="查找我的选票").click()
    expect(zhang.get_by_role("status")).to_contain_text(receipt)
    expect(zhang.get_by_role("status")).to_contain_text("党员甲 优秀")
