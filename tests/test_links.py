"""No role sees a link or a button that answers 403: every page, as every role, every target.

Each role starts from its home page and every page the permission matrix lets it read, and
follows every link (GET) and every form's target (POSTed with the form's own hidden fields and
button, inside a savepoint rolled back at once). A target answering 403, 404 or 405, or sending
a signed-in person to the login page, is a link that role should never have been shown. Targets
are followed once per URL name and method for each role (access depends on the view, not on the
object's number); each object's page is also walked in every state the permission matrix's form
cases put it in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve

from tests.conftest import case_block
from tests.permissions import CASES
from tests.world import ROLES, World

# Targets that change the session itself, not the data: following them would sign the walker
# out or switch its language.
NOT_FOLLOWED = {"logout", "set_language", "large_font"}
FORBIDDEN = {403, 404, 405}


class Targets(HTMLParser):
    """The links and form targets of a page: (method, url, data)."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.found: list[tuple[str, str, dict[str, str]]] = []
        self._form: tuple[str, str, dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.found.append(("GET", urljoin(self.page_url, a["href"]), {}))
        elif tag == "form":
            method = (a.get("method") or "get").upper()
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = (method, action, {})
        elif self._form is not None and tag == "input" and a.get("name"):
            if a.get("type") in ("hidden", "checkbox", "radio") or a.get("value"):
                self._form[2].setdefault(a["name"], a.get("value", ""))
        elif self._form is not None and tag == "button":
            method, action, data = self._form
            data = dict(data)
            if a.get("name"):
                data[a["name"]] = a.get("value", "")
            target = urljoin(self.page_url, a["formaction"]) if a.get("formaction") else action
            self.found.append((method, target, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            if not any(url == self._form[1] for _m, url, _d in self.found[-1:]):
                self.found.append(self._form)  # a form submitted by Enter or an input button
            self._form = None


def _name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _internal(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(("/static/", "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@contextmanager
def _rolled_back() -> Iterator[None]:
    block = case_block()
    block.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


def _request(client: Client, method: str, url: str, data: dict[str, str]) -> Any:
    if method == "GET":
        return client.get(url)
    with _rolled_back():
        return client.post(url, data)


class Walk:
    """One role's walk: every target followed once per URL name and method."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.followed: set[tuple[str, str]] = set()
        self.broken: list[str] = []

    def crawl(self, start: str, *, may_refuse: bool = False) -> None:
        """Follow everything shown from `start`. With `may_refuse`, a start page the role may
        not open is no broken link (nothing showed it): the walk just does not begin there."""
        queue: deque[tuple[str, str, dict[str, str], str]] = deque([("GET", start, {}, "")])
        while queue:
            method, url, data, source = queue.popleft()
            name = _name(urlsplit(url).path)
            if name is None or name in NOT_FOLLOWED:
                continue
            if name.startswith("admin:") and name != "admin:index":
                continue  # Django's own admin is not linli's navigation
            if source and (name, method) in self.followed:
                continue
            self.followed.add((name, method))
            response = _request(self.client, method, url, data)
            location = response.get("Location", "")
            if not source and may_refuse and response.status_code != 200:
                return
            if response.status_code in FORBIDDEN or location.startswith("/login/"):
                self.broken.append(
                    f"{method} {url} ({name}) → {response.status_code}, shown on {source}"
                )
                continue
            if method != "GET" or response.status_code != 200:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            parser = Targets(url)
            parser.feed(response.content.decode())
            for target_method, target, target_data in parser.found:
                internal = _internal(target)
                if internal is not None:
                    queue.append((target_method, internal, target_data, url))


@pytest.fixture
def world(shared_world: World, db: None) -> World:
    return shared_world


@pytest.mark.parametrize("role", ROLES[1:])
def test_no_role_sees_a_link_that_refuses_it(role: str, client: Client, world: World) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("which links a page shows does not depend on the database: walked on SQLite")
    user = world.user(role)
    assert user is not None
    client.force_login(user)
    walk = Walk(client)
    walk.crawl("/")
    for case in CASES:
        if case.method == "GET" and role in case.allowed:
            # Each page's objects are made for it and gone after its walk, as in the matrix.
            with _rolled_back():
                walk.crawl(case.url(world))
    for case in CASES:
        if case.method == "POST":
            # A form's case makes its object in the state the form needs (a closed ballot for
            # the count, a case on notice for the decision): the object's own page, one level
            # up from the form's address, shows that state's buttons.
            with _rolled_back():
                page = case.url(world).rstrip("/").rsplit("/", 1)[0] + "/"
                if _name(page) is not None:
                    walk.crawl(page, may_refuse=True)
    assert not walk.broken, "\n".join(walk.broken)
    # The walk is not vacuous: every role reaches pages and presses buttons (a leader ~150
    # targets, ~75 of them forms, when this was written).
    assert len(walk.followed) >= 15
    assert any(method == "POST" for _name, method in walk.followed)
