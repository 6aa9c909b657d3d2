"""Every state change of an evaluation campaign: preparing, opening (the roll), answering
online or on paper, closing (the results and the improvement tasks), tasks, publishing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import has_role, require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, Grid, User
from linli.core.roles import EVALUATION_ORGANISERS, LEADERS, WORKERS
from linli.core.transactions import atomic_action
from linli.evaluations import privacy
from linli.evaluations.models import (
    WITH_RESULTS,
    Answer,
    Campaign,
    Kind,
    PaperBatch,
    Question,
    Response,
    RollEntry,
    Status,
    Target,
    Task,
    TaskStatus,
)
from linli.evaluations.workflow import CAMPAIGN_FLOW, ROLE_REFUSED, TASK_FLOW
from linli.notices.actions import publish_notice
from linli.notices.models import NoticeKind
from linli.people.models import Resident

MAX_TEXT = 1000


def _audit(actor: Any, code: str, campaign: Campaign, **data: Any) -> None:
    audit.record(
        actor=actor,
        code=f"evaluations.{code}",
        community=campaign.community,
        target=campaign,
        data={"title": campaign.title, **data},
    )


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("community").get(pk=campaign.pk)


def _check_access(actor: Any, campaign: Campaign, step: str) -> None:
    """Refuse someone whose role may not take this step of the campaign (status aside: it is
    checked once the campaign is locked)."""
    if not CAMPAIGN_FLOW.permits(actor, campaign, step):
        raise AccessDenied("access_denied", ROLE_REFUSED)


# --- preparing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInput:
    section: str
    kind: str
    text: str
    staff: User | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CampaignInput:
    title: str
    target: str
    opens_on: dt.date
    closes_on: dt.date
    questions: tuple[QuestionInput, ...]
    target_grid: Grid | None = None
    target_building: str = ""
    min_answers: int = 5
    min_comments: int = 8
    task_threshold: int = 70


def create_campaign(*, actor: Any, community: Community, data: CampaignInput) -> Campaign:
    """A draft campaign with its questionnaire, who answers and its thresholds."""
    require_role(actor, community, *EVALUATION_ORGANISERS)
    if not data.title.strip():
        raise DomainError("title_missing", _("A title is needed."))
    if data.target not in Target.values:
        raise DomainError("target_unknown", _("Say who answers."))
    if data.target == Target.GRID and (
        data.target_grid is None or data.target_grid.community_id != community.pk
    ):
        raise DomainError("grid_missing", _("Choose a grid of this community."))
    if data.target == Target.BUILDING and not data.target_building.strip():
        raise DomainError("building_missing", _("Give the building number."))
    if data.closes_on < data.opens_on:
        raise DomainError("dates_invalid", _("The campaign closes before it opens."))
    if data.min_answers < privacy.ABSOLUTE_MINIMUM:
        raise DomainError("minimum_too_low", _("A score is never shown with fewer than 3 answers."))
    if not data.questions:
        raise DomainError("questions_missing", _("Add at least one question."))
    for question in data.questions:
        if question.kind not in Kind.values or not question.text.strip():
            raise DomainError("question_invalid", _("Every question needs a kind and a text."))
        if question.kind == Kind.STAFF_SCORE and question.staff is None:
            raise DomainError("staff_missing", _("Name the staff member scored."))
        if question.kind in (Kind.SINGLE, Kind.MULTIPLE) and len(question.choices) < 2:
            raise DomainError("choices_missing", _("A choice question needs two choices."))
    with atomic_action():
        campaign = Campaign.objects.create(
            community=community,
            title=data.title.strip()[:200],
            target=data.target,
            target_grid=data.target_grid,
            target_building=data.target_building.strip(),
            opens_on=data.opens_on,
            closes_on=data.closes_on,
            min_answers=data.min_answers,
            min_comments=max(data.min_comments, data.min_answers + 1),
            task_threshold=data.task_threshold,
            created_by=actor,
        )
        Question.objects.bulk_create(
            Question(
                campaign=campaign,
                section=q.section.strip()[:100],
                position=i,
                kind=q.kind,
                text=q.text.strip()[:300],
                staff=q.staff,
                choices=list(q.choices),
            )
            for i, q in enumerate(data.questions)
        )
        _audit(actor, "created", campaign, questions=len(data.questions))
    return campaign


def _eligible(campaign: Campaign) -> Any:
    residents = Resident.objects.filter(community=campaign.community).adults()
    if campaign.target == Target.REPRESENTATIVES:
        residents = residents.filter(tags__code="representative")
    elif campaign.target == Target.GRID:
        residents = residents.filter(household__entrance__building__grid=campaign.target_grid)
    elif campaign.target == Target.BUILDING:
        residents = residents.filter(household__entrance__building__number=campaign.target_building)
    elif campaign.target == Target.HOUSEHOLDS:
        residents = residents.exclude(household=None)
    return residents.distinct()


def open_campaign(*, actor: Any, campaign: Campaign) -> Campaign:
    """Freeze the roll and open for answers (within the campaign's dates)."""
    _check_access(actor, campaign, "open")
    with atomic_action():
        campaign = _lock(campaign)
        CAMPAIGN_FLOW.check_status(campaign, "open")
        households = campaign.target == Target.HOUSEHOLDS
        roll = [
            RollEntry(
                campaign=campaign, resident_id=pk, household_key=household if households else None
            )
            for pk, household in _eligible(campaign).values_list("pk", "household_id")
        ]
        if not roll:
            raise DomainError("roll_empty", _("Nobody is eligible to answer."))
        RollEntry.objects.bulk_create(roll, batch_size=2000)
        campaign.status = Status.OPEN
        campaign.save(update_fields=["status"])
        _audit(actor, "opened", campaign, residents=len(roll))
    return campaign


# --- answering ------------------------------------------------------------------------------


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


def _place(resident: Resident) -> tuple[int | None, str]:
    household = resident.household
    if household is None or household.entrance is None:
        return None, ""
    building = household.entrance.building
    return building.grid_id, building.number


def answer_campaign(*, actor: Any, campaign: Campaign, raw: dict[int, Any]) -> None:
    """A resident on the roll answers once; the sheet is stored without them."""
    resident = (
        Resident.objects.filter(
            user_id=getattr(actor, "pk", None) or 0,
            community=campaign.community_id,
            status="active",
        )
        .select_related("household__entrance__building")
        .first()
    )
    if resident is None:
        raise AccessDenied("access_denied", _("Only residents of this community answer here."))
    today = timezone.localdate()
    answers = check_answers(list(campaign.questions.all()), raw)
    with atomic_action():
        current = Campaign.objects.select_for_update(no_key=True).get(pk=campaign.pk)
        if current.status != Status.OPEN or not current.opens_on <= today <= current.closes_on:
            raise DomainError("campaign_closed", _("This campaign is not open for answers."))
        entry = RollEntry.objects.filter(campaign=campaign, resident=resident).first()
        if entry is None:
            raise DomainError("not_on_roll", _("You are not among those asked in this campaign."))
        try:
            with transaction.atomic():
                claimed = RollEntry.objects.filter(pk=entry.pk, answered=False).update(
                    answered=True
                )
        except IntegrityError:  # the household's one answer is taken (a unique constraint)
            raise DomainError(
                "household_answered", _("Someone of your household has already answered.")
            ) from None
        if claimed != 1:
            raise DomainError("already_answered", _("You have already answered."))
        grid, building = _place(resident)
        response = Response.objects.create(
            campaign=campaign, day=today, grid_id=grid, building=building
        )
        for answer in answers:
            answer.response = response
        Answer.objects.bulk_create(answers)
        audit.record(
            actor=actor,
            code="evaluations.answered",
            community=campaign.community,
            target=campaign,
            data={"title": campaign.title},
        )


def hand_out_paper(*, actor: Any, campaign: Campaign, resident: Resident) -> None:
    """A resident without a phone gets a paper sheet: marked as answered, so they answer once."""
    _check_access(actor, campaign, "hand_out_paper")
    with atomic_action():
        locked = _lock(campaign)
        CAMPAIGN_FLOW.check_status(locked, "hand_out_paper")
        try:
            with transaction.atomic():
                claimed = RollEntry.objects.filter(
                    campaign=campaign, resident=resident, answered=False
                ).update(answered=True)
        except IntegrityError:
            claimed = 0
        if claimed != 1:
            raise DomainError(
                "not_eligible",
                _("%(name)s is not asked or has already answered."),
                name=resident.name,
            )
        _audit(actor, "paper_handed_out", locked)


def start_batch(*, actor: Any, campaign: Campaign, sheets: int) -> PaperBatch:
    """A batch of paper sheets, to be typed in by who starts it and checked by a colleague."""
    _check_access(actor, campaign, "start_batch")
    if not 1 <= sheets <= 500:
        raise DomainError("sheets_invalid", _("A batch holds 1 to 500 sheets."))
    with atomic_action():
        locked = _lock(campaign)
        CAMPAIGN_FLOW.check_status(locked, "start_batch")
        batch = PaperBatch.objects.create(
            campaign=campaign, declared_sheets=sheets, entered_by=actor
        )
        _audit(actor, "batch_started", locked, sheets=sheets)
    return batch


def enter_sheet(
    *,
    actor: Any,
    batch: PaperBatch,
    raw: dict[int, Any],
    grid: Grid | None = None,
    building: str = "",
) -> Response:
    """One paper sheet of a batch, typed in by the staff member who started the batch."""
    campaign = batch.campaign
    require_role(actor, campaign.community, *WORKERS)
    if batch.entered_by_id != getattr(actor, "pk", None):
        raise AccessDenied("access_denied", _("Only who started the batch enters its sheets."))
    answers = check_answers(list(campaign.questions.all()), raw)
    with atomic_action():
        locked = PaperBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.checked:
            raise DomainError("batch_checked", _("This batch was already checked."))
        if locked.responses.count() >= locked.declared_sheets:
            raise DomainError(
                "batch_full",
                _("The batch has %(n)s sheets; all are entered."),
                n=locked.declared_sheets,
            )
        response = Response.objects.create(
            campaign=campaign,
            day=timezone.localdate(),
            grid=grid,
            building=building.strip()[:20],
            on_paper=True,
            batch=locked,
        )
        for answer in answers:
            answer.response = response
        Answer.objects.bulk_create(answers)
    return response


def check_batch(*, actor: Any, batch: PaperBatch) -> PaperBatch:
    """A second staff member checks the batch against the sheets; then it counts."""
    campaign = batch.campaign
    require_role(actor, campaign.community, *WORKERS)
    if batch.entered_by_id == getattr(actor, "pk", None):
        raise DomainError("same_person", _("Another staff member must check the batch."))
    with atomic_action():
        locked = PaperBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.checked:
            raise DomainError("batch_checked", _("This batch was already checked."))
        entered = locked.responses.count()
        if entered != locked.declared_sheets:
            raise DomainError(
                "batch_mismatch",
                _("The batch should have %(declared)s sheets but %(entered)s are entered."),
                declared=locked.declared_sheets,
                entered=entered,
            )
        locked.checked = True
        locked.checked_by = actor
        locked.save(update_fields=["checked", "checked_by"])
        _audit(actor, "batch_checked", campaign, sheets=entered)
    return locked


# --- results --------------------------------------------------------------------------------


def _dec(value: float) -> str:
    return str(Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP))


LEVEL_VALUES = range(1, 6)  # the five satisfaction levels, counted in the one aggregate


def compute_results(campaign: Campaign) -> dict[str, Any]:
    """Distributions, averages and breakdowns, with everything too small to show left out.

    One aggregate over the answers, grouped by question and place (the cells: the grid, or the
    building when the campaign asks one grid — the only breakdown shown, since grids and
    buildings overlap and could be subtracted from each other), with each cell's count, sum
    and count per value; totals and breakdowns are sums of cells. A choice question with more
    than six choices gets one more query; the others are counted by the aggregate."""
    questions = list(campaign.questions.select_related("staff"))
    checked = list(campaign.batches.filter(checked=True).values_list("pk", flat=True))
    counted = Response.objects.filter(campaign=campaign).filter(
        Q(batch__isnull=True) | Q(batch_id__in=checked)
    )
    # One join to the sheets (not a sub-select), which the cells are grouped by anyway.
    answers = Answer.objects.filter(response__campaign=campaign).filter(
        Q(response__batch__isnull=True) | Q(response__batch_id__in=checked)
    )
    by_building = campaign.target == Target.GRID
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
    per: dict[int, dict[str, Any]] = {}
    for question_id, place, n, total, v1, v2, v3, v4, v5 in cells:
        q = per.get(question_id)
        if q is None:
            q = per[question_id] = {
                "n": 0,
                "sum": 0,
                "values": [0] * 6,
                "grids": {},
                "buildings": {},
            }
        q["n"] += n
        q["sum"] += total
        levels = q["values"]
        levels[1] += v1
        levels[2] += v2
        levels[3] += v3
        levels[4] += v4
        levels[5] += v5
        satisfied = v3 + v4 + v5
        group = q["buildings"] if by_building else q["grids"]
        key = str(place or "")
        cell = group.get(key)
        if cell is None:
            group[key] = [n, total, satisfied]
        else:
            cell[0] += n
            cell[1] += total
            cell[2] += satisfied
    # Choice questions (numbered from 0): up to six choices, the aggregate's counts of 1 to 5
    # and the rest for 0; more choices, their own small count.
    extra: dict[int, dict[int, int]] = {}
    single = []
    for question in questions:
        if question.kind != Kind.SINGLE:
            continue
        if len(question.choices) > len(LEVEL_VALUES) + 1:
            single.append(question.pk)
        elif question.pk in per:
            counted_values = per[question.pk]["values"]
            extra[question.pk] = {v: counted_values[v] for v in LEVEL_VALUES}
            extra[question.pk][0] = per[question.pk]["n"] - sum(counted_values[1:])
    for question_id, number, n in (
        answers.filter(question_id__in=single)
        .values_list("question_id", "number")
        .annotate(n=Count("id"))
        .order_by()
        if single
        else []
    ):
        extra.setdefault(question_id, {})[number] = n
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        answers.filter(question__kind=Kind.TEXT).exclude(text="").values_list("question_id", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    multiple: dict[int, dict[int, int]] = {}
    for question_id, picked in answers.filter(question__kind=Kind.MULTIPLE).values_list(
        "question_id", "choices"
    ):
        counts = multiple.setdefault(question_id, {})
        for p in picked:
            counts[p] = counts.get(p, 0) + 1
    least = campaign.min_answers
    grid_names = {
        str(k): v
        for k, v in Grid.objects.filter(community=campaign.community).values_list("pk", "name")
    }
    results: dict[str, Any] = {"responses": counted.count(), "questions": []}
    for question in questions:
        data = per.get(
            question.pk, {"n": 0, "sum": 0, "values": [0] * 6, "grids": {}, "buildings": {}}
        )
        n = data["n"]
        values = data["values"]
        item: dict[str, Any] = {
            "id": question.pk,
            "section": question.section,
            "text": question.text,
            "kind": question.kind,
            "n": n,
        }
        if question.kind == Kind.SATISFACTION:
            if 0 < n < privacy.minimum(least):
                item["hidden"] = True  # too few answers: the figures would be the answers
            else:
                item["distribution"] = {str(level): values[level] for level in (5, 4, 3, 2, 1)}
                if n:
                    item["average"] = _dec(data["sum"] / n)
                    item["score"] = _dec(100 * sum(values[3:6]) / n)
                # One breakdown only: grids and buildings overlap and could be subtracted from
                # each other. Buildings when the campaign asks a single grid.
                if campaign.target == Target.GRID:
                    item["grids"] = []
                    item["buildings"] = _breakdown(data["buildings"], least, {})
                else:
                    item["grids"] = _breakdown(data["grids"], least, grid_names)
                    item["buildings"] = []
        elif question.kind == Kind.STAFF_SCORE:
            item["staff"] = str(question.staff) if question.staff else ""
            item["staff_id"] = question.staff_id
            if privacy.person_average_visible(n, least):
                item["average"] = _dec(data["sum"] / n)
                item["score"] = item["average"]
            else:
                item["hidden"] = True
        elif question.kind == Kind.SINGLE:
            by_choice = extra.get(question.pk, {})
            item["counts"] = [by_choice.get(i, 0) for i in range(len(question.choices))]
            item["choices"] = question.choices
        elif question.kind == Kind.MULTIPLE:
            picked = multiple.get(question.pk, {})
            item["counts"] = [picked.get(i, 0) for i in range(len(question.choices))]
            item["choices"] = question.choices
        else:
            comments = texts.get(question.pk, [])
            item["n"] = len(comments)
            if (
                question.staff_id
                and not privacy.person_comments_visible(len(comments), campaign.min_comments, least)
            ) or 0 < len(comments) < privacy.minimum(least):
                item["hidden"] = True
            else:
                item["comments"] = sorted(comments)
        results["questions"].append(item)
    return results


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


def close_campaign(*, actor: Any, campaign: Campaign) -> Campaign:
    """Close: compute the results (compared with the previous campaign) and turn each item
    under the threshold into an improvement task."""
    _check_access(actor, campaign, "close")
    with atomic_action():
        campaign = _lock(campaign)
        CAMPAIGN_FLOW.check_status(campaign, "close")
        unchecked = campaign.batches.filter(checked=False).count()
        if unchecked:
            raise DomainError(
                "batches_unchecked", _("%(n)s paper batches are not yet checked."), n=unchecked
            )
        results = compute_results(campaign)
        campaign.closed_at = timezone.now()
        previous = previous_campaign(campaign)
        if previous is not None:
            before = {
                (q["section"], q["text"]): q.get("score")
                for q in previous.results.get("questions", [])
            }
            for item in results["questions"]:
                old = before.get((item["section"], item["text"]))
                if old is not None and item.get("score") is not None:
                    item["change"] = _dec(float(item["score"]) - float(old))
            results["previous"] = previous.title
        campaign.results = results
        campaign.status = Status.CLOSED
        campaign.save(update_fields=["results", "status", "closed_at"])
        deadline = timezone.localdate() + dt.timedelta(days=30)
        questions = {q.pk: q for q in campaign.questions.all()}
        tasks = [
            Task(
                campaign=campaign,
                question=questions[item["id"]],
                title=item["text"][:200],
                score=Decimal(item["score"]),
                owner=campaign.created_by,
                deadline=deadline,
            )
            for item in results["questions"]
            if item.get("score") is not None and float(item["score"]) < campaign.task_threshold
        ]
        Task.objects.bulk_create(tasks)
        _audit(actor, "closed", campaign, responses=results["responses"], tasks=len(tasks))
    return campaign


# --- improvement tasks ----------------------------------------------------------------------


def add_task(
    *, actor: Any, campaign: Campaign, title: str, owner: User, deadline: dt.date, plan: str = ""
) -> Task:
    """A leader picks an item as a task, even one that scored well."""
    CAMPAIGN_FLOW.check(actor, campaign, "add_task")
    if not title.strip():
        raise DomainError("title_missing", _("Name the task."))
    if deadline < timezone.localdate():
        raise DomainError("deadline_past", _("The deadline is in the past."))
    with atomic_action():
        task = Task.objects.create(
            campaign=campaign,
            title=title.strip()[:200],
            owner=owner,
            deadline=deadline,
            plan=plan.strip(),
        )
        _audit(actor, "task_added", campaign, task=task.title)
    return task


def update_task(
    *,
    actor: Any,
    task: Task,
    owner: User | None = None,
    deadline: dt.date | None = None,
    plan: str | None = None,
    progress: str | None = None,
    done: bool = False,
) -> Task:
    """Plan, progress and completion; a task a leader finishes is published on the board, in
    the same transaction (done and published, or neither)."""
    step = "finish" if done else "update"
    if not TASK_FLOW.permits(actor, task, step):
        raise AccessDenied("access_denied", ROLE_REFUSED)
    with atomic_action():
        task = (
            Task.objects.select_for_update().select_related("campaign__community").get(pk=task.pk)
        )
        TASK_FLOW.check_status(task, step)
        if owner is not None:
            task.owner = owner
        if deadline is not None:
            task.deadline = deadline
        if plan is not None:
            task.plan = plan.strip()
        if progress:
            stamp = timezone.localdate().isoformat()
            task.progress = f"{task.progress}\n{stamp} {progress.strip()}".strip()
        if done:
            _finish(actor, task)
        task.save()
        _audit(actor, "task_updated", task.campaign, task=task.title, done=done)
    return task


def _finish(actor: Any, task: Task) -> None:
    """Mark the task done; when a leader finishes it, publish it on the board."""
    if not task.progress:
        raise DomainError("progress_missing", _("Say what was done before finishing."))
    task.status = TaskStatus.DONE
    task.done_at = timezone.now()
    community = task.campaign.community
    if has_role(actor, community, *LEADERS):
        task.notice = publish_notice(
            actor=actor,
            community=community,
            kind=NoticeKind.EVALUATION_RESULTS,
            title=gettext("Improvement done: %(task)s") % {"task": task.title},
            body=task.progress,
            source=task,
        )


def publish_results(*, actor: Any, campaign: Campaign) -> Campaign:
    """The results notice: what residents said, without anything too small to show.

    The campaign row is locked and its status checked before the notice is published in the
    same transaction, so a double click publishes once and a failure publishes nothing."""
    _check_access(actor, campaign, "publish")
    with atomic_action():
        campaign = _lock(campaign)
        CAMPAIGN_FLOW.check_status(campaign, "publish")
        campaign.notice = publish_notice(
            actor=actor,
            community=campaign.community,
            kind=NoticeKind.EVALUATION_RESULTS,
            title=gettext("Evaluation results: %(title)s") % {"title": campaign.title},
            body=results_text(campaign),
            source=campaign,
        )
        campaign.status = Status.PUBLISHED
        campaign.save(update_fields=["notice", "status"])
        _audit(actor, "results_published", campaign)
    return campaign


def results_text(campaign: Campaign) -> str:
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
