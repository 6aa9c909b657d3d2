"""Pages that read across the practice apps."""

from django.urls import URLPattern, path

from linli.dashboard import views

app_name = "dashboard"

urlpatterns: list[URLPattern] = [
    path("c/<slug:code>/staff-sheet/", views.staff_sheet, name="staff_sheet"),
]
