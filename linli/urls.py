"""Mounts each app's URLs."""

from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from linli.core import views as core

urlpatterns = [
    path("", core.home, name="home"),
    path("login/", core.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("workbench/", core.workbench, name="workbench"),
    path("preferences/large-font/", core.toggle_large_font, name="large_font"),
    path("preferences/language/", core.set_language, name="set_language"),
    path("c/<slug:code>/audit/", core.audit_log, name="audit_log"),
    path("healthz", core.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("inbox/", core.inbox, name="inbox"),
    path("", include("linli.people.urls")),
    path("", include("linli.notices.urls")),
    path("", include("linli.appeals.urls")),
    path("", include("linli.meetings.urls")),
    path("", include("linli.ballots.urls")),
    path("", include("linli.evaluations.urls")),
    path("", include("linli.welfare.urls")),
    path("", include("linli.care.urls")),
    path("", include("linli.dashboard.urls")),
]
