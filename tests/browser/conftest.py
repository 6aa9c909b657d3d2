"""Browser tests drive the system Chromium through Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(path):
        pytest.fail(f"Chromium not found at {path}: apt-get install chromium, or set CHROMIUM_PATH")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture
def base(live_server: Any) -> str:
    """The address of the live server the browser talks to."""
    return str(live_server.url)


@pytest.fixture(autouse=True)
def _fail_fast(page: Any) -> None:
    page.set_default_timeout(10_000)
