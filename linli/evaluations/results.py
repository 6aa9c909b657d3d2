"""Reading an evaluation's results: computing them when a campaign closes (everything too small
to show left out), comparing them with the previous campaign, the text of the results notice,
and what they say about a staff member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from linli.core.models import Community, Grid, User
from linli.evaluations import privacy
from linli.evaluations.models import (
    WITH_RESULTS,
    Answer,
    Campaign,
    Kind,
    Question,
    Response,
    Target,
)

LEVEL_VALUES = range(1, 6)  # the five satisfaction levels, counted in the one aggregate


def _dec(value: float) -> str:
    return str(Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP))


@dataclass
class Tally:
    """One question's numbers, summed over its cells (place × question)."""

    n: int = 0
    sum: int = 0
    # Answers per value 1..5 (index 0 unused).
    values: list[int] = field(default_factory=lambda: [0] * 6)
    # Place → [answers, sum, satisfied]: grids, or buildings when the campaign asks one grid.
    places: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Counts:
    """Everything counted from the answers that count, before anything is hidden."""

    responses: int
    tallies: dict[int, Tally]
    choices: dict[int, dict[int, int]]  # single choice: question → choice → answers
    picked: dict[int, dict[int, int]]  # multiple choice: question → choice → answers
    texts: dict[int, list[str]]


def compute_results(campaign: Campaign) -> dict[str, Any]:
    """Distributions, averages and breakdowns, with everything too small to show left out.

    One aggregate over the answers, grouped by question and place (the cells: the grid, or the
    building when the campaign asks one grid — the only breakdown shown, since grids and
    buildings overlap and could be subtracted from each other), with each cell's count, sum
    and count per value; totals and breakdowns are sums of cells. A choice question with more
    than six choices gets one more query; the others are counted by the aggregate."""
    questions = list(campaign.questions.select_related("staff"))
    counts = _count(campaign, questions)
    grid_names = {
        str(k): v
        for k, v in Grid.objects.filter(community=campaign.community).values_list("pk", "name")
    }
    return {
        "responses": counts.responses,
        "questions": [_item(campaign, q, counts, grid_names) for q in questions],
    }


def _count(campaign: Campaign, questions: list[Question]) -> Counts:
    """The counts of the sheets that count: online ones and those of checked paper batches."""
    checked = list(campaign.batches.filter(checked=True).values_list("pk", flat=True))
    counted = Response.objects.filter(campaign=campaign).filter(
        Q(batch__isnull=True) | Q(batch_id__in=checked)
    )
    # One join to the sheets (not a sub-select), which the cells are grouped by anyway.
    answers = Answer.objects.filter(response__campaign=campaign).filter(
        Q(response__batch__isnull=True) | Q(response__batch_id__in=checked)
    )
    tallies = _tally(answers, by_building=campaign.target == Target.GRID)
    return Counts(
        responses=counted.count(),
        tallies=tallies,
        choices=_single_choices(answers, questions, tallies),
        picked=_multiple_choices(answers),
        texts=_texts(answers),
    )


def _tally(answers: QuerySet[Answer], *, by_building: bool) -> dict[int, Tally]:
    """The one aggregate: per question and place, the answers, their sum and each value."""
    cells = (
        answers.filter(number__isnull=False)
        .values_list("question_id", "response__building" if by_building else "response__grid_id")
        .annotate(
            n=Count("id"),
            total=Sum("number"),
            **{f"v{v}": Count("id", filter=Q(number=v)) for v in LEVEL_VALUES},
        )
        .order_by()
    )
    tallies: dict[int, Tally] = {}
    for question_id, place, n, total, *per_value in cells:
        tally = tallies.setdefault(question_id, Tally())
        tally.n += n
        tally.sum += total
        for value, count in zip(LEVEL_VALUES, per_value, strict=True):
            tally.values[value] += count
        satisfied = sum(per_value[2:])  # basically satisfied, satisfied, very satisfied
        cell = tally.places.setdefault(str(place or ""), [0, 0, 0])
        cell[0] += n
        cell[1] += total
        cell[2] += satisfied
    return tallies


def _single_choices(
    answers: QuerySet[Answer], questions: list[Question], tallies: dict[int, Tally]
) -> dict[int, dict[int, int]]:
    """Choice questions (numbered from 0): up to six choices, the aggregate's counts of 1 to 5
    and the rest for 0; more choices, their own small count."""
    counts: dict[int, dict[int, int]] = {}
    many = []
    for question in questions:
        if question.kind != Kind.SINGLE:
            continue
        if len(question.choices) > len(LEVEL_VALUES) + 1:
            many.append(question.pk)
        elif question.pk in tallies:
            tally = tallies[question.pk]
            counts[question.pk] = {v: tally.values[v] for v in LEVEL_VALUES}
            counts[question.pk][0] = tally.n - sum(tally.values[1:])
    if many:
        for question_id, number, n in (
            answers.filter(question_id__in=many)
            .values_list("question_id", "number")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts.setdefault(question_id, {})[number] = n
    return counts


def _multiple_choices(answers: QuerySet[Answer]) -> dict[int, dict[int, int]]:
    counts: dict[int, dict[int, int]] = {}
    for question_id, picked in answers.filter(question__kind=Kind.MULTIPLE).values_list(
        "question_id", "choices"
    ):
        per_choice = counts.setdefault(question_id, {})
        for p in picked:
            per_choice[p] = per_choice.get(p, 0) + 1
    return counts


def _texts(answers: QuerySet[Answer]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        answers.filter(question__kind=Kind.TEXT).exclude(text="").values_list("question_id", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    return texts


def _item(
    campaign: Campaign, question: Question, counts: Counts, grid_names: dict[str, str]
) -> dict[str, Any]:
    """One question's results, leaving out what is too small to show."""
    tally = counts.tallies.get(question.pk, Tally())
    item: dict[str, Any] = {
        "id": question.pk,
        "section": question.section,
        "text": question.text,
        "kind": question.kind,
        "n": tally.n,
    }
    least = campaign.min_answers
    if question.kind == Kind.SATISFACTION:
        item.update(_satisfaction(campaign, tally, grid_names))
    elif question.kind == Kind.STAFF_SCORE:
        item["staff"] = str(question.staff) if question.staff else ""
        item["staff_id"] = question.staff_id
        if privacy.person_average_visible(tally.n, least):
            item["average"] = _dec(tally.sum / tally.n)
            item["score"] = item["average"]
        else:
            item["hidden"] = True
    elif question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        source = counts.choices if question.kind == Kind.SINGLE else counts.picked
        by_choice = source.get(question.pk, {})
        item["counts"] = [by_choice.get(i, 0) for i in range(len(question.choices))]
        item["choices"] = question.choices
    else:
        item.update(_comments(campaign, question, counts.texts.get(question.pk, [])))
    return item


def _satisfaction(campaign: Campaign, tally: Tally, grid_names: dict[str, str]) -> dict[str, Any]:
    n = tally.n
    if 0 < n < privacy.minimum(campaign.min_answers):
        return {"hidden": True}  # too few answers: the figures would be the answers
    values = tally.values
    item: dict[str, Any] = {
        "distribution": {str(level): values[level] for level in (5, 4, 3, 2, 1)}
    }
    if n:
        item["average"] = _dec(tally.sum / n)
        item["score"] = _dec(100 * sum(values[3:6]) / n)
    # One breakdown only: grids and buildings overlap and could be subtracted from each other.
    # Buildings when the campaign asks a single grid.
    if campaign.target == Target.GRID:
        item["grids"] = []
        item["buildings"] = _breakdown(tally.places, campaign.min_answers, {})
    else:
        item["grids"] = _breakdown(tally.places, campaign.min_answers, grid_names)
        item["buildings"] = []
    return item


def _comments(campaign: Campaign, question: Question, comments: list[str]) -> dict[str, Any]:
    least = campaign.min_answers
    hidden = (
        question.staff_id
        and not privacy.person_comments_visible(len(comments), campaign.min_comments, least)
    ) or 0 < len(comments) < privacy.minimum(least)
    if hidden:
        return {"n": len(comments), "hidden": True}
    return {"n": len(comments), "comments": sorted(comments)}


def _breakdown(
    groups: dict[str, list[int]], least: int, names: dict[str, str]
) -> list[dict[str, Any]]:
    """Rows of a breakdown (grid or building): answers, average, satisfied share; only the
    groups that may be shown."""
    # Answers with no grid or building count as a group too (never displayed), so that they
    # cannot be worked out as the total minus the groups shown.
    counts = {g: cell[0] for g, cell in groups.items()}
    shown = privacy.visible_groups(counts, least) - {""}
    rows = []
    for group in sorted(shown):
        n, total, satisfied = groups[group]
        rows.append(
            {
                "name": names.get(group, group),
                "n": n,
                "average": _dec(total / n),
                "score": _dec(100 * satisfied / n),
            }
        )
    return rows


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The community's campaign that closed last before this one."""
    return (
        Campaign.objects.filter(
            community=campaign.community,
            status__in=WITH_RESULTS,
            closed_at__lt=campaign.closed_at or timezone.now(),
        )
        .exclude(pk=campaign.pk)
        .order_by("-closed_at")
        .first()
    )


def compare(results: dict[str, Any], previous: Campaign) -> None:
    """Add to each scored item its change since the previous campaign (the same section and
    question), and name that campaign."""
    before = {
        (q["section"], q["text"]): q.get("score") for q in previous.results.get("questions", [])
    }
    for item in results["questions"]:
        old = before.get((item["section"], item["text"]))
        if old is not None and item.get("score") is not None:
            item["change"] = _dec(float(item["score"]) - float(old))
    results["previous"] = previous.title


def under_threshold(campaign: Campaign, results: dict[str, Any]) -> list[dict[str, Any]]:
    """The scored items under the campaign's threshold: each becomes an improvement task."""
    return [
        item
        for item in results["questions"]
        if item.get("score") is not None and float(item["score"]) < campaign.task_threshold
    ]


def results_text(campaign: Campaign) -> str:
    """The body of the results notice: the number of sheets, each score, the tasks."""
    results = campaign.results
    lines = [gettext("Answer sheets: %(n)s") % {"n": results.get("responses", 0)}]
    for item in results.get("questions", []):
        if item["kind"] in (Kind.SATISFACTION, Kind.STAFF_SCORE) and item.get("score"):
            lines.append(f"{item['section']} · {item['text']}：{item['score']}")
    tasks = list(campaign.tasks.all())
    if tasks:
        lines.append("")
        lines.append(gettext("Improvement tasks:"))
        lines.extend(f"- {t.title}（{t.deadline:%Y-%m-%d}）" for t in tasks)
    return "\n".join(lines)


def staff_scores(
    community: Community, staff: User, first: dt.date, last: dt.date
) -> list[tuple[str, str | None, int]]:
    """(campaign, average or None where too few answered, answers) for every score question
    about the staff member in campaigns of the community that closed within the period."""
    scores = []
    for campaign in Campaign.objects.filter(
        community=community, status__in=WITH_RESULTS, closes_on__gte=first, closes_on__lte=last
    ):
        for item in campaign.results.get("questions", []):
            if item.get("staff_id") == staff.pk:
                scores.append((campaign.title, item.get("average"), item["n"]))
    return scores
