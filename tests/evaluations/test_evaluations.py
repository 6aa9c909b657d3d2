"""Evaluations: one voice each, nothing linking an answer to a resident, thresholds and
subtraction-hiding, paper batches, results and improvement tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from linli.core.errors import AccessDenied, DomainError
from linli.evaluations import actions, privacy
from linli.evaluations.models import Answer, Response, RollEntry
from linli.evaluations.questions import parse_questions
from linli.evaluations.results import compute_results
from linli.people.models import Resident
from tests.ballots.helpers import voter
from tests.evaluations.helpers import QUESTIONS, make, sheet
from tests.world import World


def test_groups_too_small_are_hidden_and_cannot_be_subtracted() -> None:
    # One small group: hiding it alone would let total − others reveal it.
    assert privacy.visible_groups({"a": 10, "b": 2, "c": 7}, 5) == {"a"}
    # Two small groups together (3) are still too few: the next smallest goes too.
    assert privacy.visible_groups({"a": 10, "b": 2, "c": 1, "d": 8}, 5) == {"a"}
    # Hidden groups that hold enough together need no more cover.
    assert privacy.visible_groups({"a": 10, "b": 3, "c": 4, "d": 8}, 5) == {"a", "d"}
    # Groups with nobody reveal nothing and need no cover.
    assert privacy.visible_groups({"a": 6, "b": 0, "c": 7}, 5) == {"a", "c"}
    # Too few overall: nothing.
    assert privacy.visible_groups({"a": 2, "b": 1}, 5) == set()
    # The minimum is never below three.
    assert privacy.visible_groups({"a": 2, "b": 3}, 1) == set()
    assert privacy.person_average_visible(4, 5) is False
    assert privacy.person_average_visible(5, 5) is True
    assert privacy.person_average_visible(2, 1) is False
    assert privacy.person_comments_visible(7, 8, 5) is False
    assert privacy.person_comments_visible(8, 8, 5) is True


def test_questions_are_parsed_with_clear_refusals(world: World) -> None:
    questions = parse_questions(world.community, QUESTIONS, every_staff_member=True)
    assert [q.kind for q in questions][:5] == [
        "satisfaction",
        "satisfaction",
        "staff_score",
        "single",
        "text",
    ]
    assert questions[3].choices == ("环境", "安全", "养老")
    assert any(q.staff == world.users["leader"] for q in questions)  # added for every staff member
    with pytest.raises(DomainError) as bad:
        parse_questions(world.community, "环境 | 满意 | 缺少类型")
    assert bad.value.code == "question_line"
    with pytest.raises(DomainError) as nobody:
        parse_questions(world.community, "人员 | staff | 打分 | nosuchlogin")
    assert nobody.value.code == "question_staff"


def test_one_voice_each_and_nothing_links_an_answer_to_a_resident(world: World) -> None:
    campaign = actions.open_campaign(actor=world.users["leader"], campaign=make(world))
    zhang = world.users["resident"]
    with pytest.raises(DomainError) as out_of_range:
        actions.answer_campaign(actor=zhang, campaign=campaign, raw=sheet(campaign, 4, 120))
    assert out_of_range.value.code == "score_invalid"
    assert not Response.objects.exists()
    actions.answer_campaign(
        actor=zhang, campaign=campaign, raw=sheet(campaign, 4, 90, text="多装路灯")
    )
    with pytest.raises(DomainError) as twice:
        actions.answer_campaign(actor=zhang, campaign=campaign, raw=sheet(campaign, 4, 90))
    assert twice.value.code == "already_answered"
    late = voter(world)
    with pytest.raises(DomainError) as not_asked:
        actions.answer_campaign(actor=late.user, campaign=campaign, raw=sheet(campaign, 4, 90))
    assert not_asked.value.code == "not_on_roll"
    with pytest.raises(AccessDenied):
        actions.answer_campaign(
            actor=world.users["staff"], campaign=campaign, raw=sheet(campaign, 4, 90)
        )
    # The schema holds no way back from an answer to a person, nor a time of day.
    for model in (Response, Answer):
        fields = model._meta.get_fields()
        related = {f.related_model for f in fields if f.is_relation and not f.auto_created}
        assert related <= {
            apps.get_model("evaluations", "Campaign"),
            apps.get_model("evaluations", "Response"),
            apps.get_model("evaluations", "Question"),
            apps.get_model("evaluations", "PaperBatch"),
            apps.get_model("core", "Grid"),
        }, model
        assert not any(isinstance(f, models.DateTimeField) for f in fields), model
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert not any(isinstance(f, models.DateTimeField) for f in RollEntry._meta.get_fields())
    stored = Response.objects.values().get()
    assert set(stored) == {
        "id",
        "campaign_id",
        "day",
        "grid_id",
        "building",
        "on_paper",
        "batch_id",
    }


def test_not_yet_open_and_closed_campaigns_take_no_answers(world: World) -> None:
    today = timezone.localdate()
    later = actions.open_campaign(
        actor=world.users["leader"],
        campaign=make(
            world, opens_on=today + dt.timedelta(days=3), closes_on=today + dt.timedelta(days=9)
        ),
    )
    with pytest.raises(DomainError) as early:
        actions.answer_campaign(
            actor=world.users["resident"], campaign=later, raw=sheet(later, 5, 80)
        )
    assert early.value.code == "campaign_closed"
    draft = make(world)
    with pytest.raises(DomainError):
        actions.answer_campaign(
            actor=world.users["resident"], campaign=draft, raw=sheet(draft, 5, 80)
        )


def test_one_answer_per_household(world: World) -> None:
    from linli.core.access import SYSTEM
    from linli.people.actions import link_resident_account
    from tests.world import make_user

    campaign = actions.open_campaign(
        actor=world.users["leader"], campaign=make(world, target="households")
    )
    spouse = Resident.objects.get(name="李秀英")
    link_resident_account(actor=SYSTEM, resident=spouse, user=make_user("spouse"))
    actions.answer_campaign(
        actor=world.users["resident"], campaign=campaign, raw=sheet(campaign, 5, 80)
    )
    with pytest.raises(DomainError) as same_household:
        actions.answer_campaign(actor=spouse.user, campaign=campaign, raw=sheet(campaign, 5, 80))
    assert same_household.value.code == "household_answered"
    assert Response.objects.count() == 1


def test_paper_batches_are_checked_by_someone_else(world: World) -> None:
    staff, leader = world.users["staff"], world.users["leader"]
    campaign = actions.open_campaign(actor=leader, campaign=make(world))
    actions.hand_out_paper(actor=staff, campaign=campaign, resident=world.residents["wang"])
    with pytest.raises(DomainError):
        actions.hand_out_paper(actor=staff, campaign=campaign, resident=world.residents["wang"])
    batch = actions.start_batch(actor=staff, campaign=campaign, sheets=2)
    actions.enter_sheet(actor=staff, batch=batch, raw=sheet(campaign, 2, 50))
    with pytest.raises(DomainError) as short:
        actions.check_batch(actor=leader, batch=batch)
    assert short.value.code == "batch_mismatch"
    actions.enter_sheet(actor=staff, batch=batch, raw=sheet(campaign, 1, 40))
    with pytest.raises(DomainError) as full:
        actions.enter_sheet(actor=staff, batch=batch, raw=sheet(campaign, 1, 40))
    assert full.value.code == "batch_full"
    with pytest.raises(DomainError) as self_check:
        actions.check_batch(actor=staff, batch=batch)
    assert self_check.value.code == "same_person"
    unchecked = actions.start_batch(actor=staff, campaign=campaign, sheets=1)
    actions.enter_sheet(actor=staff, batch=unchecked, raw=sheet(campaign, 5, 100))
    actions.check_batch(actor=leader, batch=batch)
    with pytest.raises(DomainError) as waiting:
        actions.close_campaign(actor=leader, campaign=campaign)
    assert waiting.value.code == "batches_unchecked"
    actions.check_batch(actor=leader, batch=unchecked)
    closed = actions.close_campaign(actor=leader, campaign=campaign)
    assert closed.results["responses"] == 3


def test_results_thresholds_and_improvement_tasks(world: World) -> None:
    leader = world.users["leader"]
    people = [voter(world) for _ in range(5)]
    campaign = actions.open_campaign(actor=leader, campaign=make(world))
    # Five answers; one leaves the staff score blank, so it has four: hidden (five needed).
    for person, level, score in zip(people, (2, 2, 3, 1, 2), (60, 60, 60, 60, None), strict=True):
        actions.answer_campaign(
            actor=person.user, campaign=campaign, raw=sheet(campaign, level, score)
        )
    closed = actions.close_campaign(actor=leader, campaign=campaign)
    items = {q["text"]: q for q in closed.results["questions"]}
    environment = items["您对小区环境卫生是否满意？"]
    assert environment["distribution"] == {"5": 0, "4": 0, "3": 1, "2": 3, "1": 1}
    assert environment["score"] == "20.0"  # 1 of 5 at least basically satisfied
    assert environment["average"] == "2.0"
    staff_item = items["网格员的服务"]
    assert staff_item["hidden"] is True
    assert "average" not in staff_item
    # The environment item is under 70: it became a task; safety (all 5) did not.
    titles = set(closed.tasks.values_list("title", flat=True))
    assert titles == {"您对小区环境卫生是否满意？"}
    task = closed.tasks.get()
    with pytest.raises(DomainError):
        actions.update_task(actor=world.users["staff"], task=task, done=True)  # no progress yet
    actions.update_task(
        actor=leader, task=task, plan="增加保洁频次", progress="已增加每日两次清扫", done=True
    )
    task.refresh_from_db()
    assert task.status == "done"
    assert task.notice is not None
    # The next campaign is compared with this one.
    second = actions.open_campaign(actor=leader, campaign=make(world, title="2026年第二次测评"))
    for person in people:
        actions.answer_campaign(actor=person.user, campaign=second, raw=sheet(second, 5, 90))
    second = actions.close_campaign(actor=leader, campaign=second)
    after = {q["text"]: q for q in second.results["questions"]}
    assert after["您对小区环境卫生是否满意？"]["change"] == "80.0"  # from 20 to 100
    assert after["网格员的服务"]["average"] == "90.0"  # five answers now
    assert second.results["previous"] == "2026年居民满意度测评"


def test_improvement_tasks_are_reported_at_the_next_meetings(world: World) -> None:
    from linli.meetings.actions import close_meeting
    from linli.meetings.models import ReportItem
    from tests.meetings.helpers import opened

    leader = world.users["leader"]
    neighbours = [voter(world) for _ in range(4)]
    campaign = actions.open_campaign(actor=leader, campaign=make(world))
    for person in neighbours:
        actions.answer_campaign(actor=person.user, campaign=campaign, raw=sheet(campaign, 1, 50))
    actions.answer_campaign(
        actor=world.users["resident"], campaign=campaign, raw=sheet(campaign, 1, 50)
    )
    campaign = actions.close_campaign(actor=leader, campaign=campaign)
    task = campaign.tasks.get(title="您对小区环境卫生是否满意？")
    first = opened(world, topic="第一次会议")
    item = ReportItem.objects.get(meeting=first, source_key=f"evaluation-task:{task.pk}")
    assert (item.finished, item.status, item.raised_at_meeting) == (
        False,
        "task_open",
        "2026年居民满意度测评",
    )
    close_meeting(actor=world.users["staff"], meeting=first)
    actions.update_task(actor=leader, task=task, progress="增加了保洁频次", done=True)
    second = opened(world, topic="第二次会议")
    done = ReportItem.objects.get(meeting=second, source_key=f"evaluation-task:{task.pk}")
    assert done.finished
    assert "增加了保洁频次" in done.done
    close_meeting(actor=world.users["staff"], meeting=second)
    third = opened(world, topic="第三次会议")
    assert not ReportItem.objects.filter(
        meeting=third, source_key=f"evaluation-task:{task.pk}"
    ).exists()


def test_choices_are_counted_with_few_and_many_choices(world: World) -> None:
    leader = world.users["leader"]
    questions = parse_questions(
        world.community,
        "其他 | single | 最希望改进 | 环境;安全;养老\n"
        "其他 | single | 从哪里知道 | 一;二;三;四;五;六;七;八",
    )
    people = [voter(world) for _ in range(4)]  # on the roll when it opens
    campaign = actions.open_campaign(actor=leader, campaign=make(world, questions=questions))
    few, many = (q.pk for q in campaign.questions.order_by("position"))
    for person, (a, b) in zip(people, [(0, 7), (2, 0), (0, 5), (1, 7)], strict=True):
        actions.answer_campaign(actor=person.user, campaign=campaign, raw={few: a, many: b})
    results = {q["id"]: q for q in compute_results(campaign)["questions"]}
    assert results[few]["counts"] == [2, 1, 1]  # from the one aggregate (0 is the rest)
    assert results[many]["counts"] == [1, 0, 0, 0, 0, 1, 0, 2]  # its own count
