"""Evaluation screens: preparing and running a campaign, the residents' questionnaire, paper
batches, results with improvement tasks and the xlsx export."""

from __future__ import annotations

import io

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
from linli.core.roles import STAFF_SHEET_READERS
from linli.core.views_helpers import community_view
from linli.evaluations import actions
from linli.evaluations.forms import (
    BatchForm,
    CampaignForm,
    QuestionnaireForm,
    TaskForm,
)
from linli.evaluations.models import Campaign, PaperBatch, RollEntry, Task
from linli.people.models import Resident

READERS = (Role.LEADER, Role.STAFF, Role.SUPERVISOR)
DESK = (Role.LEADER, Role.STAFF)


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
            "leader": has_role(request.user, community, Role.LEADER),
            "staff_sheet": has_role(request.user, community, *STAFF_SHEET_READERS),
        },
    )


@community_view(Role.LEADER)
def campaign_new(request: HttpRequest, community: Community) -> HttpResponse:
    form = CampaignForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questions = actions.parse_questions(
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
            "questions": campaign.questions.select_related("staff"),
            "asked": roll.count(),
            "answered": roll.filter(answered=True).count(),
            "leader": has_role(request.user, community, Role.LEADER),
            "desk": has_role(request.user, community, *DESK),
            "results": campaign.results if closed else None,
            "tasks": [
                (
                    t,
                    TaskForm(
                        community=community,
                        prefix=f"t{t.pk}",
                        initial={
                            "owner": t.owner_id,
                            "deadline": t.deadline,
                            "plan": t.plan,
                        },
                    ),
                )
                for t in campaign.tasks.select_related("owner")
            ],
            "batches": campaign.batches.select_related("entered_by", "checked_by"),
            "batch_form": BatchForm(),
            "chart": chart if scored else None,
        },
    )


@require_POST
@community_view(Role.LEADER)
def act(request: HttpRequest, community: Community, pk: int, action: str) -> HttpResponse:
    campaign = _campaign(community, pk)
    try:
        if action == "open":
            actions.open_campaign(actor=request.user, campaign=campaign)
        elif action == "close":
            actions.close_campaign(actor=request.user, campaign=campaign)
        elif action == "publish":
            actions.publish_results(actor=request.user, campaign=campaign)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("evaluations:detail", community.code, campaign.pk)


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
@community_view(*DESK)
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
@community_view(*DESK)
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


@community_view(*DESK)
def batch(request: HttpRequest, community: Community, batch: int) -> HttpResponse:
    """Enter the batch's sheets one after another; another staff member checks it."""
    item = get_object_or_404(
        PaperBatch.objects.select_related("campaign"), pk=batch, campaign__community=community
    )
    campaign = item.campaign
    form = QuestionnaireForm(request.POST or None, campaign=campaign, paper=True)
    if request.method == "POST" and request.POST.get("check"):
        try:
            actions.check_batch(actor=request.user, batch=item)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Batch checked: its sheets count."))
        return redirect("evaluations:detail", community.code, campaign.pk)
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
@community_view(*DESK)
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
