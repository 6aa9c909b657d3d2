"""What a ballot may say: a cast ballot's content checked and put in its canonical form, and
the same content in words (for the bulletin and the receipt check)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.ballots.models import Ballot, Candidate, Grade, Kind, Opinion, excellent_limit
from linli.core.errors import DomainError

MAX_COMMENT = 500


def check_content(ballot: Ballot, content: Any, candidates: list[Candidate]) -> Any:
    """The ballot's content in its canonical form, or a refusal saying what is wrong."""
    if ballot.kind == Kind.APPRAISAL:
        return _check_grades(ballot, content, candidates)
    if ballot.kind == Kind.OPINION:
        return _check_opinion(content)
    return _check_choices(ballot, content, candidates)


def _check_grades(ballot: Ballot, content: Any, candidates: list[Candidate]) -> dict[str, str]:
    ids = {str(c.pk) for c in candidates}
    if not isinstance(content, dict) or set(map(str, content)) != ids:
        raise DomainError("grades_missing", _("Grade every member, once each."))
    grades = {str(k): v for k, v in content.items()}
    if any(v not in Grade.values for v in grades.values()):
        raise DomainError("grade_unknown", _("Unknown grade."))
    limit = excellent_limit(len(candidates), ballot.excellent_share)
    if sum(1 for v in grades.values() if v == Grade.EXCELLENT) > limit:
        raise DomainError(
            "too_many_excellent",
            _("At most %(n)s members may be graded excellent."),
            n=limit,
        )
    return dict(sorted(grades.items()))


def _check_opinion(content: Any) -> dict[str, str]:
    if not isinstance(content, dict) or content.get("opinion") not in Opinion.values:
        raise DomainError("opinion_missing", _("Agree, disagree or abstain?"))
    comment = str(content.get("comment", "")).strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            "comment_long", _("Please keep it under %(limit)s characters."), limit=MAX_COMMENT
        )
    return {"opinion": content["opinion"], "comment": comment}


def _check_choices(ballot: Ballot, content: Any, candidates: list[Candidate]) -> list[str]:
    ids = {str(c.pk) for c in candidates}
    if not isinstance(content, list):
        raise DomainError("choices_invalid", _("Choose from the candidates."))
    chosen = [str(c) for c in content]
    if len(set(chosen)) != len(chosen) or not set(chosen) <= ids:
        raise DomainError("candidate_unknown", _("That choice is not on this ballot."))
    if len(chosen) > ballot.choose:
        raise DomainError("too_many", _("Choose at most %(n)s."), n=ballot.choose)
    return sorted(chosen, key=int)


def describe(ballot: Ballot, content: Any) -> str:
    """A cast ballot's content in words (for the bulletin and the receipt check)."""
    names = {str(c.pk): c.name for c in ballot.candidates.all()}
    if ballot.kind == Kind.APPRAISAL:
        return "；".join(f"{names.get(k, k)} {Grade(v).label}" for k, v in content.items())
    if ballot.kind == Kind.OPINION:
        return str(Opinion(content["opinion"]).label)
    return "、".join(names.get(str(c), str(c)) for c in content) or gettext("(none chosen)")
