"""Forms of appeals: intake, quick actions, verdict."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.appeals.models import Category, Channel, Status, Urgency, Verdict
from linli.core.forms import MultipleFileField, MultipleFileInput
from linli.core.models import Community, Organisation

TEXT_HELP = _("Say what the matter is, in your own words (up to 4,000 characters).")


class ResidentAppealForm(forms.Form):
    """Three taps on a phone: what kind, what happened, send."""

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    text = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=TEXT_HELP,
    )
    place = forms.CharField(
        label=_("Where? (leave empty for your home)"), max_length=200, required=False
    )
    photos = MultipleFileField(
        label=_("Photos (up to 3; optional)"),
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    allow_public = forms.BooleanField(
        label=_("The community may show this and its result on the notice board, without my name"),
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        # The kinds a resident can pick from: the leaves of the tree, by their short names.
        field.queryset = Category.objects.for_community(  # type: ignore[attr-defined]
            community
        ).filter(children__isnull=True)
        field.label_from_instance = lambda category: category.name  # type: ignore[attr-defined]


class StaffAppealForm(forms.Form):
    """代办: staff enter what a resident raised in person, by phone or on a visit."""

    channel = forms.ChoiceField(
        label=_("How it came in"),
        choices=[
            (c.value, c.label)
            for c in Channel
            if c.value in {Channel.IN_PERSON, Channel.PHONE, Channel.VISIT, Channel.HOTLINE}
        ],
    )
    resident_query = forms.CharField(
        label=_("Resident (name, phone tail or 3-2-501)"), max_length=50, required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=[("", _("(the category's usual)")), *Urgency.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("What the resident raised"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    building = forms.CharField(label=_("Building"), max_length=20, required=False)
    entrance = forms.CharField(label=_("Entrance"), max_length=20, required=False)
    room = forms.CharField(label=_("Room"), max_length=20, required=False)
    place = forms.CharField(label=_("Or a described place"), max_length=200, required=False)
    external_number = forms.CharField(
        label=_("12345 work order number"), max_length=40, required=False
    )
    photos = MultipleFileField(
        label=_("Photos (up to 3; optional)"),
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    allow_public = forms.BooleanField(
        label=_("May be shown publicly (without name)"), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.for_community(  # type: ignore[attr-defined]
            community
        ).filter(children__isnull=True)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )


class ReferForm(NoteForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = community.organisations.all()  # type: ignore[attr-defined]


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class SuperviseForm(NoteForm):
    deadline = forms.DateField(
        label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Are you satisfied with how it was handled?"),
        choices=[(v.value, v.label) for v in Verdict if v != Verdict.NONE],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", _("Open")), ("all", _("All")), *Status.choices]
    )
    mine = forms.BooleanField(required=False)
    grid = forms.IntegerField(required=False)
    category = forms.IntegerField(required=False)
    channel = forms.ChoiceField(required=False, choices=[("", "—"), *Channel.choices])
    page = forms.IntegerField(required=False, min_value=1)


class HotlineForm(forms.Form):
    file = forms.FileField(
        label=_("12345 export (CSV or JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json"}),
    )


class RatesForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    by = forms.ChoiceField(
        label=_("Break down by"),
        required=False,
        choices=[
            ("grid", _("Grid")),
            ("handler", _("Staff member")),
            ("category", _("Category")),
            ("organisation", _("Organisation")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start is after the end."))
        return data
