"""Demo evaluation for 幸福里社区: a satisfaction campaign open for answers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.core.models import Community, User
from linli.core.roles import EVALUATION_ORGANISERS
from linli.evaluations import actions
from linli.evaluations.models import Campaign
from linli.evaluations.questions import parse_questions

QUESTIONS = """环境卫生 | 满意度 | 您对小区环境卫生是否满意？
治安 | 满意度 | 您对小区治安状况是否满意？
服务 | 满意度 | 您对社区工作人员的服务态度是否满意？
养老 | 满意度 | 您对社区养老服务是否满意？
其他 | 单选 | 您最希望社区改进哪方面工作？ | 环境卫生;治安;养老服务;文体活动
其他 | 文字 | 您对社区工作还有什么意见和建议？"""


def load_demo_evaluations(community: Community) -> int:
    if Campaign.objects.filter(community=community).exists():
        return 0
    leader = User.objects.filter(
        roles__role__in=EVALUATION_ORGANISERS, roles__community=community
    ).first()
    if leader is None:
        return 0
    today = timezone.localdate()
    campaign = actions.create_campaign(
        actor=leader,
        community=community,
        data=actions.CampaignInput(
            title=f"{today.year}年居民满意度测评",
            target="households",
            opens_on=today,
            closes_on=today + dt.timedelta(days=21),
            questions=parse_questions(community, QUESTIONS, every_staff_member=True),
        ),
    )
    actions.open_campaign(actor=leader, campaign=campaign)
    return 1
