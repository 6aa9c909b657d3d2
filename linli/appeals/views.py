"""Appeal screens: the resident's submit/list/verdict, the staff to-do and handling page, the
liaison's list, the leaders' supervision board and the three rates."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.appeals import actions
from linli.appeals.forms import (
    ExtensionForm,
    FilterForm,
    HotlineForm,
    NoteForm,
    RatesForm,
    ReferForm,
    ResidentAppealForm,
    StaffAppealForm,
    SuperviseForm,
    VerdictForm,
)
from linli.appeals.hotline import MAX_BYTES as MAX_HOTLINE_BYTES
from linli.appeals.hotline import import_hotline_orders
from linli.appeals.ledger import export_ledger
from linli.appeals.models import (
    APPEAL_FLOW,
    OPEN_STATUSES,
    Appeal,
    Category,
    Channel,
    Extension,
)
from linli.appeals.photos import PhotoInput
from linli.appeals.rates import daily_rates, daily_rates_by_community, monthly_trend, rates_by
from linli.appeals.similar import find_similar, similar_open_appeals
from linli.core import roles
from linli.core.access import grants, has_role, is_admin
from linli.core.errors import DomainError
from linli.core.models import Community, Role, Subdistrict
from linli.core.views_helpers import (
    community_view,
    counted_page,
    new_idempotency_key,
)
from linli.people.models import Building, Resident


def get_appeal_for(user: Any, community: Community, pk: int) -> Appeal:
    """An appeal of this community the user may see: staff all, liaisons theirs, residents own."""
    appeal = (
        Appeal.objects.visible_to(user)
        .filter(community=community, pk=pk)
        .select_related(
            "category",
            "handler",
            "organisation",
            "household__entrance__building",
            "community",
            "submitter",
            "resident",
        )
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


@community_view(*roles.READERS)
def todo(request: HttpRequest, community: Community) -> HttpResponse:
    """The to-do list: overdue first, then by deadline; filters by status, grid, category."""
    form = FilterForm(request.GET)
    params = form.cleaned_data if form.is_valid() else {}
    appeals = Appeal.objects.filter(community=community)
    status = params.get("status") or ""
    if status == "all":
        pass
    elif status:
        appeals = appeals.filter(status=status)
    else:
        appeals = appeals.filter(status__in=OPEN_STATUSES)
    if params.get("mine"):
        appeals = appeals.filter(handler_id=request.user.pk)
    for field in ("grid", "category", "channel"):
        if params.get(field):
            appeals = appeals.filter(**{field: params[field]})
    page = counted_page(
        appeals.for_list().order_by("feedback_due_at", "pk"), params.get("page"), 30
    )
    return render(
        request,
        "appeals/todo.html",
        {
            "community": community,
            "page": page,
            "form": form,
            "now": timezone.now(),
            "grids": community.grids.all(),
            "categories": Category.objects.for_community(community).filter(children__isnull=True),
            "channels": Channel.choices,
            "can_edit": has_role(request.user, community, *roles.APPEAL_HANDLERS),
        },
    )


@community_view(*roles.APPEAL_HANDLERS)
def staff_new(request: HttpRequest, community: Community) -> HttpResponse:
    """代办: enter an appeal raised in person, by phone, on a visit, or a 12345 work order."""
    if request.method == "POST":
        form = StaffAppealForm(request.POST, request.FILES, community=community)
        if form.is_valid():
            data = form.cleaned_data
            resident = None
            if data["resident_query"]:
                try:
                    resident = Resident.objects.filter(community=community).named_once(
                        data["resident_query"]
                    )
                except DomainError as exc:
                    form.add_error("resident_query", exc.message)
            if not form.errors:
                done = _submit(
                    request,
                    community,
                    form,
                    channel=data["channel"],
                    category=data["category"],
                    urgency=data["urgency"],
                    text=data["text"],
                    resident=resident,
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    building=data["building"],
                    entrance=data["entrance"],
                    room=data["room"],
                    place=data["place"],
                    allow_public=data["allow_public"],
                    external_number=data["external_number"],
                )
                if done is not None:
                    return done
    else:
        form = StaffAppealForm(
            initial={"idempotency_key": new_idempotency_key()}, community=community
        )
    return render(
        request,
        "appeals/staff_new.html",
        {"community": community, "form": form},
        status=400 if form.errors else 200,
    )


def _submit(
    request: HttpRequest, community: Community, form: Any, **fields: Any
) -> HttpResponse | None:
    """Submit through the action; on refusal put the message on the form and return None."""
    try:
        appeal = actions.submit_appeal(
            actor=request.user,
            community=community,
            photos=read_photos(form.cleaned_data["photos"]),
            idempotency_key=form.cleaned_data["idempotency_key"],
            **fields,
        )
    except DomainError as exc:
        field = _intake_field(exc.code)
        form.add_error(field if field in form.fields else None, exc.message)
        return None
    # A repeated submission (same idempotency key) gets the appeal it already created.
    return redirect("appeals:detail", community.code, appeal.pk)


def read_photos(files: list[Any]) -> list[PhotoInput]:
    return [
        PhotoInput(name=f.name or "photo", data=f.read(settings.APPEAL_PHOTO_MAX_BYTES + 1))
        for f in files
    ]


def _intake_field(code: str) -> str | None:
    return {
        "photo": "photos",
        "photos": "photos",
        "text": "text",
        "category": "category",
        "location": "place",
        "urgency": "urgency",
        "contact": "contact_phone",
        "phone": "contact_phone",
        "external": "external_number",
    }.get(code.split("_")[0])


@community_view(*roles.APPEAL_VIEWERS)
def detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    appeal = get_appeal_for(request.user, community, pk)
    staff = has_role(request.user, community, *roles.READERS)
    events = appeal.events.select_related("actor")
    if not staff:
        events = events.filter(internal=False)
    # The buttons and forms shown: exactly the steps this person may take now.
    allowed = APPEAL_FLOW.available(request.user, appeal)
    return render(
        request,
        "appeals/detail.html",
        {
            "community": community,
            "appeal": appeal,
            "events": events,
            "staff": staff,
            "allowed": allowed,
            "handling": bool(allowed & HANDLING_STEPS),
            "mine": appeal.submitter_id == request.user.pk,
            "refer_form": ReferForm(community=community),
            "verdict_form": VerdictForm(),
            "extension_form": ExtensionForm(),
            "supervise_form": SuperviseForm(),
            "pending_extension": appeal.extensions.filter(approved__isnull=True).first(),
            "similar": similar_open_appeals(appeal) if staff and appeal.is_open else [],
        },
    )


# The steps of the "Handle it" section of the handling page.
HANDLING_STEPS = frozenset(
    APPEAL_FLOW.steps.keys() - {"verdict", "add_information", "merge", "close_without_verdict"}
)


def _take_step(
    request: HttpRequest,
    community: Community,
    pk: int,
    form: Any,
    take: Callable[[Appeal, dict[str, Any]], Any],
) -> HttpResponse:
    """Check the step's form, take the step, say how it went, and go back to the appeal."""
    appeal = get_appeal_for(request.user, community, pk)
    if not form.is_valid():
        messages.error(request, _("Please check what you entered."))
        return redirect("appeals:detail", community.code, appeal.pk)
    try:
        take(appeal, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("appeals:detail", community.code, appeal.pk)


def _note_step(step: str, call: Callable[[Any, Appeal, str], Any]) -> Callable[..., Any]:
    """The view of a handling step that takes the note field: open to the roles the workflow
    gives the step (the same answer that shows its button), one view and URL per step."""

    @require_POST
    @community_view(*APPEAL_FLOW.step(step).roles)
    def view(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
        def take(appeal: Appeal, data: dict[str, Any]) -> Any:
            return call(request.user, appeal, data["note"])

        return _take_step(request, community, pk, NoteForm(request.POST), take)

    return view


accept = _note_step(
    "accept", lambda user, a, note: actions.accept_appeal(actor=user, appeal=a, note=note)
)
dispute = _note_step(
    "dispute", lambda user, a, note: actions.dispute_dispatch(actor=user, appeal=a, reason=note)
)
start = _note_step("start", lambda user, a, _note: actions.start_work(actor=user, appeal=a))
resolve = _note_step(
    "resolve", lambda user, a, note: actions.resolve_appeal(actor=user, appeal=a, note=note)
)
resolve_on_the_spot = _note_step(
    "resolve",
    lambda user, a, note: actions.resolve_appeal(actor=user, appeal=a, note=note, on_the_spot=True),
)
cannot_resolve = _note_step(
    "cannot_resolve",
    lambda user, a, note: actions.cannot_resolve(actor=user, appeal=a, reason=note),
)
defer = _note_step(
    "defer", lambda user, a, note: actions.defer_appeal(actor=user, appeal=a, note=note)
)
report_back = _note_step(
    "report_back", lambda user, a, note: actions.report_back(actor=user, appeal=a, note=note)
)
note = _note_step("note", lambda user, a, text: actions.add_note(actor=user, appeal=a, text=text))
invalid = _note_step(
    "invalid", lambda user, a, note: actions.mark_invalid(actor=user, appeal=a, reason=note)
)
# The organisation's liaison: resolved, or it cannot be resolved.
answer = _note_step(
    "answer_referral",
    lambda user, a, note: actions.answer_referral(actor=user, appeal=a, note=note),
)
answer_unresolved = _note_step(
    "answer_referral",
    lambda user, a, note: actions.answer_referral(actor=user, appeal=a, note=note, resolved=False),
)


@require_POST
@community_view(*APPEAL_FLOW.step("refer").roles)
def refer(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    def take(appeal: Appeal, data: dict[str, Any]) -> Any:
        return actions.refer_appeal(
            actor=request.user, appeal=appeal, organisation=data["organisation"], note=data["note"]
        )

    form = ReferForm(request.POST, community=community)
    return _take_step(request, community, pk, form, take)


@require_POST
@community_view(*APPEAL_FLOW.step("extend").roles)
def extend(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """延期: ask a leader for more working days."""

    def take(appeal: Appeal, data: dict[str, Any]) -> Any:
        return actions.request_extension(
            actor=request.user, appeal=appeal, days=data["days"], reason=data["reason"]
        )

    return _take_step(request, community, pk, ExtensionForm(request.POST), take)


@require_POST
@community_view(*APPEAL_FLOW.step("supervise").roles)
def supervise(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """督办: a leader's note and new deadline."""

    def take(appeal: Appeal, data: dict[str, Any]) -> Any:
        return actions.supervise_appeal(
            actor=request.user, appeal=appeal, note=data["note"], deadline=data["deadline"]
        )

    return _take_step(request, community, pk, SuperviseForm(request.POST), take)


@require_POST
@community_view(*roles.LEADERS)
def decide_extension(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    extension = get_object_or_404(Extension, pk=pk, appeal__community=community)
    try:
        actions.decide_extension(
            actor=request.user, extension=extension, approve=request.POST.get("approve") == "1"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("appeals:detail", community.code, extension.appeal_id)


@require_POST
@community_view(*roles.APPEAL_VIEWERS)
def verdict(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    appeal = get_appeal_for(request.user, community, pk)
    form = VerdictForm(request.POST)
    if form.is_valid():
        try:
            actions.give_verdict(
                actor=request.user,
                appeal=appeal,
                verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you for your verdict."))
    else:
        messages.error(request, _("Please choose one answer."))
    return redirect("appeals:detail", community.code, appeal.pk)


@require_POST
@community_view(*roles.APPEAL_VIEWERS)
def add_information(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    appeal = get_appeal_for(request.user, community, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.add_information(
                actor=request.user, appeal=appeal, text=form.cleaned_data["note"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("appeals:detail", community.code, appeal.pk)


@community_view(Role.LEADER, Role.SUPERVISOR)
def board(request: HttpRequest, community: Community) -> HttpResponse:
    """The supervision board: overdue, reopened, escalated and disputed appeals."""
    now = timezone.now()
    appeals = Appeal.objects.filter(community=community, status__in=OPEN_STATUSES)
    base = appeals.select_related("category", "handler").order_by("feedback_due_at")
    return render(
        request,
        "appeals/board.html",
        {
            "community": community,
            "now": now,
            "overdue": base.filter(feedback_due_at__lt=now)[:100],
            "reopened": base.filter(reopen_count__gt=0)[:100],
            "escalated": base.filter(escalated=True)[:100],
            "extensions": Extension.objects.filter(
                appeal__community=community, approved__isnull=True
            ).select_related("appeal"),
        },
    )


@community_view(*roles.READERS)
def rates(request: HttpRequest, community: Community) -> HttpResponse:
    """The three rates for any period, broken down by grid, handler, category or
    organisation, with the last twelve months as a chart and a table; formulas on the page."""
    form = RatesForm(request.GET or None)
    today = timezone.localdate()
    start_day, end_day, by = today.replace(day=1), today, "grid"
    if form.is_valid():
        start_day = form.cleaned_data["start"] or start_day
        end_day = form.cleaned_data["end"] or end_day
        by = form.cleaned_data["by"] or by
    start = timezone.make_aware(dt.datetime.combine(start_day, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time()))
    appeals = Appeal.objects.filter(community=community)
    trend = monthly_trend([community.pk], end_day)
    chart = {
        "months": [month.strftime("%Y-%m") for month, _r in trend],
        "series": [
            {"name": _("Response rate"), "data": [_num(r.response) for _m, r in trend]},
            {"name": _("Resolution rate"), "data": [_num(r.resolution) for _m, r in trend]},
            {"name": _("Satisfaction rate"), "data": [_num(r.satisfaction) for _m, r in trend]},
        ],
    }
    return render(
        request,
        "appeals/rates.html",
        {
            "community": community,
            "form": form,
            "start": start_day,
            "end": end_day,
            "by": by,
            "total": daily_rates([community.pk], start_day, end_day),
            "rows": rates_by(appeals, start, end, by),
            "trend": trend,
            "chart": chart,
            "weights": settings.APPEAL_RATE_WEIGHTS,
            "leader": has_role(request.user, community, Role.LEADER),
        },
    )


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


@login_required
def my_appeals(request: HttpRequest) -> HttpResponse:
    """A resident's own appeals, newest first."""
    appeals = (
        Appeal.objects.filter(
            Q(submitter_id=request.user.pk) | Q(merged_residents__id=request.user.pk)
        )
        .distinct()
        .select_related("community", "category")
    )
    user = request.user
    resident = (
        Resident.objects.filter(user=user, status="active").first()
        if user.is_authenticated
        else None
    )
    return render(request, "appeals/my_appeals.html", {"appeals": appeals, "resident": resident})


@community_view(Role.RESIDENT)
def resident_new(request: HttpRequest, community: Community) -> HttpResponse:
    """Submit from the resident's phone: what, where, send."""
    if request.method == "POST":
        form = ResidentAppealForm(request.POST, request.FILES, community=community)
        if form.is_valid():
            data = form.cleaned_data
            done = _submit(
                request,
                community,
                form,
                channel="online",
                category=data["category"],
                text=data["text"],
                place=data["place"],
                allow_public=data["allow_public"],
            )
            if done is not None:
                messages.success(request, _("Sent. The community will contact you soon."))
                return done
    else:
        form = ResidentAppealForm(
            initial={"idempotency_key": new_idempotency_key()}, community=community
        )
    return render(
        request,
        "appeals/resident_new.html",
        {"community": community, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def organisation_appeals(request: HttpRequest) -> HttpResponse:
    """The liaison's list: appeals referred to their organisation, waiting ones first."""
    organisations = [
        g.organisation_id
        for g in grants(request.user)
        if g.role == Role.LIAISON and g.organisation_id
    ]
    if not organisations:
        raise Http404
    appeals = (
        Appeal.objects.filter(organisation_id__in=organisations)
        .select_related("community", "category")
        .order_by("-status", "feedback_due_at")
    )
    page = Paginator(appeals, 30).get_page(request.GET.get("page"))
    return render(request, "appeals/organisation.html", {"page": page, "now": timezone.now()})


@community_view(*roles.APPEAL_HANDLERS)
def hotline(request: HttpRequest, community: Community) -> HttpResponse:
    """Upload a 12345 export (CSV or JSON); orders already received are not taken again."""
    result = None
    form = HotlineForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_hotline_orders(
                actor=request.user, community=community, data=upload.read(MAX_HOTLINE_BYTES + 1)
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
    return render(
        request,
        "appeals/hotline.html",
        {"community": community, "form": form, "result": result},
        status=400 if form.errors or (result and result.errors) else 200,
    )


@community_view(*roles.READERS)
def ledger(request: HttpRequest, community: Community) -> FileResponse:
    """The ledger (台账) of the to-do list's current filter, as xlsx."""
    form = FilterForm(request.GET)
    params = form.cleaned_data if form.is_valid() else {}
    appeals = Appeal.objects.filter(community=community)
    status = params.get("status") or "all"
    if status != "all":
        appeals = appeals.filter(status=status)
    for name in ("grid", "category", "channel"):
        if params.get(name):
            appeals = appeals.filter(**{name: params[name]})
    buffer = io.BytesIO()
    export_ledger(actor=request.user, community=community, appeals=appeals, out=buffer)
    buffer.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return FileResponse(
        buffer, as_attachment=True, filename=f"{community.name}-诉求台账-{stamp}.xlsx"
    )


@community_view(*roles.APPEAL_VIEWERS)
def photo(request: HttpRequest, community: Community, pk: int, photo_pk: int) -> FileResponse:
    """A photo of an appeal, for whoever may see the appeal."""
    appeal = get_appeal_for(request.user, community, pk)
    item = get_object_or_404(appeal.photos, pk=photo_pk)
    try:
        handle = item.image.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, content_type="image/jpeg")


@require_POST
@community_view(*roles.APPEAL_HANDLERS)
def merge(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Merge this appeal into the chosen similar one."""
    duplicate = get_appeal_for(request.user, community, pk)
    into_pk = request.POST.get("into", "")
    if not into_pk.isdigit():
        raise Http404
    into = get_appeal_for(request.user, community, int(into_pk))
    try:
        actions.merge_appeal(actor=request.user, duplicate=duplicate, into=into)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("appeals:detail", community.code, duplicate.pk)
    messages.success(request, _("Merged."))
    return redirect("appeals:detail", community.code, into.pk)


@require_POST
@community_view(*roles.LEADERS)
def publish_results(request: HttpRequest, community: Community) -> HttpResponse:
    """Publish a month's results on the notice board (leaders)."""
    try:
        month = dt.date.fromisoformat(request.POST.get("month", "") + "-01")
    except ValueError:
        month = timezone.localdate()
    notice = actions.publish_monthly_results(actor=request.user, community=community, month=month)
    return redirect("notices:manage", community.code, notice.pk)


@login_required
def subdistrict_rates(request: HttpRequest, pk: int) -> HttpResponse:
    """A subdistrict supervisor's view: the three rates of every community under them."""
    subdistrict = get_object_or_404(Subdistrict, pk=pk)
    allowed = is_admin(request.user) or any(
        g.role == Role.SUPERVISOR and g.subdistrict_id == subdistrict.pk
        for g in grants(request.user)
    )
    if not allowed:
        raise Http404
    form = RatesForm(request.GET or None)
    today = timezone.localdate()
    start_day, end_day = today.replace(day=1), today
    if form.is_valid():
        start_day = form.cleaned_data["start"] or start_day
        end_day = form.cleaned_data["end"] or end_day
    community_ids = list(subdistrict.communities.values_list("pk", flat=True))
    return render(
        request,
        "appeals/subdistrict_rates.html",
        {
            "subdistrict": subdistrict,
            "form": form,
            "start": start_day,
            "end": end_day,
            "total": daily_rates(community_ids, start_day, end_day),
            "rows": daily_rates_by_community(community_ids, start_day, end_day),
            "communities": subdistrict.communities.order_by("name"),
        },
    )


@community_view(*roles.APPEAL_HANDLERS)
def similar(request: HttpRequest, community: Community) -> HttpResponse:
    """htmx, at intake: open appeals like the one being typed, before it is saved."""
    text = request.GET.get("text", "")[:4000]
    category = request.GET.get("category", "")
    building = Building.objects.filter(
        community=community, number=request.GET.get("building", "")[:20]
    ).first()
    matches = (
        find_similar(
            community.pk,
            text,
            int(category) if category.isdigit() else None,
            building.pk if building else None,
        )
        if len(text) >= 4
        else []
    )
    return render(request, "appeals/_similar.html", {"community": community, "matches": matches})
