"""Forms of the registry: they parse input; the actions decide."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.models import Community, Grid
from linli.people.checks import ResidentInput
from linli.people.models import Relation, Resident, Tag


class ResidentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        min_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("18 characters; birth date and gender are read from it."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    building = forms.CharField(label=_("Building"), max_length=20, required=False)
    entrance = forms.CharField(label=_("Entrance"), max_length=20, required=False)
    room = forms.CharField(label=_("Room"), max_length=20, required=False)
    address_note = forms.CharField(
        label=_("Or a described address"),
        max_length=200,
        required=False,
        help_text=_("Only for dwellings outside the numbered buildings."),
    )
    relation = forms.ChoiceField(
        label=_("Relation to head"), choices=Relation.choices, initial=Relation.HEAD
    )
    grid = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Grid.objects.none(),
        required=False,
        empty_label=_("(by building)"),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    moved_in_on = forms.DateField(
        label=_("Moved in on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    health_notes = forms.CharField(
        label=_("Health notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sensitive: stored encrypted, shown masked."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    # Which form field a domain error code belongs to.
    ERROR_FIELDS: ClassVar[dict[str, str]] = {
        "id": "id_number",
        "duplicate": "id_number",
        "phone": "phone",
        "name": "name",
        "address": "building",
        "relation": "relation",
        "tag": "tags",
        "grid": "grid",
        "moved": "moved_in_on",
    }

    clear_health_notes = forms.BooleanField(label=_("Delete the health notes"), required=False)

    def __init__(
        self, *args: Any, community: Community, resident: Resident | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.resident = resident
        self.fields["grid"].queryset = Grid.objects.filter(  # type: ignore[attr-defined]
            community=community
        )
        if resident is None:
            del self.fields["clear_health_notes"]
            return
        # Editing never puts a secret on the page: empty fields keep the stored value.
        masked = {"id_number": resident.masked_id_number, "phone": resident.masked_phone}
        for name, shown in masked.items():
            field = self.fields[name]
            field.required = False
            field.widget.attrs.pop("minlength", None)
            field.validators = []
            field.widget.attrs["placeholder"] = shown
            field.help_text = _("Leave empty to keep %(value)s.") % {"value": shown or "—"}
        self.fields["health_notes"].help_text = _(
            "Sensitive: stored encrypted. Leave empty to keep the current notes."
        )

    def to_input(self) -> ResidentInput:
        data = self.cleaned_data
        current = self.resident
        health_notes = data["health_notes"]
        if current is not None and not health_notes and not data.get("clear_health_notes"):
            health_notes = current.health_notes
        return ResidentInput(
            name=data["name"],
            id_number=data["id_number"] or (current.id_number if current else ""),
            phone=data["phone"] or (current.phone if current else ""),
            building=data["building"],
            entrance=data["entrance"],
            room=data["room"],
            address_note=data["address_note"],
            relation=data["relation"],
            tags=[t.code for t in data["tags"]],
            grid=data["grid"].name if data["grid"] else "",
            moved_in_on=data["moved_in_on"],
            health_notes=health_notes,
        )

    def field_for(self, code: str) -> str | None:
        return self.ERROR_FIELDS.get(code.split("_")[0])

    @staticmethod
    def initial_for(resident: Resident) -> dict[str, Any]:
        household = resident.household
        entrance = household.entrance if household else None
        return {
            "name": resident.name,
            "building": entrance.building.number if entrance else "",
            "entrance": entrance.number if entrance else "",
            "room": household.room if household else "",
            "address_note": household.address_note if household else "",
            "relation": resident.relation_to_head,
            "tags": list(resident.tags.all()),
            "moved_in_on": resident.moved_in_on,
        }


class MoveOutForm(forms.Form):
    on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    deceased = forms.BooleanField(label=_("The resident has died"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx) or .csv file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it into smaller files."),
                params={"limit": limit // (1024 * 1024)},
            )
        return upload


class SearchForm(forms.Form):
    """The registry search; invalid input (e.g. a NUL byte) simply finds nothing special."""

    q = forms.CharField(required=False, max_length=50)
    tag = forms.SlugField(required=False, max_length=40)
    all = forms.BooleanField(required=False)
    page = forms.IntegerField(required=False, min_value=1)
