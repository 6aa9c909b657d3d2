"""The questionnaire: questions written as lines of text, and an answer sheet checked against
its questions before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.errors import DomainError
from linli.core.models import Community, User
from linli.core.roles import WORKERS
from linli.evaluations.models import Answer, Kind, Question

MAX_TEXT = 1000


@dataclass(frozen=True)
class QuestionInput:
    section: str
    kind: str
    text: str
    staff: User | None = None
    choices: tuple[str, ...] = ()


KIND_WORDS = {
    "satisfaction": Kind.SATISFACTION,
    "满意度": Kind.SATISFACTION,
    "staff": Kind.STAFF_SCORE,
    "打分": Kind.STAFF_SCORE,
    "single": Kind.SINGLE,
    "单选": Kind.SINGLE,
    "multiple": Kind.MULTIPLE,
    "多选": Kind.MULTIPLE,
    "text": Kind.TEXT,
    "文字": Kind.TEXT,
}


def parse_questions(
    community: Community, text: str, *, every_staff_member: bool = False
) -> tuple[QuestionInput, ...]:
    """Questions from lines of "section | kind | question | choices or login"; a refusal
    names the line."""
    questions: list[QuestionInput] = []
    staff = {
        u.username: u
        for u in User.objects.filter(roles__community=community, roles__role__in=WORKERS).distinct()
    }
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 3 or parts[1] not in KIND_WORDS:
            raise DomainError(
                "question_line",
                _(
                    "Line %(n)s: write section | kind | question (kinds: satisfaction, "
                    "staff, single, multiple, text)."
                ),
                n=number,
            )
        kind = KIND_WORDS[parts[1]]
        extra = parts[3] if len(parts) > 3 else ""
        member = None
        choices: tuple[str, ...] = ()
        if kind == Kind.STAFF_SCORE:
            member = staff.get(extra)
            if member is None:
                raise DomainError(
                    "question_staff",
                    _("Line %(n)s: no staff member of this community logs in as “%(login)s”."),
                    n=number,
                    login=extra,
                )
        elif kind in (Kind.SINGLE, Kind.MULTIPLE):
            choices = tuple(c.strip() for c in extra.replace("；", ";").split(";") if c.strip())
            if len(choices) < 2:
                raise DomainError(
                    "question_choices",
                    _("Line %(n)s: give at least two choices, separated by ;."),
                    n=number,
                )
        questions.append(QuestionInput(parts[0], kind, parts[2], member, choices))
    if every_staff_member:
        named = {q.staff.pk for q in questions if q.staff is not None}
        for member in sorted(staff.values(), key=lambda u: u.pk):
            if member.pk not in named:
                questions.append(
                    QuestionInput(
                        gettext("Staff"),
                        Kind.STAFF_SCORE,
                        gettext("Your score for %(name)s's work") % {"name": member},
                        member,
                    )
                )
    return tuple(questions)


def check_answers(questions: list[Question], raw: dict[int, Any]) -> list[Answer]:
    """The sheet as Answer rows (not yet saved), or a refusal naming the question."""
    answers = []
    for question in questions:
        value = raw.get(question.pk)
        if value in (None, "", []):
            continue
        answer = Answer(question=question)
        if question.kind == Kind.SATISFACTION:
            number = _int(value)
            if number is None or not 1 <= number <= 5:
                raise DomainError(
                    "level_invalid", _("“%(q)s”: choose one of the five levels."), q=question.text
                )
            answer.number = number
        elif question.kind == Kind.STAFF_SCORE:
            number = _int(value)
            if number is None or not 0 <= number <= 100:
                raise DomainError(
                    "score_invalid", _("“%(q)s”: a score from 0 to 100."), q=question.text
                )
            answer.number = number
        elif question.kind == Kind.SINGLE:
            number = _int(value)
            if number is None or not 0 <= number < len(question.choices):
                raise DomainError(
                    "choice_invalid", _("“%(q)s”: choose one of the answers."), q=question.text
                )
            answer.number = number
        elif question.kind == Kind.MULTIPLE:
            picked = sorted({_int(v) for v in value} - {None})  # type: ignore[type-var]
            if not picked or any(not 0 <= p < len(question.choices) for p in picked):  # type: ignore[operator]
                raise DomainError(
                    "choice_invalid", _("“%(q)s”: choose from the answers."), q=question.text
                )
            answer.choices = picked
        else:
            text = str(value).strip()
            if len(text) > MAX_TEXT:
                raise DomainError(
                    "text_long",
                    _("“%(q)s”: please keep it under %(n)s characters."),
                    q=question.text,
                    n=MAX_TEXT,
                )
            answer.text = text
        answers.append(answer)
    if not answers:
        raise DomainError("sheet_empty", _("The sheet has no answers."))
    return answers


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
