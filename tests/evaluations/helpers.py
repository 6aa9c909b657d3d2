"""Evaluation campaigns and answer sheets for tests, made through the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from linli.evaluations import actions
from linli.evaluations.models import Campaign
from linli.evaluations.questions import parse_questions
from tests.world import World

QUESTIONS = """环境 | satisfaction | 您对小区环境卫生是否满意？
安全 | 满意度 | 您对小区治安是否满意？
工作人员 | staff | 网格员的服务 | staff
其他 | single | 最希望改进 | 环境;安全;养老
其他 | text | 您的建议"""


def make(world: World, **overrides: Any) -> Campaign:
    """A draft campaign of 幸福里 asking every adult, open from today for two weeks."""
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "title": "2026年居民满意度测评",
        "target": "adults",
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=14),
        "questions": parse_questions(world.community, QUESTIONS),
    }
    fields.update(overrides)
    return actions.create_campaign(
        actor=world.users["leader"], community=world.community, data=actions.CampaignInput(**fields)
    )


def sheet(
    campaign: Campaign, level: int, score: int | None, choice: int = 0, text: str = ""
) -> dict[int, Any]:
    """Answers to the questions of `make`, by question id."""
    q = {
        question.kind + str(question.position): question.pk for question in campaign.questions.all()
    }
    return {
        q["satisfaction0"]: level,
        q["satisfaction1"]: 5,
        q["staff_score2"]: score,
        q["single3"]: choice,
        q["text4"]: text,
    }


def closed(world: World, **overrides: Any) -> Campaign:
    """A campaign opened, answered once (by 张三) and closed."""
    leader = world.users["leader"]
    campaign = actions.open_campaign(actor=leader, campaign=make(world, **overrides))
    actions.answer_campaign(
        actor=world.users["resident"], campaign=campaign, raw=sheet(campaign, 1, 50)
    )
    return actions.close_campaign(actor=leader, campaign=campaign)
