"""Which results may be shown without revealing small groups or single people.

Pure functions, tested on hand-built data: a group is shown only with enough answers, and when
exactly one small group would be hidden beside a shown total, the next smallest group is hidden
too, so that the hidden value cannot be worked out by subtraction.
"""

from __future__ import annotations

ABSOLUTE_MINIMUM = 3


def minimum(setting: int) -> int:
    """The configured minimum, never below three."""
    return max(ABSOLUTE_MINIMUM, setting)


def visible_groups(counts: dict[str, int], least: int) -> set[str]:
    """The groups (grids, buildings) whose figures may be shown next to the total.

    Groups with no answers reveal nothing and are not protected; groups with 1..least-1 answers
    are hidden; while the hidden groups together hold fewer than `least` answers (so that
    total − shown would reveal them), the smallest shown group is hidden as well. Nothing is
    shown when the total is too small."""
    least = minimum(least)
    if sum(counts.values()) < least:
        return set()
    shown = {g for g, n in counts.items() if n >= least}
    # What total − shown reveals must itself be at least `least` answers (or none).
    while shown and 0 < sum(n for g, n in counts.items() if g not in shown) < least:
        shown.discard(min(shown, key=lambda g: (counts[g], g)))
    return shown


def person_average_visible(answers: int, least: int) -> bool:
    return answers >= minimum(least)


def person_comments_visible(answers: int, least_comments: int, least: int) -> bool:
    """Comments about a person need more answers than their average does."""
    return answers >= max(minimum(least) + 1, least_comments)
