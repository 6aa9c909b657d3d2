"""Pages that read across the practice apps."""

from django.urls import URLPattern

app_name = "dashboard"

urlpatterns: list[URLPattern] = []
