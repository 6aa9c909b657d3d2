"""Demo meetings for 幸福里社区: a forum held today with the utilities, minutes published,
and the next meeting planned, whose opening will report what was followed up."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.appeals.models import Category
from linli.core.models import Community, Organisation, User
from linli.meetings import actions, quorum
from linli.meetings.models import Handling, Meeting
from linli.people.models import Resident


def load_demo_meetings(community: Community) -> int:
    """Two meetings, made through the actions; nothing if the community has meetings."""
    if Meeting.objects.filter(community=community).exists():
        return 0
    secretary = User.objects.filter(roles__role="staff", roles__community=community).first()
    leader = User.objects.filter(roles__role="leader", roles__community=community).first()
    water = Organisation.objects.filter(kind="water", communities=community).first()
    power = Organisation.objects.filter(kind="power", communities=community).first()
    if secretary is None or leader is None or water is None or power is None:
        return 0
    now = timezone.now()
    _hold_forum(community, secretary, water, power, now)
    actions.plan_meeting(
        actor=leader,
        community=community,
        idempotency_key="demo-meeting-2",
        data=actions.MeetingInput(
            kind="residents_meeting",
            body="households",
            topic="居民会议：加装电梯意见征集",
            starts_at=(now + dt.timedelta(days=7)).replace(hour=19, minute=0, second=0),
            place="社区党群服务中心一楼大厅",
            agenda=("上次会议意见办理情况通报", "加装电梯方案", "表决"),
            organisations=(water,),
        ),
    )
    return 2


def _hold_forum(
    community: Community,
    secretary: User,
    water: Organisation,
    power: Organisation,
    now: dt.datetime,
) -> None:
    """Today's forum with the utilities, from planning to the published minutes."""
    categories = {c.name: c for c in Category.objects.for_community(community)}
    held = actions.plan_meeting(
        actor=secretary,
        community=community,
        idempotency_key="demo-meeting-1",
        data=actions.MeetingInput(
            kind="forum",
            topic="水电气服务座谈会",
            starts_at=now - dt.timedelta(hours=2),
            place="社区党群服务中心二楼会议室",
            agenda=("上次会议意见办理情况通报", "居民反映问题", "供水、供电单位答复"),
            organisations=(water, power),
        ),
    )
    held = actions.open_meeting(actor=secretary, meeting=held)
    attendees = list(quorum.body_members(held).filter(household__isnull=False).order_by("pk")[:12])
    for resident in attendees:
        actions.sign_in(actor=secretary, meeting=held, resident=resident)
    actions.sign_in(actor=secretary, meeting=held, organisation=water, name="周工程师")
    actions.sign_in(actor=secretary, meeting=held, organisation=power, name="吴所长")
    speakers: list[Resident | None] = [*attendees[:3], None]
    raised = [
        ("3号楼高层水压低，早晚用水高峰时热水器打不着火。", "供水", water, Handling.FOLLOW_UP, ""),
        (
            "下周小区停电检修是哪一天？",
            "供电",
            power,
            Handling.ON_THE_SPOT,
            "下周三上午8点至12点检修，提前两天张贴通知。",
        ),
        (
            "希望在小区东门增加两盏路灯。",
            "公共设施（路灯、电梯、道路）",
            None,
            Handling.FOLLOW_UP,
            "",
        ),
    ]
    for index, (text, category, organisation, handling, answer) in enumerate(raised):
        actions.record_opinion(
            actor=secretary,
            meeting=held,
            idempotency_key=f"demo-opinion-{index}",
            data=actions.OpinionInput(
                text=text,
                handling=handling,
                category=categories.get(category),
                organisation=organisation,
                speaker_resident=speakers[index],
                answer=answer,
            ),
        )
    actions.record_resolution(
        actor=secretary,
        meeting=held,
        text="请供水单位两周内对3号楼加压设备进行检修，并在下次会议上通报结果。",
        votes_for=len(attendees),
        against=0,
        abstain=0,
    )
    actions.close_meeting(actor=secretary, meeting=held, summary="会议按时召开，气氛良好。")
    actions.approve_minutes(actor=secretary, meeting=held)
