"""Preparing a campaign: only a leader, and every incomplete questionnaire refused by name with
nothing written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Grid
from linli.evaluations import actions
from linli.evaluations.models import Campaign, Question, Status
from linli.evaluations.questions import QuestionInput
from tests.world import World


def _data(world: World) -> actions.CampaignInput:
    today = timezone.localdate()
    return actions.CampaignInput(
        title="2026年居民满意度测评",
        target="adults",
        opens_on=today,
        closes_on=today + dt.timedelta(days=14),
        questions=(
            QuestionInput("环境", "satisfaction", "您对环境卫生是否满意？"),
            QuestionInput("工作人员", "staff_score", "网格员的服务", staff=world.users["staff"]),
            QuestionInput("其他", "single", "最希望改进", choices=("环境", "安全")),
        ),
    )


def _written() -> tuple[int, int, int]:
    return Campaign.objects.count(), Question.objects.count(), AuditEvent.objects.count()


def test_only_a_leader_prepares_a_campaign(world: World) -> None:
    before = _written()
    for role in ("staff", "supervisor", "welfare_reviewer", "resident", "outsider"):
        with pytest.raises(AccessDenied) as refused:
            actions.create_campaign(
                actor=world.users[role], community=world.community, data=_data(world)
            )
        assert refused.value.code == "access_denied", role
    assert _written() == before


def _refusals(world: World) -> list[tuple[dict[str, Any], str]]:
    today = timezone.localdate()
    other_grid = Grid.objects.get(community=world.other)
    one = _data(world).questions[0]
    return [
        ({"title": "   "}, "title_missing"),
        ({"target": "everyone"}, "target_unknown"),
        ({"target": "grid"}, "grid_missing"),
        ({"target": "grid", "target_grid": other_grid}, "grid_missing"),
        ({"target": "building", "target_building": " "}, "building_missing"),
        ({"closes_on": today - dt.timedelta(days=1)}, "dates_invalid"),
        ({"min_answers": 2}, "minimum_too_low"),
        ({"questions": ()}, "questions_missing"),
        ({"questions": (one, QuestionInput("其他", "essay", "写一篇"))}, "question_invalid"),
        ({"questions": (QuestionInput("环境", "satisfaction", "  "),)}, "question_invalid"),
        ({"questions": (QuestionInput("人员", "staff_score", "打分"),)}, "staff_missing"),
        (
            {"questions": (QuestionInput("其他", "single", "选一个", choices=("唯一",)),)},
            "choices_missing",
        ),
        (
            {"questions": (QuestionInput("其他", "multiple", "选几个", choices=()),)},
            "choices_missing",
        ),
    ]


def test_an_incomplete_campaign_is_refused_by_name_with_nothing_written(world: World) -> None:
    leader = world.users["leader"]
    before = _written()
    for change, code in _refusals(world):
        data = dataclasses.replace(_data(world), **change)
        with pytest.raises(DomainError) as refused:
            actions.create_campaign(actor=leader, community=world.community, data=data)
        assert refused.value.code == code, change
    assert _written() == before


def test_a_campaign_is_prepared_as_a_draft(world: World) -> None:
    data = dataclasses.replace(
        _data(world), title=" 网格测评 ", target="grid", target_grid=world.grid, min_comments=3
    )
    campaign = actions.create_campaign(
        actor=world.users["leader"], community=world.community, data=data
    )
    assert (campaign.title, campaign.status, campaign.target_grid) == (
        "网格测评",
        Status.DRAFT,
        world.grid,
    )
    # Comments about a person always need more answers than their average.
    assert (campaign.min_answers, campaign.min_comments) == (5, 6)
    assert list(campaign.questions.values_list("position", "kind")) == [
        (0, "satisfaction"),
        (1, "staff_score"),
        (2, "single"),
    ]
