"""What a ballot makes public after the count: the bulletin anyone can recount from, the
results in words for the notice board, and a voter's receipt found in it. Also the paper
sheets that still keep the count waiting."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext

from linli.ballots.models import (
    Ballot,
    CastBallot,
    Grade,
    Group,
    Kind,
    Opinion,
    PaperEntry,
    RollEntry,
    Status,
)


def bulletin(ballot: Ballot) -> dict[str, Any]:
    """Everything needed to recount: the candidates, the roll's size and turnout, and every
    cast ballot by receipt (no voter, no time)."""
    roll = RollEntry.objects.filter(ballot=ballot)
    return {
        "ballot": ballot.title,
        "community": ballot.community.name,
        "kind": ballot.kind,
        "choose": ballot.choose,
        "registered": roll.count(),
        "voted": roll.filter(voted=True).count(),
        "candidates": [{"id": c.pk, "name": c.name} for c in ballot.candidates.all()],
        "ballots": [
            {"receipt": r, "group": g, "content": c, "spoiled": s}
            for r, g, c, s in CastBallot.objects.filter(ballot=ballot)
            .order_by("receipt")
            .values_list("receipt", "group", "content", "spoiled")
        ],
    }


def bulletin_bytes(data: dict[str, Any]) -> bytes:
    """The bulletin file as published (its SHA-256 is printed with the results)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode()


def published_bulletin(ballot: Ballot) -> dict[str, Any]:
    """The bulletin with the totals fixed at the count."""
    data = bulletin(ballot)
    data["totals"] = ballot.results
    return data


def paper_disagreements(ballot: Ballot) -> list[str]:
    """Sheets read by two tellers whose readings differ, or read by one teller only."""
    counted = set(
        CastBallot.objects.filter(ballot=ballot, on_paper=True).values_list("receipt", flat=True)
    )
    sheets = set(PaperEntry.objects.filter(ballot=ballot).values_list("sheet", flat=True))
    return sorted(s for s in sheets if f"P-{s}" not in counted)


def find_receipt(ballot: Ballot, receipt: str) -> CastBallot | None:
    """A voter checks that their ballot was counted as cast (after the count)."""
    if ballot.status not in (Status.COUNTED, Status.PUBLISHED):
        return None
    return CastBallot.objects.filter(ballot=ballot, receipt=receipt.strip().upper()).first()


def results_text(ballot: Ballot) -> str:
    """The results in words, for the notice board."""
    totals = ballot.results
    names = {str(c.pk): c.name for c in ballot.candidates.all()}
    lines = [
        gettext(
            "Registered voters: %(registered)s; voted: %(voted)s; ballots cast: %(cast)s "
            "(valid %(valid)s, spoiled %(spoiled)s)."
        )
        % totals,
    ]
    if ballot.kind == Kind.APPRAISAL:
        lines += _grades_lines(totals, names)
    elif ballot.kind == Kind.OPINION:
        lines.append("，".join(f"{Opinion(o).label} {n}" for o, n in totals["opinions"].items()))
    else:
        lines += _votes_lines(ballot, totals, names)
    lines.append("")
    lines.append(gettext("Bulletin SHA-256: %(sha)s") % {"sha": ballot.bulletin_sha256})
    return "\n".join(lines)


def _grades_lines(totals: dict[str, Any], names: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for group, per in sorted(totals["grades"].items()):
        lines.append("")
        lines.append(str(Group(group).label))
        for pk, grades in per.items():
            parts = "，".join(f"{Grade(g).label} {n}" for g, n in grades.items())
            lines.append(f"{names.get(pk, pk)}：{parts}")
    return lines


def _votes_lines(ballot: Ballot, totals: dict[str, Any], names: dict[str, str]) -> list[str]:
    lines = [
        gettext("%(name)s: %(n)s votes") % {"name": names.get(pk, pk), "n": n}
        for pk, n in sorted(totals["votes"].items(), key=lambda kv: -kv[1])
    ]
    if ballot.kind != Kind.ELECTION:
        return lines
    if not totals["turnout_valid"]:
        lines.append(gettext("Invalid: not more than half of the registered voters voted."))
    elected = "、".join(names[c] for c in totals["elected"]) or "—"
    lines.append(gettext("Elected: %(names)s") % {"names": elected})
    if totals["tied"]:
        tied = "、".join(names[c] for c in totals["tied"])
        lines.append(gettext("Tied for the last seats: %(names)s") % {"names": tied})
    if totals["unfilled"]:
        lines.append(gettext("Seats unfilled: %(n)s") % {"n": totals["unfilled"]})
    return lines
