"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.world import World, build_world

# The ORM is called beside Playwright's sync API, which runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def case_block() -> transaction.Atomic:
    """An atomic block marked as a test's own: inside it an action still opens its transaction
    as at the entry point (linli.core.transactions), exactly as in production."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    return block


@pytest.fixture(scope="module")
def shared_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world built once for a whole module, inside a transaction rolled back at its end.
    Each test runs in a savepoint inside it (request `db` too), so every test starts from the
    same rows; the permission matrix and the link walk make thousands of requests on it."""
    with django_db_blocker.unblock():
        block = case_block()
        block.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_calendar_overrides_from_another_test() -> None:
    """A test that commits (transactional_db, the live server) may leave this process's copy
    of the calendar overrides behind; its tables are emptied without signals."""
    from linli.core.calendar import forget_overrides

    forget_overrides()
