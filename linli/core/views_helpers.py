"""Small helpers shared by every app's views: community scoping, idempotent forms."""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Window
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from linli.core import access
from linli.core.models import Community, IdempotencyRecord

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, Community, P], HttpResponseBase]


def community_view(*roles: str) -> Callable[[View[P]], Callable[..., HttpResponseBase]]:
    """Resolve the community in the URL and require one of `roles` there.

    Someone with no role in the community gets 404 (its existence is not confirmed);
    someone with another role there gets 403.
    """

    def decorate(view: View[P]) -> Callable[..., HttpResponseBase]:
        @login_required
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, code: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            community = Community.objects.select_related("subdistrict").filter(code=code).first()
            if community is None:
                raise Http404
            held = access.roles_in(request.user, community)
            if not held:
                raise Http404
            if not access.has_role(request.user, community, *roles):
                raise PermissionDenied
            request.community = community  # type: ignore[attr-defined]
            request.community_roles = held  # type: ignore[attr-defined]
            return view(request, community, *args, **kwargs)

        # Read by `may_open`: a link to this view is shown only to the roles it lets in.
        wrapper.community_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorate


def may_open(user: Any, path: str, community: Community | None = None) -> bool:
    """Whether the person's roles let them open this address of linli: the same answer the
    view's `community_view` gives, asked before showing a link or a button to it. Views that
    are not community views (public pages, the person's own pages) answer for themselves."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    roles = getattr(match.func, "community_roles", None)
    code = match.kwargs.get("code")
    if roles is None or code is None:
        return True
    if community is None or community.code != code:
        community = access.community_by_code(code)
    return community is not None and access.has_role(user, community, *roles)


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def idempotent_form(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A form POST carrying an idempotency key is handled once, even when two copies arrive
    together (a double click, a reload, a retry): the first claims the key in the database
    before acting; a copy waits for it and goes to its result. A submission that is refused
    (errors on the form) gives the key back, so the corrected form can be sent with it."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.POST.get("idempotency_key", "")[:64] if request.method == "POST" else ""
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT_SECONDS
        while True:
            try:
                with transaction.atomic():
                    claim = IdempotencyRecord.objects.create(
                        key=key, user=request.user, result_url=""
                    )
                break
            except IntegrityError:
                record = IdempotencyRecord.objects.filter(key=key).first()
                if record is not None and record.user_id != request.user.pk:
                    raise PermissionDenied from None  # someone else's form
                if record is not None and record.result_url:
                    return redirect(record.result_url)
                if time.monotonic() > deadline:
                    messages.info(
                        request, _("This form is still being handled; look again in a moment.")
                    )
                    return redirect(request.path)
                if record is not None:
                    time.sleep(0.05)  # the first copy is still working
                # else: the first copy was refused and gave the key back; claim it again.
        request.idempotency_claim = claim  # type: ignore[attr-defined]
        try:
            return view(request, *args, **kwargs)
        finally:
            IdempotencyRecord.objects.filter(pk=claim.pk, result_url="").delete()

    return wrapper


def remember_result(request: HttpRequest, url: str) -> None:
    """Where the result of this request's form lives (a copy of the form goes there)."""
    claim = getattr(request, "idempotency_claim", None)
    if claim is not None:
        IdempotencyRecord.objects.filter(pk=claim.pk).update(result_url=url)


def counted_page(queryset: QuerySet[Any], number: Any, per_page: int) -> Page[Any]:
    """A page and the total in one query (a window count on each row) instead of two; a
    second query only when the page asked for is past the end."""
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    rows = list(
        queryset.annotate(_total=Window(Count("pk")))[(wanted - 1) * per_page : wanted * per_page]
    )
    paginator: Paginator[Any] = Paginator(queryset, per_page)
    if rows:
        paginator.__dict__["count"] = rows[0]._total
        return Page(rows, wanted, paginator)
    return paginator.get_page(wanted if wanted > 1 else 1)
