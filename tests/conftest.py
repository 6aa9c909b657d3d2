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
