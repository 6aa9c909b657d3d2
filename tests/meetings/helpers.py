"""Meetings for tests, made through the actions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from linli.core.models import Organisation
from linli.meetings import actions
from linli.meetings.models import Meeting
from tests.world import World

_keys = itertools.count()


def water(world: World) -> Organisation:
    return Organisation.objects.get(kind="water")


def plan(world: World, **overrides: Any) -> Meeting:
    fields: dict[str, Any] = {
        "kind": "forum",
        "topic": "供水问题座谈会",
        "starts_at": timezone.now() + dt.timedelta(days=1),
        "place": "社区活动室",
        "agenda": ("上次会议意见办理情况", "供水"),
        "organisations": (water(world),),
        "announce": False,
    }
    fields.update(overrides)
    return actions.plan_meeting(
        actor=world.users["staff"],
        community=world.community,
        data=actions.MeetingInput(**fields),
        idempotency_key=f"meeting-{next(_keys)}",
    )


def opened(world: World, **overrides: Any) -> Meeting:
    return actions.open_meeting(actor=world.users["staff"], meeting=plan(world, **overrides))


def opinion_key() -> str:
    return f"opinion-{next(_keys)}"
