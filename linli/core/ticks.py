"""The periodic tick: each app registers what it checks (reminders, escalations); `linli tick`
runs them all. Every tick is idempotent, so it may run as often as wanted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Tick = Callable[..., dict[str, int]]
TICKS: list[Tick] = []


def register_tick(tick: Tick) -> None:
    if tick not in TICKS:
        TICKS.append(tick)


def run_ticks(now: dt.datetime | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for tick in TICKS:
        counts.update(tick(now=now))
    return counts
