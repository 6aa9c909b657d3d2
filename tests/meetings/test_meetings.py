"""Meetings: quorum and majority, sign-in, opinions as appeals, the report-back, minutes."""

from __future__ import annotations

import pytest

from linli.appeals import actions as appeals
from linli.appeals.models import Appeal
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, Grid, Notification
from linli.meetings import actions, quorum
from linli.meetings.accountability import organisation_records
from linli.meetings.models import Handling, Opinion, ReportItem, Status
from linli.notices.models import Notice
from linli.people.actions import ResidentInput, update_resident
from linli.people.models import Resident
from tests.appeals.helpers import categories
from tests.meetings.helpers import opened, opinion_key, plan, water
from tests.world import World


@pytest.mark.parametrize(
    ("present", "body", "expected"),
    [(5, 10, False), (6, 10, True), (2, 3, True), (1, 3, False), (0, 0, False), (3, None, False)],
)
def test_quorum_is_more_than_half_of_the_body(
    present: int, body: int | None, expected: bool
) -> None:
    assert quorum.quorate(present, body) is expected


@pytest.mark.parametrize(
    ("votes", "present", "expected"), [(5, 10, False), (6, 10, True), (1, 1, True), (0, 0, False)]
)
def test_majority_is_more_than_half_of_those_present(
    votes: int, present: int, expected: bool
) -> None:
    assert quorum.majority(votes, present) is expected


def formal(world: World, body: str = "adults") -> object:
    return opened(world, kind="residents_meeting", body=body, organisations=())


def test_a_formal_meeting_needs_its_quorum_to_resolve(world: World) -> None:
    staff = world.users["staff"]
    meeting = formal(world)
    assert meeting.body_size == 3  # three adults live in 幸福里
    actions.sign_in(actor=staff, meeting=meeting, resident=world.residents["zhang"])
    with pytest.raises(DomainError) as refused:
        actions.record_resolution(
            actor=staff, meeting=meeting, text="加装电梯", votes_for=1, against=0, abstain=0
        )
    assert refused.value.code == "no_quorum"
    wang = actions.sign_in(actor=staff, meeting=meeting, resident=world.residents["wang"])
    with pytest.raises(DomainError) as too_many:
        actions.record_resolution(
            actor=staff, meeting=meeting, text="加装电梯", votes_for=2, against=1, abstain=0
        )
    assert too_many.value.code == "votes_exceed"
    # 2 of 3 present; 1 of 2 in favour is exactly half: not passed, but recorded.
    tied = actions.record_resolution(
        actor=staff, meeting=meeting, text="加装电梯", votes_for=1, against=1, abstain=0
    )
    assert (tied.passed, tied.present, tied.body_size) == (False, 2, 3)
    passed = actions.record_resolution(
        actor=staff, meeting=meeting, text="清理楼道", votes_for=2, against=0, abstain=0
    )
    assert passed.passed
    # Someone leaves: the quorum is gone again.
    actions.sign_out(actor=staff, attendance=wang)
    assert quorum.present_count(meeting) == 1
    with pytest.raises(DomainError) as gone:
        actions.record_resolution(
            actor=staff, meeting=meeting, text="x", votes_for=1, against=0, abstain=0
        )
    assert gone.value.code == "no_quorum"


def test_household_representatives_one_per_household(world: World) -> None:
    staff = world.users["staff"]
    meeting = formal(world, body="households")
    assert meeting.body_size == 2
    actions.sign_in(actor=staff, meeting=meeting, resident=world.residents["zhang"])
    spouse = Resident.objects.get(name="李秀英")
    with pytest.raises(DomainError) as same_household:
        actions.sign_in(actor=staff, meeting=meeting, resident=spouse)
    assert same_household.value.code == "household_present"
    with pytest.raises(DomainError) as twice:
        actions.sign_in(actor=staff, meeting=meeting, resident=world.residents["zhang"])
    assert twice.value.code == "already_signed_in"


def test_only_members_of_the_body_sign_in(world: World) -> None:
    staff = world.users["staff"]
    party = opened(world, kind="party_members", organisations=())
    actions.sign_in(actor=staff, meeting=party, resident=world.residents["zhang"])  # 党员
    with pytest.raises(DomainError) as refused:
        actions.sign_in(actor=staff, meeting=party, resident=world.residents["wang"])
    assert refused.value.code == "not_member"
    study = opened(world, kind="study", organisations=())
    with pytest.raises(DomainError):
        actions.sign_in(actor=staff, meeting=study, resident=world.residents["wang"])
    actions.sign_in(actor=staff, meeting=study, user=world.users["leader"])
    with pytest.raises(DomainError):
        actions.sign_in(actor=staff, meeting=study, user=world.users["liaison"])
    # A planned meeting takes no sign-ins yet.
    planned = plan(world)
    with pytest.raises(DomainError) as not_open:
        actions.sign_in(actor=staff, meeting=planned, resident=world.residents["wang"])
    assert not_open.value.code == "meeting_state"


def test_residents_sign_in_with_the_code_on_their_phone(world: World) -> None:
    meeting = opened(world)
    with pytest.raises(DomainError) as wrong:
        actions.sign_in_with_code(
            actor=world.users["resident"], code="000000" if meeting.code != "000000" else "111111"
        )
    assert wrong.value.code == "code_unknown"
    attendance = actions.sign_in_with_code(actor=world.users["resident"], code=meeting.code)
    assert attendance.by_self
    assert attendance.resident == world.residents["zhang"]
    with pytest.raises(AccessDenied):
        actions.sign_in_with_code(actor=world.users["staff"], code=meeting.code)


def raise_opinion(
    world: World, meeting: object, text: str, handling: str, **extra: object
) -> Opinion:
    return actions.record_opinion(
        actor=world.users["staff"],
        meeting=meeting,  # type: ignore[arg-type]
        idempotency_key=opinion_key(),
        data=actions.OpinionInput(
            text=text,
            handling=handling,
            category=categories()["water"],
            **extra,  # type: ignore[arg-type]
        ),
    )


def test_opinions_become_appeals(world: World) -> None:
    meeting = opened(world)
    spot = raise_opinion(
        world,
        meeting,
        "3号楼水压低吗？",
        Handling.ON_THE_SPOT,
        organisation=water(world),
        answer="本周管网检修，周五后恢复",
        speaker_resident=world.residents["zhang"],
    )
    assert spot.appeal is not None
    assert (spot.appeal.channel, spot.appeal.status, spot.appeal.outcome) == (
        "meeting",
        "reported",  # answered in front of the resident: their verdict is asked at once
        "on_the_spot",
    )
    assert spot.appeal.organisation == water(world)
    follow = raise_opinion(
        world,
        meeting,
        "3号楼水压一直很低",
        Handling.FOLLOW_UP,
        organisation=water(world),
        speaker_resident=world.residents["zhang"],
    )
    assert follow.appeal is not None
    assert follow.appeal.status == "referred"
    # The liaison sees it among the appeals referred to the water company.
    assert Notification.objects.filter(
        user=world.users["liaison"], code="appeals.referred"
    ).exists()
    deferred = raise_opinion(world, meeting, "希望增加休息座椅", Handling.FOLLOW_UP)
    assert deferred.appeal is not None
    assert deferred.appeal.status == "deferred"
    # The same key twice: one opinion, one appeal.
    again = actions.record_opinion(
        actor=world.users["staff"],
        meeting=meeting,
        idempotency_key=deferred.idempotency_key,
        data=actions.OpinionInput(text="希望增加休息座椅", handling=Handling.FOLLOW_UP),
    )
    assert again.pk == deferred.pk
    assert Appeal.objects.filter(channel="meeting").count() == 3


def test_minutes_wait_for_every_opinion_to_be_classified(world: World) -> None:
    staff = world.users["staff"]
    meeting = opened(world)
    pending = raise_opinion(world, meeting, "小区路灯不亮", Handling.PENDING)
    with pytest.raises(DomainError) as refused:
        actions.close_meeting(actor=staff, meeting=meeting)
    assert refused.value.code == "opinions_pending"
    actions.classify_opinion(
        actor=staff,
        opinion=pending,
        handling=Handling.FOLLOW_UP,
        category=categories()["environment"],
    )
    closed = actions.close_meeting(actor=staff, meeting=meeting, summary="会议顺利")
    assert closed.status == Status.CLOSED
    published = actions.approve_minutes(actor=world.users["staff"], meeting=closed)  # the chair
    assert published.status == Status.PUBLISHED
    notice = Notice.objects.get(pk=published.notice_id)
    assert "小区路灯不亮" in notice.body
    # Nothing changes after publication.
    with pytest.raises(DomainError):
        raise_opinion(world, published, "补一条", Handling.PENDING)
    with pytest.raises(DomainError):
        actions.record_resolution(
            actor=staff, meeting=published, text="x", votes_for=0, against=0, abstain=0
        )
    assert AuditEvent.objects.filter(code="meetings.minutes_published").exists()


def test_report_back_across_three_meetings(world: World) -> None:
    staff, liaison = world.users["staff"], world.users["liaison"]
    first = opened(world, topic="第一次座谈会")
    pressure = raise_opinion(
        world,
        first,
        "3号楼水压低",
        Handling.FOLLOW_UP,
        organisation=water(world),
        speaker_resident=world.residents["zhang"],
    )
    benches = raise_opinion(world, first, "增加座椅", Handling.FOLLOW_UP, anonymous=True)
    raise_opinion(world, first, "停水通知", Handling.ON_THE_SPOT, answer="提前一天张贴")
    actions.close_meeting(actor=staff, meeting=first)

    second = opened(world, topic="第二次座谈会")
    report = {r.opinion_id: r for r in ReportItem.objects.filter(meeting=second)}
    assert set(report) == {pressure.pk, benches.pk}  # not the one answered on the spot
    assert not report[pressure.pk].finished
    assert report[benches.pk].speaker == ""  # asked not to be named
    assert report[pressure.pk].speaker == "张三"
    # Between meetings the water company answers in linli.
    appeals.answer_referral(actor=liaison, appeal=pressure.appeal, note="已更换加压泵")  # type: ignore[arg-type]
    # The second meeting's report is frozen as it stood at opening.
    assert not ReportItem.objects.get(meeting=second, opinion=pressure).finished
    actions.close_meeting(actor=staff, meeting=second)

    third = opened(world, topic="第三次座谈会")
    report = {r.opinion_id: r for r in ReportItem.objects.filter(meeting=third)}
    assert set(report) == {pressure.pk, benches.pk}
    assert report[pressure.pk].finished
    assert "已更换加压泵" in report[pressure.pk].done
    assert "自来水公司" in report[pressure.pk].handler
    assert not report[benches.pk].finished  # carried over again
    actions.close_meeting(actor=staff, meeting=third)

    fourth = opened(world, topic="第四次座谈会")
    assert {r.opinion_id for r in ReportItem.objects.filter(meeting=fourth)} == {benches.pk}
    # A reopened result comes back: dissatisfied resident.
    case = Appeal.objects.get(pk=pressure.appeal_id)
    case = appeals.report_back(actor=staff, appeal=case, note="已更换加压泵")
    appeals.give_verdict(actor=world.users["resident"], appeal=case, verdict="dissatisfied")
    actions.close_meeting(actor=staff, meeting=fourth)
    fifth = opened(world, topic="第五次座谈会")
    assert {r.opinion_id for r in ReportItem.objects.filter(meeting=fifth)} == {
        pressure.pk,
        benches.pk,
    }


def test_petition_thresholds_by_each_basis(world: World) -> None:
    resident = world.users["resident"]
    staff = world.users["staff"]
    # Adults: 3 in 幸福里, one fifth rounded up is 1: the starter's own signature suffices.
    assert quorum.threshold(world.community, "adults") == 1
    by_adults = actions.start_petition(
        actor=resident, community=world.community, basis="adults", subject="讨论加装电梯"
    )
    by_adults.refresh_from_db()
    assert by_adults.status == "reached"
    assert Notification.objects.filter(
        user=world.users["leader"], code="meetings.petition_reached"
    ).exists()
    # Households: 2; signatures from the same household count once.
    for i in range(8):
        Grid.objects.create(community=world.community, name=f"网格{i}")
    assert quorum.threshold(world.community, "groups") == 3  # 9 groups → 3
    by_groups = actions.start_petition(
        actor=staff, community=world.community, basis="groups", subject="讨论停车"
    )
    actions.sign_petition(
        actor=staff, petition=by_groups, resident=Resident.objects.get(name="李秀英")
    )
    assert quorum.petition_count(by_groups) == 0  # not a representative of a group
    wang = world.residents["wang"]
    update_resident(
        actor=staff,
        resident=wang,
        data=ResidentInput(
            name=wang.name,
            id_number=wang.id_number,
            building="5",
            entrance="1",
            room="101",
            grid="第一网格",
            tags=["representative"],
        ),
    )
    actions.sign_petition(actor=staff, petition=by_groups, resident=wang)
    assert quorum.petition_count(by_groups) == 1  # 1 of the 3 groups needed
    by_groups.refresh_from_db()
    assert by_groups.status == "collecting"
    with pytest.raises(DomainError) as twice:
        actions.sign_petition(actor=staff, petition=by_groups, resident=wang)
    assert twice.value.code == "already_signed"
    by_households = actions.start_petition(
        actor=staff, community=world.community, basis="households", subject="讨论物业费"
    )
    actions.sign_petition(
        actor=staff, petition=by_households, resident=Resident.objects.get(name="李秀英")
    )
    actions.sign_petition(actor=resident, petition=by_households)  # 张三, same household
    assert quorum.petition_count(by_households) == 1
    # A meeting held on the petition closes it.
    meeting = opened(world, kind="residents_meeting", body="adults", petition=by_adults)
    by_adults.refresh_from_db()
    assert by_adults.status == "convened"
    assert meeting.petition_id == by_adults.pk


def test_planning_invites_and_announces(world: World) -> None:
    meeting = plan(world, announce=True, invite_tag="party_member")
    invitation = meeting.invitations.get()
    assert invitation.organisation == water(world)
    assert Notification.objects.filter(
        user=world.users["liaison"], code="meetings.invited_organisation"
    ).exists()
    # 张三 is a party member with an account: invited.
    assert Notification.objects.filter(
        user=world.users["resident"], code="meetings.invited"
    ).exists()
    notice = Notice.objects.get(pk=meeting.announcement_id)
    assert "社区活动室" in notice.body
    assert "供水" in notice.body
    confirmed = actions.confirm_invitation(
        actor=world.users["liaison"], invitation=invitation, attendees="李工程师"
    )
    assert confirmed.confirmed_at is not None
    with pytest.raises(AccessDenied):
        actions.confirm_invitation(actor=world.users["staff"], invitation=invitation, attendees="x")
    with pytest.raises(DomainError):
        plan(world, kind="residents_meeting", body="")  # who makes up the meeting?


def test_organisation_accountability(world: World) -> None:
    meeting = opened(world)
    raise_opinion(world, meeting, "水压低", Handling.FOLLOW_UP, organisation=water(world))
    raise_opinion(
        world,
        meeting,
        "停水通知",
        Handling.ON_THE_SPOT,
        organisation=water(world),
        answer="提前张贴",
    )
    (record,) = organisation_records(world.community)
    assert (record.raised, record.on_the_spot, record.follow_up, record.finished) == (2, 1, 1, 0)
