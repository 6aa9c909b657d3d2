"""Counting, as a pure function of the published bulletin: linli's count and anyone's recount
(`linli ballots recount FILE`) run the same code on the same data.

A bulletin is {"kind", "choose", "registered", "voted", "candidates": [{"id", "name"}],
"ballots": [{"receipt", "group", "content", "spoiled"}]}.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

GRADES = ("excellent", "competent", "basic", "incompetent")
OPINIONS = ("agree", "disagree", "abstain")


def tally(bulletin: dict[str, Any]) -> dict[str, Any]:
    """The totals of a bulletin; the same input always gives the same, JSON-ready output."""
    kind = bulletin["kind"]
    candidates = [str(c["id"]) for c in bulletin["candidates"]]
    ballots = bulletin["ballots"]
    valid = [b for b in ballots if not b["spoiled"]]
    totals: dict[str, Any] = {
        "cast": len(ballots),
        "valid": len(valid),
        "spoiled": len(ballots) - len(valid),
        "registered": bulletin["registered"],
        "voted": bulletin["voted"],
    }
    if kind == "appraisal":
        groups: dict[str, dict[str, dict[str, int]]] = {}
        for b in valid:
            for group in ("all", b["group"]) if b["group"] != "all" else ("all",):
                per = groups.setdefault(group, {c: dict.fromkeys(GRADES, 0) for c in candidates})
                for candidate, grade in b["content"].items():
                    per[str(candidate)][grade] += 1
        totals["grades"] = groups
    elif kind == "opinion":
        counts = Counter(b["content"]["opinion"] for b in valid)
        totals["opinions"] = {o: counts.get(o, 0) for o in OPINIONS}
        totals["comments"] = sorted(
            b["content"].get("comment", "") for b in valid if b["content"].get("comment")
        )
    else:
        votes = Counter(str(c) for b in valid for c in b["content"])
        totals["votes"] = {c: votes.get(c, 0) for c in candidates}
        if kind == "election":
            totals.update(_elect(totals["votes"], bulletin["choose"], len(valid), totals))
        else:
            ranked = sorted(candidates, key=lambda c: (-votes.get(c, 0), candidates.index(c)))
            totals["ranking"] = ranked
    return totals


def _elect(votes: dict[str, int], seats: int, valid: int, totals: dict[str, Any]) -> dict[str, Any]:
    """Valid when more than half of the registered voters voted; elected with more than half
    of the valid ballots, the most votes first; a tie at the last seats leaves them unfilled."""
    turnout_ok = totals["voted"] * 2 > totals["registered"]
    majority = [c for c, n in votes.items() if n * 2 > valid] if turnout_ok else []
    majority.sort(key=lambda c: -votes[c])
    elected: list[str] = []
    tied: list[str] = []
    for candidate in majority:
        if len(elected) < seats:
            elected.append(candidate)
    if len(majority) > seats:
        boundary = votes[majority[seats - 1]]
        if votes[majority[seats]] == boundary:
            tied = [c for c in majority if votes[c] == boundary]
            elected = [c for c in elected if votes[c] > boundary]
    return {
        "turnout_valid": turnout_ok,
        "elected": elected,
        "tied": tied,
        "unfilled": seats - len(elected),
    }
