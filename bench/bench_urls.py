"""URLs of the HTTP benchmark's server: every linli URL, plus the minimal view it is compared
with (`/bench/ok`: the same middleware, session and user; the view itself returns "ok")."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok), path("", include("linli.urls"))]
