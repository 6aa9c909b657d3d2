"""Appeals for tests, made through the actions."""

from __future__ import annotations

import itertools
from typing import Any

from linli.appeals.actions import submit_appeal
from linli.appeals.models import Appeal, Category
from linli.core.models import Organisation
from tests.world import World

_keys = itertools.count()


def categories() -> dict[str, Category]:
    water, _ = Category.objects.get_or_create(
        name="供水",
        defaults={"organisation_kind": Organisation.Kind.WATER, "default_urgency": "utility"},
    )
    environment, _ = Category.objects.get_or_create(name="环境卫生")
    outside, _ = Category.objects.get_or_create(name="劳动争议", defaults={"within_duties": False})
    return {"water": water, "environment": environment, "outside": outside}


def appeal(world: World, **overrides: Any) -> Appeal:
    args: dict[str, Any] = {
        "actor": world.users["resident"],
        "community": world.community,
        "channel": "online",
        "category": categories()["environment"],
        "text": "楼道里堆满了杂物，影响通行。",
        "idempotency_key": f"test-{next(_keys)}",
    }
    args.update(overrides)
    return submit_appeal(**args)
