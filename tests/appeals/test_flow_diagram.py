"""The state diagram in docs/workflows/appeals.md draws every transition of APPEAL_FLOW."""

from __future__ import annotations

from pathlib import Path

from linli.appeals.models import APPEAL_FLOW

DIAGRAM = Path(__file__).resolve().parents[2] / "docs" / "workflows" / "appeals.md"


def test_the_diagram_draws_every_transition() -> None:
    drawn = DIAGRAM.read_text(encoding="utf-8")
    missing = [
        (source, step, target)
        for source, step, target in APPEAL_FLOW.transitions()
        if f"{source} --> {target}:" not in drawn
    ]
    assert missing == []
