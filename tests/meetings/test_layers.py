"""Meetings sit beside ballots, care, evaluations and welfare, below the dashboard: they import
none of them (every import parsed, function-local ones too)."""

from __future__ import annotations

import ast
from pathlib import Path

import linli.meetings

BESIDE_OR_ABOVE = ("ballots", "care", "evaluations", "welfare", "dashboard")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_meetings_import_no_app_beside_or_above() -> None:
    root = Path(linli.meetings.__file__).parent
    wrong = {
        f"{path.relative_to(root)}: {name}"
        for path in root.rglob("*.py")
        for name in imported(path)
        if name.split(".")[:2] in (["linli", app] for app in BESIDE_OR_ABOVE)
    }
    assert wrong == set()
