"""Every view × every role: allowed and not refused, or denied with nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import messages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from linli.core.views_helpers import may_open
from tests.permissions import CASES, EXEMPT, Case, snapshot
from tests.world import ROLES, World


def _url_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            namespace = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _url_names(p.url_patterns, namespace)
        elif p.name:
            names.add(prefix + p.name)
    return names


def test_every_view_has_a_case() -> None:
    covered = {case.url_name for case in CASES} | EXEMPT
    assert _url_names(get_resolver().url_patterns) - covered == set()


@pytest.fixture
def world(shared_world: World, db: None) -> World:
    return shared_world


def _refusals(response: Any) -> list[str]:
    """Error messages the view queued: an allowed request must not have been refused."""
    request = getattr(response, "wsgi_request", None)
    if request is None:
        return []
    return [str(m) for m in messages.get_messages(request) if m.level >= messages.ERROR]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_permission_matrix(case: Case, role: str, client: Client, world: World) -> None:
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    url = case.url(world)
    data = case.data(world)
    allowed = role in case.allowed
    before = None if allowed else snapshot()
    if case.method == "GET":
        response = client.get(url, headers=case.headers)
    else:
        response = client.post(url, data, headers=case.headers)
    if allowed:
        assert response.status_code in (200, 302), (role, response.status_code)
        if response.status_code == 302:
            assert "/login/" not in response["Location"]
        assert _refusals(response) == [], (role, case.id)
    else:
        if role == "anonymous" and not case.public:
            assert response.status_code == 302
            assert response["Location"].startswith("/login/")
        else:
            assert response.status_code in (403, 404), (role, response.status_code)
        assert snapshot() == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_links_and_the_matrix_give_the_same_answer(case: Case, world: World) -> None:
    """Every role the matrix lets into a page or a form is one that `may_open` (the answer
    behind every link, tab and button) would show it to: the two never disagree."""
    url = case.url(world)
    for role in case.allowed - {"anonymous"}:
        user = world.user(role)
        assert may_open(user, url, world.community), (role, url)
