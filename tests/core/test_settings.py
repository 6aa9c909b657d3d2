"""The settings module fails loudly on bad values instead of guessing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _settings_error(**env: str) -> str:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DATABASE_URL"))
    }
    environment.update({"LINLI_SECRET_KEY": "s" * 50, "LINLI_FIELD_KEY": "f" * 40, **env})
    result = subprocess.run(
        [sys.executable, "-c", "import linli.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr if result.returncode else ""


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LINLI_DEBUG": "maybe"}, "LINLI_DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mysql://x@localhost/db"}, "must name SQLite or PostgreSQL"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"LINLI_ENV": "prod"}, "LINLI_ENV='prod'"),
        ({"LINLI_FIELD_KEY": "short"}, "at least 32 characters"),
        ({"LINLI_ENV": "production", "LINLI_SECRET_KEY": ""}, "LINLI_SECRET_KEY"),
        ({"LINLI_CONN_MAX_AGE": "soon", "DATABASE_URL": "postgres://u@h/d"}, "not an integer"),
        ({"LINLI_SECRET_KEY": "", "LINLI_SECRET_KEY_FILE": "/nonexistent/key"}, "cannot be read"),
    ],
)
def test_bad_values_stop_the_start(env: dict[str, str], message: str) -> None:
    assert message in _settings_error(**env)


def test_good_values_start() -> None:
    assert _settings_error(DATABASE_URL="postgres://u@h:5432/d", LINLI_DEBUG="yes") == ""
