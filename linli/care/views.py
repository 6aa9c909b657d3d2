"""Care screens: the register with coverage, a worker's due visits, a resident's care page
with visits and events, visit policies, relief campaigns and their ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.care import actions
from linli.care.forms import (
    CareForm,
    EntryForm,
    EventForm,
    GiveForm,
    NeedForm,
    PolicyForm,
    ReliefForm,
    VisitForm,
)
from linli.care.ledger import ledger
from linli.care.models import (
    CareProfile,
    Recipient,
    ReliefCampaign,
    Visit,
    VisitPolicy,
)
from linli.care.schedule import coverage, schedule
from linli.care.workflow import RELIEF_FLOW, VISIT_FLOW
from linli.core import roles
from linli.core.access import has_role
from linli.core.errors import DomainError
from linli.core.models import Community
from linli.core.views_helpers import community_view, new_idempotency_key
from linli.people.models import Resident


def _resident(community: Community, pk: int) -> Resident:
    return get_object_or_404(
        Resident.objects.select_related("household__entrance__building"), community=community, pk=pk
    )


@community_view(*roles.READERS)
def register_view(request: HttpRequest, community: Community) -> HttpResponse:
    """Everyone on the register with their next visit, and coverage by grid."""
    today = timezone.localdate()
    dues = schedule(community, today)
    return render(
        request,
        "care/register.html",
        {
            "community": community,
            "schedule": dues,
            "coverage": coverage(community, today, dues),
            "today": today,
            # Only workers have visits of their own to make.
            "worker": has_role(request.user, community, *roles.WORKERS),
        },
    )


@community_view(*roles.WORKERS)
def due(request: HttpRequest, community: Community) -> HttpResponse:
    """My visits, most overdue first."""
    today = timezone.localdate()
    mine = [d for d in schedule(community, today) if d.worker and d.worker.pk == request.user.pk]
    return render(request, "care/due.html", {"community": community, "items": mine, "today": today})


@community_view(*roles.READERS)
def policies(request: HttpRequest, community: Community) -> HttpResponse:
    form = PolicyForm(request.POST or None)
    if request.method == "POST":
        if not has_role(request.user, community, *roles.LEADERS):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.set_policy(
                    actor=request.user,
                    community=community,
                    every_days=data["every_days"],
                    tag=data["tag"],
                    level=data["level"],
                    min_age=data["min_age"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("care:policies", community.code)
    return render(
        request,
        "care/policies.html",
        {
            "community": community,
            "policies": VisitPolicy.objects.filter(community=community),
            "form": form,
            "leader": has_role(request.user, community, *roles.LEADERS),
        },
        status=400 if form.errors else 200,
    )


def _resident_page(
    request: HttpRequest, community: Community, resident: Resident, **extra: Any
) -> HttpResponse:
    due_item = next(iter(schedule(community, resident=resident)), None)
    profile = CareProfile.objects.filter(resident=resident).first()
    visits = list(
        Visit.objects.filter(resident=resident)
        .prefetch_related("visitors")
        .select_related("appeal", "community")
    )
    for visit in visits:
        # What may follow each visit for this person: its buttons.
        visit.allowed = VISIT_FLOW.available(request.user, visit)  # type: ignore[attr-defined]
    context = {
        "community": community,
        "resident": resident,
        "due": due_item,
        "today": timezone.localdate(),
        "visits": visits,
        "events": resident.care_events.all(),
        "entries": resident.care_entries.all(),
        "visit_form": VisitForm(
            initial={
                "idempotency_key": new_idempotency_key(),
                "visited_on": timezone.localdate(),
                "visitors": [request.user.pk],
            },
            community=community,
        ),
        "event_form": EventForm(initial={"occurred_on": timezone.localdate()}),
        "entry_form": EntryForm(initial={"starts_on": timezone.localdate()}),
        "care_form": CareForm(
            initial={
                "level": profile.level if profile else "ordinary",
                "worker": profile.worker_id if profile else None,
            },
            community=community,
        ),
        "need_form": NeedForm(community=community),
        "leader": has_role(request.user, community, *roles.LEADERS),
        "desk": has_role(request.user, community, *roles.WORKERS),
    }
    context.update(extra)
    return render(
        request, "care/resident.html", context, status=400 if extra.get("errors") else 200
    )


@community_view(*roles.READERS)
def resident(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _resident_page(request, community, _resident(community, pk))


@require_POST
@community_view(*roles.WORKERS)
def visit_new(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    person = _resident(community, pk)
    form = VisitForm(request.POST, community=community)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_visit(
                actor=request.user,
                resident=person,
                idempotency_key=data["idempotency_key"],
                data=actions.VisitInput(
                    visited_on=data["visited_on"],
                    place=data["place"],
                    visitors=tuple(data["visitors"]),
                    volunteers=data["volunteers"],
                    health=data["health"],
                    living=data["living"],
                    needs=data["needs"],
                    relief_kind=data["relief_kind"] or "",
                    relief_amount=data["relief_amount"] or Decimal("0"),
                    relief_item=data["relief_item"],
                    photo_consent=data["photo_consent"],
                ),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("care:resident", community.code, person.pk)
    return _resident_page(request, community, person, visit_form=form, errors=True)


@require_POST
@community_view(*roles.WORKERS)
def event(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    person = _resident(community, pk)
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            actions.record_event(
                actor=request.user,
                resident=person,
                kind=form.cleaned_data["kind"],
                occurred_on=form.cleaned_data["occurred_on"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Recorded; a visit is due soon."))
            return redirect("care:resident", community.code, person.pk)
    return _resident_page(request, community, person, event_form=form, errors=True)


@require_POST
@community_view(*roles.WORKERS)
def entry(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    person = _resident(community, pk)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            actions.add_entry(actor=request.user, resident=person, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("care:resident", community.code, person.pk)
    return _resident_page(request, community, person, entry_form=form, errors=True)


@require_POST
@community_view(*roles.LEADERS)
def care_settings(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    person = _resident(community, pk)
    form = CareForm(request.POST, community=community)
    if form.is_valid():
        try:
            actions.set_care(
                actor=request.user,
                resident=person,
                level=form.cleaned_data["level"],
                worker=form.cleaned_data["worker"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("care:resident", community.code, person.pk)


@require_POST
@community_view(*roles.WORKERS)
def need(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Turn the visit's need into an appeal with one action."""
    visit = get_object_or_404(
        Visit.objects.select_related("resident", "community"), community=community, pk=pk
    )
    form = NeedForm(request.POST, community=community)
    try:
        if not form.is_valid():
            raise DomainError("need_invalid", _("Choose a category and describe the need."))
        appeal = actions.raise_need(
            actor=request.user,
            visit=visit,
            category=form.cleaned_data["category"],
            text=form.cleaned_data["text"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("care:resident", community.code, visit.resident_id)
    messages.success(request, _("Appeal %(number)s opened.") % {"number": appeal.number})
    return redirect("appeals:detail", community.code, appeal.pk)


@require_POST
@community_view(*roles.WORKERS)
def relief_application(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Open a temporary-relief application for the household from the visit's need."""
    visit = get_object_or_404(
        Visit.objects.select_related("resident__household", "community"), community=community, pk=pk
    )
    try:
        application = actions.open_relief_application(
            actor=request.user,
            visit=visit,
            pledge_signed=request.POST.get("pledge_signed") == "on",
            consent_to_checks=request.POST.get("consent_to_checks") == "on",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("care:resident", community.code, visit.resident_id)
    messages.success(
        request, _("Temporary-relief application #%(n)s opened.") % {"n": application.pk}
    )
    return redirect("welfare:detail", community.code, application.pk)


@require_POST
@community_view(*roles.WORKERS)
def health(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Show a visit's health findings (audited)."""
    visit = get_object_or_404(
        Visit.objects.select_related("resident", "community"), community=community, pk=pk
    )
    text = actions.reveal_health(actor=request.user, visit=visit)
    return render(request, "care/_health.html", {"text": text})


@community_view(*roles.READERS)
def relief_list(request: HttpRequest, community: Community) -> HttpResponse:
    form = ReliefForm(request.POST or None)
    if request.method == "POST":
        if not has_role(request.user, community, *roles.LEADERS):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = actions.create_relief(
                    actor=request.user,
                    community=community,
                    title=data["title"],
                    budget=data["budget"],
                    per_person_limit=data["per_person_limit"],
                    standard_amount=data["standard_amount"],
                    standard_item=data["standard_item"],
                    tags=tuple(data["tags"]),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("care:relief", community.code, campaign.pk)
    return render(
        request,
        "care/relief_list.html",
        {
            "community": community,
            "campaigns": ReliefCampaign.objects.filter(community=community),
            "form": form,
            "leader": has_role(request.user, community, *roles.LEADERS),
        },
        status=400 if form.errors else 200,
    )


@community_view(*roles.READERS)
def relief(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    campaign = get_object_or_404(ReliefCampaign, community=community, pk=pk)
    return render(
        request,
        "care/relief.html",
        {
            "community": community,
            "campaign": campaign,
            "recipients": campaign.recipients.select_related("resident", "confirmed_by"),
            "ledger": ledger(campaign),
            "give_form": GiveForm(),
            "allowed": RELIEF_FLOW.available(request.user, campaign),
        },
    )


@require_POST
@community_view(*roles.LEADERS)
def relief_open(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Make the campaign's list from the register."""
    campaign = get_object_or_404(ReliefCampaign, community=community, pk=pk)
    try:
        actions.open_relief(actor=request.user, campaign=campaign)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("care:relief", community.code, campaign.pk)


@require_POST
@community_view(*roles.LEADERS)
def relief_close(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    campaign = get_object_or_404(ReliefCampaign, community=community, pk=pk)
    try:
        actions.close_relief(actor=request.user, campaign=campaign)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("care:relief", community.code, campaign.pk)


@require_POST
@community_view(*roles.WORKERS)
def give(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    recipient = get_object_or_404(
        Recipient.objects.select_related("campaign", "resident"),
        campaign__community=community,
        pk=pk,
    )
    form = GiveForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise DomainError("give_invalid", _("Please check the amount and the photo."))
        actions.give_relief(
            actor=request.user,
            recipient=recipient,
            amount=form.cleaned_data["amount"],
            signature=form.cleaned_data["signature"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s received it.") % {"name": recipient.resident.name})
    return redirect("care:relief", community.code, recipient.campaign_id)
