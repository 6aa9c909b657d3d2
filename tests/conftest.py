"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

import pytest

from tests.world import World, build_world

# The ORM is called beside Playwright's sync API, which runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _no_calendar_overrides_from_another_test() -> None:
    """A test that commits (transactional_db, the live server) may leave this process's copy
    of the calendar overrides behind; its tables are emptied without signals."""
    from linli.core.calendar import forget_overrides

    forget_overrides()
