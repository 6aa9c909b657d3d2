"""The public board (no login), the print view, objections, and the staff's notice desk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.access import has_role
from linli.core.errors import DomainError
from linli.core.models import Community
from linli.core.roles import LEADERS, NOTICE_DESK, NOTICE_READERS
from linli.core.views_helpers import (
    community_view,
    idempotent_form,
    new_idempotency_key,
    remember_result,
)
from linli.notices import actions
from linli.notices.forms import (
    AnswerForm,
    CorrectForm,
    ObjectionForm,
    PublishForm,
    WithdrawForm,
    read_attachments,
)
from linli.notices.models import Notice, NoticeKind, NoticeStatus, Objection
from linli.notices.rules import ANY_PUBLISHER
from linli.notices.workflow import NOTICE_FLOW, OBJECTION_FLOW


def _community(code: str) -> Community:
    return get_object_or_404(Community.objects.select_related("subdistrict"), code=code)


def get_notice_for(user: Any, community: Community, pk: int) -> Notice:
    """A notice of this community that this reader may see (public ones for anyone)."""
    notice = (
        Notice.objects.readable_by(user, community)
        .select_related("community", "supersedes", "publisher")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def board(request: HttpRequest, code: str) -> HttpResponse:
    """The community's public board: current notices, newest first."""
    community = _community(code)
    kind = request.GET.get("kind", "")
    notices = Notice.objects.readable_by(request.user, community).current()
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/board.html",
        {
            "community": community,
            "page": page,
            "kind": kind,
            "kinds": NoticeKind.choices,
        },
    )


def archive(request: HttpRequest, code: str) -> HttpResponse:
    """Every notice ever published, by month and kind, withdrawn and superseded ones marked."""
    community = _community(code)
    notices = Notice.objects.readable_by(request.user, community)
    months = (
        notices.annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-month")
    )
    month, kind = request.GET.get("month", ""), request.GET.get("kind", "")
    if month:
        try:
            start = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            start = None
        if start is not None:
            notices = notices.filter(published_at__year=start.year, published_at__month=start.month)
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/archive.html",
        {
            "community": community,
            "page": page,
            "months": months,
            "month": month,
            "kind": kind,
            "kinds": NoticeKind.choices,
        },
    )


def detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    community = _community(code)
    notice = get_notice_for(request.user, community, pk)
    newer = Notice.objects.filter(supersedes=notice).first()
    return render(
        request,
        "notices/detail.html",
        {
            "community": community,
            "notice": notice,
            "newer": newer,
            "attachments": notice.attachments.all(),
            "can_manage": request.user.is_authenticated
            and has_role(request.user, community, *NOTICE_DESK),
        },
    )


def print_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The notice on A4 for the physical board at the community office."""
    community = _community(code)
    notice = get_notice_for(request.user, community, pk)
    return render(request, "notices/print.html", {"community": community, "notice": notice})


def attachment(request: HttpRequest, code: str, pk: int, file_pk: int) -> FileResponse:
    community = _community(code)
    notice = get_notice_for(request.user, community, pk)
    item = get_object_or_404(notice.attachments, pk=file_pk)
    try:
        handle = item.file.open("rb")
    except OSError:  # the file went missing from storage: a page, not a 500
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=item.name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def object_to(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """File an objection during the notice period (logged in, or anonymous with a contact)."""
    community = _community(code)
    notice = get_notice_for(request.user, community, pk)
    # The same test as the action's: members of the community object without a contact.
    member = request.user.is_authenticated and has_role(request.user, community, *NOTICE_READERS)
    if request.method == "POST":
        form = ObjectionForm(request.POST)
        if form.is_valid():
            try:
                objection = actions.file_objection(
                    actor=request.user,
                    notice=notice,
                    reason=form.cleaned_data["reason"],
                    contact_name=form.cleaned_data["contact_name"],
                    contact_phone=form.cleaned_data["contact_phone"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except DomainError as exc:
                field = {
                    "contact": "contact_phone",
                    "phone": "contact_phone",
                    "reason": "reason",
                }.get(exc.code.split("_")[0])
                form.add_error(field, exc.message)
            else:
                return redirect("notices:receipt", code, objection.receipt)
    else:
        form = ObjectionForm(initial={"idempotency_key": new_idempotency_key()})
    return render(
        request,
        "notices/objection_form.html",
        {
            "community": community,
            "notice": notice,
            "form": form,
            "member": member,
        },
        status=400 if form.errors else 200,
    )


def receipt(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The objector's view of their objection and its answer, reached by the receipt code."""
    community = _community(code)
    objection = get_object_or_404(
        Objection.objects.select_related("notice"), receipt=token, notice__community=community
    )
    return render(request, "notices/receipt.html", {"community": community, "objection": objection})


@community_view(*NOTICE_DESK)
def desk(request: HttpRequest, community: Community) -> HttpResponse:
    """Every notice of the community with its objections, for the people who publish."""
    notices = (
        Notice.objects.filter(community=community)
        .annotate(
            open_objections=Count("objections", filter=Q(objections__status="open")),
            all_objections=Count("objections"),
        )
        .order_by("-published_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in NoticeStatus.values:
        notices = notices.filter(status=status)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/desk.html",
        {
            "community": community,
            "page": page,
            "status": status,
            "can_publish": has_role(request.user, community, *ANY_PUBLISHER),
            "open_objections": Objection.objects.visible_to(request.user)
            .open()
            .filter(notice__community=community)
            .select_related("notice"),
        },
    )


@community_view(*ANY_PUBLISHER)
@idempotent_form
def publish(request: HttpRequest, community: Community) -> HttpResponse:
    if request.method == "POST":
        form = PublishForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = actions.publish_notice(
                    actor=request.user,
                    community=community,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    entries=data["entries"],
                    audience=data["audience"],
                    attachments=read_attachments(data["attachments"]),
                    period_days=data["period_days"],
                )
            except DomainError as exc:
                form.add_error(_content_field(exc.code), exc.message)
            else:
                url = reverse("notices:manage", args=[community.code, notice.pk])
                remember_result(request, url)
                messages.success(request, _("Published: %(title)s") % {"title": notice.title})
                return redirect(url)
    else:
        form = PublishForm(initial={"idempotency_key": new_idempotency_key()})
    return render(
        request,
        "notices/publish.html",
        {"community": community, "form": form},
        status=400 if form.errors else 200,
    )


def _content_field(code: str) -> str | None:
    return {
        "title": "title",
        "content": "body",
        "personal": "body",
        "entries": "table",
        "entry": "table",
        "attachment": "attachments",
        "attachments": "attachments",
        "period": "period_days",
        "kind": "kind",
        "reason": "reason",
    }.get(code.split("_")[0])


def _desk_notice(community: Community, pk: int) -> Notice:
    return get_object_or_404(
        Notice.objects.select_related("supersedes", "publisher", "owner"),
        community=community,
        pk=pk,
    )


@community_view(*NOTICE_DESK)
def manage(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """A notice as its publisher sees it: objections (with who filed them) and answers."""
    notice = _desk_notice(community, pk)
    objections = notice.objections.select_related("objector", "answered_by")
    return render(
        request,
        "notices/manage.html",
        {
            "community": community,
            "notice": notice,
            # Each objection with the steps this person may take on it (answer it, or not).
            "objections": [(o, OBJECTION_FLOW.available(request.user, o)) for o in objections],
            # Who filed an objection is shown to those who answer them only.
            "sees_objectors": notice.owner_id == request.user.pk
            or has_role(request.user, community, *LEADERS),
            "answer_form": AnswerForm(),
            "newer": Notice.objects.filter(supersedes=notice).first(),
            # The steps this person may take on the notice: the buttons shown.
            "allowed": NOTICE_FLOW.available(request.user, notice),
        },
    )


@community_view(*ANY_PUBLISHER)
@idempotent_form
def correct(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    notice = _desk_notice(community, pk)
    if request.method == "POST":
        form = CorrectForm(request.POST, request.FILES)
        form.kind_for_table = notice.kind
        if form.is_valid():
            data = form.cleaned_data
            try:
                corrected = actions.correct_notice(
                    actor=request.user,
                    notice=notice,
                    title=data["title"],
                    body=data["body"],
                    entries=data["entries"],
                    reason=data["reason"],
                    attachments=read_attachments(data["attachments"]),
                )
            except DomainError as exc:
                form.add_error(_content_field(exc.code), exc.message)
            else:
                url = reverse("notices:manage", args=[community.code, corrected.pk])
                remember_result(request, url)
                return redirect(url)
    else:
        table = "\n".join(" ".join(str(v) for v in row.values()) for row in notice.entries)
        form = CorrectForm(
            initial={
                "title": notice.title,
                "body": notice.body,
                "table": table,
                "idempotency_key": new_idempotency_key(),
            }
        )
    return render(
        request,
        "notices/correct.html",
        {"community": community, "notice": notice, "form": form},
        status=400 if form.errors else 200,
    )


@community_view(*LEADERS)
def withdraw(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    notice = _desk_notice(community, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_notice(
                actor=request.user, notice=notice, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("notices:manage", community.code, notice.pk)
    return render(
        request,
        "notices/withdraw.html",
        {"community": community, "notice": notice, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@community_view(*NOTICE_DESK)
def answer(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related("notice__community"), pk=pk, notice__community=community
    )
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            actions.answer_objection(
                actor=request.user, objection=objection, answer=form.cleaned_data["answer"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The answer was sent."))
    else:
        messages.error(request, _("The answer is empty."))
    return redirect("notices:manage", community.code, objection.notice_id)
