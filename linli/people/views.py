"""Registry screens: community overview, search, resident records, import and export."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import roles
from linli.core.access import has_role
from linli.core.errors import DomainError
from linli.core.models import Community
from linli.core.views_helpers import (
    community_view,
    idempotent_form,
    new_idempotency_key,
    remember_result,
)
from linli.people import actions
from linli.people.exporting import export_residents, template_workbook
from linli.people.forms import ImportForm, MoveOutForm, ResidentForm, SearchForm
from linli.people.models import Household, ImportJob, Resident, ResidentStatus, Tag
from linli.people.workflow import RESIDENT_FLOW

PAGE_SIZE = 30


def get_resident_for(user: Any, community: Community, pk: int) -> Resident:
    """A resident of this community that the user may see, or 404."""
    resident = (
        Resident.objects.visible_to(user)
        .filter(community=community, pk=pk)
        .select_related("household__entrance__building__grid", "community")
        .first()
    )
    if resident is None:
        raise Http404
    return resident


@community_view(*roles.REGISTRY_READERS)
def community(request: HttpRequest, community: Community) -> HttpResponse:
    """A community's registry at a glance, with the search box."""
    residents = Resident.objects.filter(community=community)
    stats = residents.aggregate(
        active=Count("pk", filter=Q(status=ResidentStatus.ACTIVE)),
        moved=Count("pk", filter=~Q(status=ResidentStatus.ACTIVE)),
    )
    tag_counts = (
        Tag.objects.filter(residents__community=community, residents__status=ResidentStatus.ACTIVE)
        .annotate(n=Count("residents"))
        .order_by("pk")
    )
    return render(
        request,
        "people/community.html",
        {
            "community": community,
            "stats": stats,
            "households": Household.objects.filter(community=community).count(),
            "grids": community.grids.order_by("pk").annotate(
                n=Count(
                    "buildings__entrances__households__members",
                    filter=Q(buildings__entrances__households__members__status="active"),
                )
            ),
            "tag_counts": tag_counts,
            "can_edit": has_role(request.user, community, *roles.REGISTRY_EDITORS),
        },
    )


@require_http_methods(["GET", "POST"])
@community_view(*roles.REGISTRY_READERS)
def resident_list(request: HttpRequest, community: Community) -> HttpResponse:
    """Search residents (POST keeps ID numbers out of URLs); htmx asks for the results only."""
    form = SearchForm(request.POST if request.method == "POST" else request.GET)
    params = form.cleaned_data if form.is_valid() else {}
    query = params.get("q", "")
    residents = Resident.objects.filter(community=community)
    if not params.get("all"):
        residents = residents.active()
    tag = params.get("tag", "")
    if tag:
        residents = residents.filter(tags__code=tag)
    residents = residents.search(query).select_related("household__entrance__building")
    page = Paginator(residents.order_by("name", "pk"), PAGE_SIZE).get_page(params.get("page"))
    context = {
        "community": community,
        "page": page,
        "query": query,
        "tag": tag,
        "form": form,
        "can_edit": has_role(request.user, community, *roles.REGISTRY_EDITORS),
    }
    template = "people/_results.html" if request.headers.get("HX-Request") else "people/list.html"
    return render(request, template, context)


@community_view(*roles.REGISTRY_READERS)
def resident_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    resident = get_resident_for(request.user, community, pk)
    allowed = RESIDENT_FLOW.available(request.user, resident)
    members = []
    if resident.household_id:
        members = list(
            Resident.objects.filter(household_id=resident.household_id)
            .exclude(pk=resident.pk)
            .order_by("pk")
        )
    return render(
        request,
        "people/detail.html",
        {
            "community": community,
            "resident": resident,
            "members": members,
            "tags": list(resident.tags.all()),
            "residencies": resident.residencies.select_related("household__entrance__building"),
            "allowed": allowed,
            "can_reveal": "reveal" in allowed,
        },
    )


def _resident_form_page(
    request: HttpRequest, community: Community, resident: Resident | None
) -> HttpResponse:
    if request.method == "POST":
        form = ResidentForm(request.POST, community=community, resident=resident)
        if form.is_valid():
            try:
                if resident is None:
                    saved = actions.register_resident(
                        actor=request.user, community=community, data=form.to_input()
                    )
                else:
                    saved = actions.update_resident(
                        actor=request.user, resident=resident, data=form.to_input()
                    )
            except DomainError as exc:
                form.add_error(form.field_for(exc.code), exc.message)
            else:
                url = reverse("people:resident", args=[community.code, saved.pk])
                remember_result(request, url)
                messages.success(request, _("Saved: %(name)s") % {"name": saved.name})
                return redirect(url)
    else:
        initial = ResidentForm.initial_for(resident) if resident else {}
        form = ResidentForm(
            initial={**initial, "idempotency_key": new_idempotency_key()},
            community=community,
            resident=resident,
        )
    return render(
        request,
        "people/form.html",
        {"community": community, "form": form, "resident": resident},
        status=400 if form.errors else 200,
    )


@community_view(*roles.REGISTRY_EDITORS)
@idempotent_form
def resident_create(request: HttpRequest, community: Community) -> HttpResponse:
    return _resident_form_page(request, community, None)


@community_view(*roles.REGISTRY_EDITORS)
@idempotent_form
def resident_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _resident_form_page(request, community, get_resident_for(request.user, community, pk))


@community_view(*roles.REGISTRY_EDITORS)
def resident_move_out(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    resident = get_resident_for(request.user, community, pk)
    form = MoveOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.move_out_resident(
                actor=request.user,
                resident=resident,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                deceased=form.cleaned_data["deceased"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("people:resident", community.code, resident.pk)
    return render(
        request,
        "people/move_out.html",
        {"community": community, "resident": resident, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def reveal(request: HttpRequest, code: str, pk: int, field: str) -> HttpResponse:
    """Show one sensitive field in full (audited). Residents may reveal their own."""
    resident = (
        Resident.objects.visible_to(request.user)
        .filter(community__code=code, pk=pk)
        .select_related("community")
        .first()
    )
    if resident is None:
        raise Http404
    value = actions.reveal_resident_field(actor=request.user, resident=resident, field_name=field)
    return render(request, "people/_revealed.html", {"value": value, "field": field})


@community_view(*roles.REGISTRY_READERS)
def household_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    household = get_object_or_404(
        Household.objects.select_related("entrance__building__grid"), community=community, pk=pk
    )
    members = household.members.order_by("status", "pk")
    return render(
        request,
        "people/household.html",
        {"community": community, "household": household, "members": members},
    )


@community_view(*roles.REGISTRY_EDITORS)
def import_upload(request: HttpRequest, community: Community) -> HttpResponse:
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(upload.size + 1) if upload.size else b""
            try:
                job = actions.start_import(
                    actor=request.user,
                    community=community,
                    file_name=upload.name,
                    data=data,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("people:import_job", community.code, job.pk)
    else:
        form = ImportForm(initial={"idempotency_key": new_idempotency_key()})
    jobs = ImportJob.objects.filter(community=community).order_by("-pk")[:10]
    return render(
        request,
        "people/import.html",
        {"community": community, "form": form, "jobs": jobs},
        status=400 if form.errors else 200,
    )


@community_view(*roles.REGISTRY_EDITORS)
def import_job(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, community=community, pk=pk)
    template = (
        "people/_import_status.html"
        if request.headers.get("HX-Request")
        else "people/import_job.html"
    )
    return render(request, template, {"community": community, "job": job})


@community_view(*roles.REGISTRY_EDITORS)
def import_template(request: HttpRequest, community: Community) -> FileResponse:
    return FileResponse(
        io.BytesIO(template_workbook()), as_attachment=True, filename="居民导入模板.xlsx"
    )


@community_view(*roles.REVEALERS)
def export(request: HttpRequest, community: Community) -> FileResponse:
    """Masked export by GET; the full export is a POST by a leader (audited)."""
    full = request.method == "POST" and request.POST.get("full") == "1"
    buffer = io.BytesIO()
    export_residents(actor=request.user, community=community, out=buffer, full=full)
    buffer.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    suffix = "完整" if full else "脱敏"
    return FileResponse(
        buffer, as_attachment=True, filename=f"{community.name}-居民-{stamp}-{suffix}.xlsx"
    )


@login_required
def my_household(request: HttpRequest) -> HttpResponse:
    """A resident's own page: their household, masked, on a phone."""
    user = request.user
    if not user.is_authenticated:  # pragma: no cover  (login_required)
        return redirect("login")
    resident = (
        Resident.objects.filter(user=user)
        .select_related("household__entrance__building", "community")
        .first()
    )
    if resident is None:
        return redirect("home")
    members = (
        Resident.objects.filter(household_id=resident.household_id).active().order_by("pk")
        if resident.household_id and resident.status == ResidentStatus.ACTIVE
        else Resident.objects.filter(pk=resident.pk)
    )
    return render(
        request,
        "people/my_household.html",
        {"resident": resident, "members": members, "community": resident.community},
    )
