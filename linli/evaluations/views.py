"""Evaluation screens: preparing and running a campaign, the residents' questionnaire, paper
batches, results with improvement tasks and the xlsx export."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from linli.core.access import has_role
from linli.core.errors import DomainError
from linli.core.models import Community, Role
from linli.core.roles import EVALUATION_ORGANISERS, READERS, STAFF_SHEET_READERS, WORKERS
from linli.core.views_helpers import community_view
from linli.evaluations import actions
from linli.evaluations.forms import (
    BatchForm,
    CampaignForm,
    QuestionnaireForm,
    TaskForm,
)
from linli.evaluations.models import Campaign, PaperBatch, RollEntry, Task
from linli.evaluations.questions import parse_questions
from linli.evaluations.workflow import CAMPAIGN_FLOW, TASK_FLOW
from linli.people.models import Resident


def _campaign(community: Community, pk: int) -> Campaign:
    return get_object_or_404(Campaign, community=community, pk=pk)


@community_view(*READERS)
def campaign_list(request: HttpRequest, community: Community) -> HttpResponse:
    return render(
        request,
        "evaluations/list.html",
        {
            "community": community,
            "campaigns": Campaign.objects.filter(community=community)[:100],
            "may_prepare": has_role(request.user, community, *EVALUATION_ORGANISERS),
            "staff_sheet": has_role(request.user, community, *STAFF_SHEET_READERS),
        },
    )


@community_view(*EVALUATION_ORGANISERS)
def campaign_new(request: HttpRequest, community: Community) -> HttpResponse:
    form = CampaignForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questions = parse_questions(
                community, data["questions"], every_staff_member=data["score_every_staff_member"]
            )
            campaign = actions.create_campaign(
                actor=request.user,
                community=community,
                data=actions.CampaignInput(
                    title=data["title"],
                    target=data["target"],
                    target_grid=data["target_grid"],
                    target_building=data["target_building"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    questions=questions,
                    min_answers=data["min_answers"],
                    min_comments=data["min_comments"],
                    task_threshold=data["task_threshold"],
                ),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("evaluations:detail", community.code, campaign.pk)
    return render(
        request,
        "evaluations/new.html",
        {"community": community, "form": form},
        status=400 if form.errors else 200,
    )


@community_view(*READERS)
def campaign_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    campaign = _campaign(community, pk)
    closed = campaign.has_results
    roll = RollEntry.objects.filter(campaign=campaign)
    scored = [q for q in campaign.results.get("questions", []) if q.get("score")] if closed else []
    chart = {
        "months": [q["text"][:12] for q in scored],
        "series": [
            {"name": _("Score"), "type": "bar", "data": [float(q["score"]) for q in scored]}
        ],
    }
    return render(
        request,
        "evaluations/detail.html",
        {
            "community": community,
            "campaign": campaign,
            "allowed": CAMPAIGN_FLOW.available(request.user, campaign),
            "questions": campaign.questions.select_related("staff"),
            "asked": roll.count(),
            "answered": roll.filter(answered=True).count(),
            "desk": has_role(request.user, community, *WORKERS),
            "results": campaign.results if closed else None,
            "tasks": _tasks(request, community, campaign),
            "batches": campaign.batches.select_related("entered_by", "checked_by"),
            "batch_form": BatchForm(),
            "chart": chart if scored else None,
        },
    )


def _tasks(
    request: HttpRequest, community: Community, campaign: Campaign
) -> list[tuple[Task, TaskForm | None]]:
    """Each improvement task, with its form where the person may update it."""
    rows: list[tuple[Task, TaskForm | None]] = []
    for task in campaign.tasks.select_related("owner", "campaign__community"):
        form = None
        if "update" in TASK_FLOW.available(request.user, task):
            form = TaskForm(
                community=community,
                prefix=f"t{task.pk}",
                initial={"owner": task.owner_id, "deadline": task.deadline, "plan": task.plan},
            )
        rows.append((task, form))
    return rows


def _take_step(
    request: HttpRequest, community: Community, pk: int, step: Callable[..., Campaign]
) -> HttpResponse:
    """Take one step of the campaign (open, close, publish) and go back to its page."""
    campaign = _campaign(community, pk)
    try:
        step(actor=request.user, campaign=campaign)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("evaluations:detail", community.code, campaign.pk)


@require_POST
@community_view(*CAMPAIGN_FLOW.step("open").roles)
def open_campaign(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _take_step(request, community, pk, actions.open_campaign)


@require_POST
@community_view(*CAMPAIGN_FLOW.step("close").roles)
def close_campaign(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _take_step(request, community, pk, actions.close_campaign)


@require_POST
@community_view(*CAMPAIGN_FLOW.step("publish").roles)
def publish_results(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _take_step(request, community, pk, actions.publish_results)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    entries = (
        RollEntry.objects.filter(resident__user_id=request.user.pk or 0)
        .select_related("campaign__community")
        .order_by("-campaign__opens_on")[:50]
    )
    return render(
        request, "evaluations/mine.html", {"entries": entries, "today": timezone.localdate()}
    )


@community_view(Role.RESIDENT)
def answer(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The questionnaire on a phone; the answers are stored without the resident."""
    campaign = _campaign(community, pk)
    form = QuestionnaireForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_campaign(actor=request.user, campaign=campaign, raw=form.raw())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you: your answers are counted, without your name."))
            return redirect("evaluations:mine")
    entry = RollEntry.objects.filter(
        campaign=campaign, resident__user_id=request.user.pk or 0
    ).first()
    return render(
        request,
        "evaluations/answer.html",
        {
            "community": community,
            "campaign": campaign,
            "form": form,
            "entry": entry,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@community_view(*CAMPAIGN_FLOW.step("hand_out_paper").roles)
def paper_out(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    campaign = _campaign(community, pk)
    query = request.POST.get("q", "").strip()[:50]
    try:
        resident = Resident.objects.filter(community=community).named_once(query)
        actions.hand_out_paper(actor=request.user, campaign=campaign, resident=resident)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s answers on paper.") % {"name": resident.name})
    return redirect("evaluations:detail", community.code, campaign.pk)


@require_POST
@community_view(*CAMPAIGN_FLOW.step("start_batch").roles)
def batches(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Start a batch of paper sheets."""
    campaign = _campaign(community, pk)
    form = BatchForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("sheets_invalid", _("A batch holds 1 to 500 sheets."))
        started = actions.start_batch(
            actor=request.user, campaign=campaign, sheets=form.cleaned_data["sheets"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluations:detail", community.code, campaign.pk)
    return redirect("evaluations:batch", community.code, started.pk)


def _batch(community: Community, pk: int) -> PaperBatch:
    return get_object_or_404(
        PaperBatch.objects.select_related("campaign"), pk=pk, campaign__community=community
    )


@community_view(*WORKERS)
def batch(request: HttpRequest, community: Community, batch: int) -> HttpResponse:
    """Enter the batch's sheets one after another; another staff member checks it."""
    item = _batch(community, batch)
    campaign = item.campaign
    form = QuestionnaireForm(request.POST or None, campaign=campaign, paper=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_sheet(
                actor=request.user, batch=item, raw=form.raw(), grid=form.cleaned_data.get("grid")
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Answer sheet entered."))
            return redirect("evaluations:batch", community.code, item.pk)
    return render(
        request,
        "evaluations/batch.html",
        {
            "community": community,
            "campaign": campaign,
            "batch": item,
            "form": form,
            "entered": item.responses.count(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@community_view(*WORKERS)
def check_batch(request: HttpRequest, community: Community, batch: int) -> HttpResponse:
    """A colleague checks the entered sheets against the paper ones; then the batch counts."""
    item = _batch(community, batch)
    try:
        actions.check_batch(actor=request.user, batch=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Batch checked: its sheets count."))
    return redirect("evaluations:detail", community.code, item.campaign_id)


@require_POST
@community_view(*TASK_FLOW.step("update").roles)
def task(request: HttpRequest, community: Community, task: int) -> HttpResponse:
    item = get_object_or_404(
        Task.objects.select_related("campaign"), pk=task, campaign__community=community
    )
    form = TaskForm(request.POST, community=community, prefix=f"t{item.pk}")
    try:
        if not form.is_valid():
            raise DomainError("task_invalid", _("Please check what you entered."))
        data = form.cleaned_data
        actions.update_task(
            actor=request.user,
            task=item,
            owner=data["owner"],
            deadline=data["deadline"],
            plan=data["plan"],
            progress=data["progress"],
            done=data["done"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("evaluations:detail", community.code, item.campaign_id)


@community_view(*READERS)
def export(request: HttpRequest, community: Community, pk: int) -> FileResponse:
    """The results as xlsx: one row per question, one sheet per breakdown."""
    campaign = _campaign(community, pk)
    if not campaign.has_results:
        raise Http404
    book = Workbook()
    sheet = book.create_sheet(_("Results"), 0)
    book.remove(book.worksheets[1])
    sheet.append([_("Section"), _("Question"), _("Answers"), _("Average"), _("Score"), _("Change")])
    grids = book.create_sheet(_("By grid"))
    grids.append([_("Question"), _("Grid"), _("Answers"), _("Average"), _("Score")])
    for item in campaign.results.get("questions", []):
        sheet.append(
            [
                item["section"],
                item["text"],
                item["n"],
                item.get("average"),
                item.get("score"),
                item.get("change"),
            ]
        )
        for row in item.get("grids", []):
            grids.append([item["text"], row["name"], row["n"], row["average"], row["score"]])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{campaign.title}.xlsx")
