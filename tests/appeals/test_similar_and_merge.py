"""Similar open appeals are suggested; a merged duplicate's resident still has their say."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.appeals import actions
from linli.appeals.models import Status
from linli.appeals.similar import similar_open_appeals, text_similarity
from linli.core.errors import DomainError
from linli.core.models import Notification
from tests.appeals.helpers import appeal, categories
from tests.world import World


def test_text_similarity_of_chinese() -> None:
    assert text_similarity("楼道灯坏了", "楼道的灯坏了") > 0.4
    assert text_similarity("楼道灯坏了", "小区门口垃圾没人清运") == 0


def test_similar_appeals_are_suggested(world: World) -> None:
    first = appeal(world, text="3号楼楼道灯坏了，晚上看不见")
    unrelated = appeal(
        world,
        text="想申请养老助餐服务",
        category=categories()["water"],
        building="5",
        entrance="1",
        room="101",
    )
    second = appeal(
        world,
        actor=world.users["staff"],
        channel="phone",
        text="楼道灯坏了好几天",
        resident=world.residents["wang"],
        building="3",
        entrance="2",
        room="501",
    )
    matches = similar_open_appeals(second)
    assert [m.appeal for m in matches] == [first]
    assert matches[0].same_place
    assert unrelated not in [m.appeal for m in similar_open_appeals(first)]


def test_a_merged_residents_own_dissatisfaction_reopens_the_main_case(world: World) -> None:
    staff = world.users["staff"]
    main = appeal(
        world,
        actor=staff,
        channel="phone",
        text="楼道灯坏了",
        resident=world.residents["wang"],
        building="5",
        entrance="1",
        room="101",
    )
    duplicate = appeal(world, text="楼道的灯坏了")  # the logged-in resident's
    actions.merge_appeal(actor=staff, duplicate=duplicate, into=main)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Status.MERGED, main)
    assert list(main.merged_residents.all()) == [world.users["resident"]]
    with pytest.raises(DomainError):
        actions.merge_appeal(actor=staff, duplicate=duplicate, into=main)

    main = actions.accept_appeal(actor=staff, appeal=main)
    main = actions.resolve_appeal(actor=staff, appeal=main, note="已换灯泡")
    main = actions.report_back(actor=staff, appeal=main, note="已换灯泡")
    assert Notification.objects.filter(
        code="appeals.reported_back", user=world.users["resident"]
    ).exists()
    duplicate.refresh_from_db()
    assert duplicate.status == Status.REPORTED
    actions.give_verdict(actor=world.users["resident"], appeal=duplicate, verdict="dissatisfied")
    duplicate.refresh_from_db()
    main.refresh_from_db()
    assert (duplicate.status, duplicate.verdict) == (Status.CLOSED, "dissatisfied")
    assert (main.status, main.reopen_count, main.escalated) == (Status.IN_PROGRESS, 1, True)


def test_staff_see_similar_appeals_while_typing(world: World, client) -> None:  # type: ignore[no-untyped-def]
    appeal(world, text="3号楼楼道灯坏了，晚上看不见")
    client.force_login(world.users["staff"])
    url = reverse("appeals:similar", args=["xfl"])
    found = client.get(
        url,
        {"text": "楼道灯坏了好几天", "building": "3", "category": categories()["environment"].pk},
    ).content.decode()
    assert "楼道灯坏了" in found
    assert "同一楼栋" in found
    assert (
        client.get(url, {"text": "想申请助餐服务", "category": "x"}).content.decode().strip() == ""
    )
