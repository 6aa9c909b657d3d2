"""The shape of the code, checked: imports follow the layers in docs/architecture.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "linli"
# Modules that compose the whole and may import any app.
COMPOSITION = {"settings", "urls", "cli", "wsgi", "asgi", "gunicorn_conf", "__init__", "__main__"}


def layers() -> dict[str, set[str]]:
    """{app: the apps it may import}, from the `layers` block of docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no ```layers block"
    table: dict[str, set[str]] = {}
    for line in block.group(1).splitlines():
        app, _, below = line.partition(":")
        table[app.strip()] = set(below.split())
    return table


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, app) for every `linli.<app>` import in the file, nested ones included."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "linli":
                names = [f"linli.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "linli" and len(parts) > 1:
                found.append((getattr(node, "lineno", 0), parts[1]))
    return found


def test_the_layers_name_every_app() -> None:
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert set(layers()) == apps


def test_imports_follow_the_layers() -> None:
    table = layers()
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) == 1:
            assert relative.stem in COMPOSITION, f"{relative}: a module outside every app"
            continue
        app = relative.parts[0]
        for line, other in imported_apps(path):
            if other != app and other not in table[app] and other not in COMPOSITION:
                wrong.append(f"linli/{relative}:{line} imports linli.{other}")
    assert wrong == []


@pytest.mark.parametrize(
    ("source", "app"),
    [
        ("from linli.care.models import Visit\n", "care"),
        ("import linli.welfare.actions\n", "welfare"),
        ("from linli import meetings\n", "meetings"),
        ("def f():\n    from linli.ballots import tally\n", "ballots"),
    ],
)
def test_every_kind_of_import_is_seen(tmp_path: Path, source: str, app: str) -> None:
    module = tmp_path / "m.py"
    module.write_text(source, encoding="utf-8")
    assert [found for _line, found in imported_apps(module)] == [app]
