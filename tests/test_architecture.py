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


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _sources() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def test_no_function_is_over_80_lines() -> None:
    long = []
    for path in _sources():
        for node in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > 80:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})")
    assert long == []


def test_no_actions_module_is_over_600_lines() -> None:
    modules = [*PACKAGE.glob("*/actions.py"), *PACKAGE.glob("*/actions/*.py")]
    assert modules
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in modules
    }
    assert {path: n for path, n in sizes.items() if n > 600} == {}


def test_an_import_inside_a_function_says_which_cycle_it_breaks() -> None:
    hidden = []
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for function in _functions(ast.parse("\n".join(lines))):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    nearby = lines[max(node.lineno - 3, 0) : node.lineno]
                    if not any("#" in line for line in nearby):
                        hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert hidden == []
