"""The shell: login, home, workbench, preferences, audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from linli.core import access
from linli.core.actions import mark_notifications_read, set_display_preferences
from linli.core.audit import verify
from linli.core.forms import LoginForm
from linli.core.middleware import LARGE_FONT_COOKIE, remember_language
from linli.core.models import (
    AuditEvent,
    Community,
    Notification,
    Role,
    Subdistrict,
)
from linli.core.roles import OFFICE
from linli.core.views_helpers import community_view


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            remember_language(response, language)
        return response


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    if not request.user.is_authenticated:
        return redirect("login")
    staff_ids = access.community_ids_for(request.user, *OFFICE)
    if staff_ids is None or staff_ids:
        return redirect("workbench")
    if hasattr(request.user, "resident"):
        return redirect("people:my_household")
    if any(g.role == Role.LIAISON for g in access.grants(request.user)):
        return redirect("appeals:organisation")
    return render(request, "core/no_role.html")


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """The staff workbench: the communities one works in."""
    ids = access.community_ids_for(request.user, *OFFICE)
    communities = Community.objects.select_related("subdistrict")
    if ids is not None:
        if not ids:
            raise PermissionDenied
        communities = communities.filter(pk__in=ids)
    communities_list = list(communities[:200])
    supervised = Subdistrict.objects.filter(
        pk__in=[
            g.subdistrict_id
            for g in access.grants(request.user)
            if g.role == Role.SUPERVISOR and g.subdistrict_id
        ]
    )
    if len(communities_list) == 1 and not supervised:
        return redirect("people:community", code=communities_list[0].code)
    return render(
        request, "core/workbench.html", {"communities": communities_list, "supervised": supervised}
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return target


@require_POST
def toggle_large_font(request: HttpRequest) -> HttpResponse:
    """Switch large-font mode (适老化); it stays on for the account or this browser."""
    large = request.POST.get("large_font") == "1"
    response: HttpResponse = HttpResponseRedirect(_safe_next(request))
    if request.user.is_authenticated:
        set_display_preferences(actor=request.user, large_font=large)
    response.set_cookie(
        LARGE_FONT_COOKIE, "1" if large else "0", max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and remember it on the account."""
    language = request.POST.get("language", "")
    response: HttpResponse = HttpResponseRedirect(_safe_next(request))
    if not check_for_language(language):
        return response
    if request.user.is_authenticated:
        set_display_preferences(actor=request.user, language=language)
    remember_language(response, language)
    return response


@community_view(Role.LEADER)
def audit_log(request: HttpRequest, community: Community) -> HttpResponse:
    """The community's audit trail, newest first, rendered in the reader's language."""
    events = AuditEvent.objects.filter(community=community).select_related("actor").order_by("-pk")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"community": community, "page": page}
    if request.GET.get("verify") and access.is_admin(request.user):
        context["verify"] = verify()
    return render(request, "core/audit_log.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    Community.objects.exists()
    return HttpResponse("ok", content_type="text/plain")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first; opening the page marks them read."""
    user = request.user
    if not user.is_authenticated:  # pragma: no cover  (login_required)
        return redirect("login")
    notifications = Notification.objects.filter(user=user).order_by("-pk")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "core/inbox.html", {"page": page, "unread": set(unread)})
    if unread:
        mark_notifications_read(actor=user, ids=unread)
    return response
