"""Permission-matrix cases for the meetings views."""

from __future__ import annotations

from typing import Any

from linli.core.models import Organisation
from linli.meetings.actions import (
    OpinionInput,
    close_meeting,
    record_opinion,
    sign_in,
    start_petition,
)
from linli.meetings.models import Opinion
from tests.appeals.permission_cases import category_id
from tests.matrix import EDITORS, EVERYONE, Case
from tests.meetings.helpers import opened, plan
from tests.world import World


def _planned(world: World) -> Any:
    return plan(world)


def _opened(world: World) -> Any:
    return opened(world)


def _meeting_args(world: World) -> list[Any]:
    return ["xfl", _opened(world).pk]


def _closed_args(world: World) -> list[Any]:
    meeting = close_meeting(actor=world.users["staff"], meeting=_opened(world))
    return ["xfl", meeting.pk]


def _attendance(world: World) -> list[Any]:
    meeting = _opened(world)
    record = sign_in(actor=world.users["staff"], meeting=meeting, resident=world.residents["wang"])
    return ["xfl", meeting.pk, record.pk]


def _pending_opinion(world: World) -> list[Any]:
    meeting = _opened(world)
    opinion = record_opinion(
        actor=world.users["staff"],
        meeting=meeting,
        data=OpinionInput(text="路灯不亮"),
        idempotency_key="perm-opinion",
    )
    return ["xfl", meeting.pk, opinion.pk]


def _perm_opinion() -> int:
    return Opinion.objects.get(idempotency_key="perm-opinion").pk


def _invitation(world: World) -> list[Any]:
    return [_planned(world).invitations.get().pk]


def _petition(world: World) -> list[Any]:
    petition = start_petition(
        actor=world.users["staff"],
        community=world.community,
        basis="households",
        subject="讨论停车",
    )
    return ["xfl", petition.pk]


def _water_id(world: World) -> int:
    return Organisation.objects.get(kind="water").pk


MEETING_DESK = {"staff", "leader", "supervisor", "admin"}
CASES: list[Case] = [
    Case("meetings:mine", "GET", EVERYONE, args=lambda w: []),
    Case(
        "meetings:join",
        "POST",
        {"resident"},
        args=lambda w: [],
        data=lambda w: {"code": _opened(w).code},
    ),
    Case("meetings:invitations", "GET", {"liaison"}, args=lambda w: []),
    Case(
        "meetings:confirm",
        "POST",
        {"liaison"},
        args=_invitation,
        data=lambda w: {"attendees": "李工程师"},
    ),
    Case("meetings:list", "GET", MEETING_DESK),
    Case("meetings:new", "GET", EDITORS),
    Case(
        "meetings:new",
        "POST",
        EDITORS,
        data=lambda w: {
            "kind": "forum",
            "topic": "供水座谈会",
            "starts_at": "2099-01-01T19:00",
            "place": "活动室",
            "organisations": [_water_id(w)],
            "idempotency_key": "perm-m1",
        },
    ),
    Case("meetings:organisations", "GET", MEETING_DESK),
    Case("meetings:detail", "GET", MEETING_DESK, args=_meeting_args),
    Case("meetings:minutes", "GET", MEETING_DESK, args=_meeting_args),
    Case("meetings:count", "GET", MEETING_DESK, args=_meeting_args),
    Case("meetings:search", "POST", EDITORS, args=_meeting_args, data=lambda w: {"find-q": "王五"}),
    Case(
        "meetings:sign_in",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {"resident": w.residents["wang"].pk},
    ),
    Case(
        "meetings:guest",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {"guest-organisation": _water_id(w), "guest-name": "李工"},
    ),
    Case("meetings:leave", "POST", EDITORS, args=_attendance),
    Case(
        "meetings:opinion",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {
            "opinion-text": "垃圾清运不及时",
            "opinion-handling": "pending",
            "opinion-idempotency_key": "p-o",
        },
    ),
    Case(
        "meetings:classify",
        "POST",
        EDITORS,
        args=_pending_opinion,
        data=lambda w: {
            f"o{_perm_opinion()}-category": category_id(w),
            f"o{_perm_opinion()}-handling": "follow_up",
        },
    ),
    Case(
        "meetings:resolution",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {
            "vote-text": "同意",
            "vote-votes_for": 0,
            "vote-against": 0,
            "vote-abstain": 0,
            "vote-idempotency_key": "perm-vote",
        },
    ),
    Case("meetings:open", "POST", EDITORS, args=lambda w: ["xfl", _planned(w).pk]),
    Case(
        "meetings:close",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {"close-summary": "顺利"},
    ),
    Case(
        "meetings:cancel",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _planned(w).pk],
        data=lambda w: {"reason": "场地临时占用"},
    ),
    # The chair (the staff member who planned it) or a leader.
    Case("meetings:approve", "POST", EDITORS, args=_closed_args),
    Case("meetings:petitions", "GET", MEETING_DESK | {"resident"}),
    Case(
        "meetings:petitions",
        "POST",
        {"resident", "staff", "leader", "admin"},
        data=lambda w: {"basis": "adults", "subject": "讨论加装电梯", "idempotency_key": "p-p"},
    ),
    Case("meetings:petition", "GET", MEETING_DESK | {"resident"}, args=_petition),
    Case("meetings:sign", "POST", {"resident"}, args=_petition),
    Case("meetings:paper", "POST", EDITORS, args=_petition, data=lambda w: {"q": "王五"}),
]
