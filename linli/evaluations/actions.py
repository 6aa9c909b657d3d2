"""Every state change of an evaluation campaign: preparing, opening (the roll), answering
online or on paper, closing (the results and the improvement tasks), tasks, publishing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import has_role, require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, Grid, User
from linli.core.roles import EVALUATION_ORGANISERS, LEADERS, WORKERS
from linli.core.transactions import atomic_action, in_caller_transaction
from linli.evaluations import privacy
from linli.evaluations.models import (
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
from linli.evaluations.questions import (
    QuestionInput,
    check_answers,
)
from linli.evaluations.questions import (
    parse_questions as parse_questions,  # the views, the demo and the benchmark build with it
)
from linli.evaluations.results import (
    compare,
    previous_campaign,
    results_text,
    under_threshold,
)
from linli.evaluations.results import (
    compute_results as compute_results,  # the benchmark times it
)
from linli.evaluations.workflow import CAMPAIGN_FLOW, TASK_FLOW
from linli.notices.actions import publish_notice
from linli.notices.models import NoticeKind
from linli.people.models import Resident


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


# --- preparing ------------------------------------------------------------------------------


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
    CAMPAIGN_FLOW.check_access(actor, campaign, "open")
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
    if in_caller_transaction():
        # The answers and the record that this resident answered commit apart (see below), so
        # an answer never joins another action's transaction.
        raise RuntimeError("answer_campaign runs only at the entry point (a view, a test)")
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
    # That the resident answered is audited in a transaction of its own, so that no row written
    # with the answers (same transaction id) names the resident, as with a cast ballot.
    with atomic_action():
        audit.record(
            actor=actor,
            code="evaluations.answered",
            community=campaign.community,
            target=campaign,
            data={"title": campaign.title},
        )


def hand_out_paper(*, actor: Any, campaign: Campaign, resident: Resident) -> None:
    """A resident without a phone gets a paper sheet: marked as answered, so they answer once."""
    CAMPAIGN_FLOW.check_access(actor, campaign, "hand_out_paper")
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
    CAMPAIGN_FLOW.check_access(actor, campaign, "start_batch")
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


def close_campaign(*, actor: Any, campaign: Campaign) -> Campaign:
    """Close: compute the results (compared with the previous campaign) and turn each item
    under the threshold into an improvement task."""
    CAMPAIGN_FLOW.check_access(actor, campaign, "close")
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
            compare(results, previous)
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
            for item in under_threshold(campaign, results)
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
    TASK_FLOW.check_access(actor, task, step)
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
    CAMPAIGN_FLOW.check_access(actor, campaign, "publish")
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
