"""Small helpers shared by every app's views: community scoping, idempotent forms."""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import IntegrityError
from django.db.models import Count, QuerySet, Window
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

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

        return wrapper

    return decorate


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def idempotent_result(request: HttpRequest) -> HttpResponse | None:
    """If this form submission was already handled, send the person to its result."""
    key = request.POST.get("idempotency_key", "")
    user = request.user
    if not key or not user.is_authenticated:
        return None
    record = IdempotencyRecord.objects.filter(key=key, user=user).first()
    return redirect(record.result_url) if record else None


def remember_result(request: HttpRequest, url: str) -> None:
    key = request.POST.get("idempotency_key", "")
    if key and request.user.is_authenticated:
        # A concurrent duplicate may have recorded it already.
        with contextlib.suppress(IntegrityError):
            IdempotencyRecord.objects.create(key=key[:64], user=request.user, result_url=url)


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
