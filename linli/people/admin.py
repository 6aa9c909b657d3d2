"""Registry configuration in the admin: tags and buildings. Residents are kept in linli's own
screens, where every change is checked and audited."""

from __future__ import annotations

from django.contrib import admin

from linli.people.models import Building, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ["name", "code", "name_en", "sensitive"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin[Building]):
    list_display = ["number", "community", "grid"]
    list_filter = ["community"]
    list_editable = ["grid"]
