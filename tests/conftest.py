"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from tests.world import PASSWORD, World, build_world

# The ORM is called beside Playwright's sync API, which runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    def as_user(world: World, role: str) -> Client:
        user = world.user(role)
        if user is not None:
            assert client.login(username=user.username, password=PASSWORD)
        return client

    return as_user
