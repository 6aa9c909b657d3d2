"""Forms of care: a visit, an event, an entry on the register, a relief campaign."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.appeals.models import Category
from linli.care.models import CARE_TAGS, EventKind, Level, Place, ReliefKind
from linli.core.models import Community, User
from linli.people.models import Tag


def _staff(community: Community) -> Any:
    return User.objects.filter(
        roles__community=community, roles__role__in=["staff", "leader"]
    ).distinct()


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.ChoiceField(label=_("Where"), choices=Place.choices)
    visitors = forms.ModelMultipleChoiceField(
        label=_("Staff who went"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    volunteers = forms.CharField(
        label=_("Volunteers (party members)"), max_length=200, required=False
    )
    health = forms.CharField(
        label=_("Health found (kept encrypted)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    living = forms.CharField(
        label=_("Living conditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    needs = forms.CharField(
        label=_("Needs"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    relief_kind = forms.ChoiceField(
        label=_("Relief given"), choices=ReliefKind.choices, required=False
    )
    relief_amount = forms.DecimalField(
        label=_("Amount or value (yuan)"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        required=False,
    )
    relief_item = forms.CharField(label=_("What was given"), max_length=200, required=False)
    photo_consent = forms.BooleanField(label=_("The resident agrees to a photo"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset = _staff(community)  # type: ignore[attr-defined]


class NeedForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    text = forms.CharField(
        label=_("The need"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        field.queryset = Category.objects.for_community(community).filter(children__isnull=True)  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: c.name  # type: ignore[attr-defined]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=EventKind.choices)
    occurred_on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class EntryForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CareForm(forms.Form):
    level = forms.ChoiceField(label=_("Care level"), choices=Level.choices)
    worker = forms.ModelChoiceField(
        label=_("Visited by (empty: the grid worker)"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _staff(community)  # type: ignore[attr-defined]


class PolicyForm(forms.Form):
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    level = forms.ChoiceField(
        label=_("or care level"), choices=[("", "—"), *Level.choices], required=False
    )
    min_age = forms.IntegerField(
        label=_("From the age of (optional)"), min_value=0, max_value=120, required=False
    )
    every_days = forms.IntegerField(
        label=_("Visit at least every (days)"), min_value=1, max_value=365
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(Tag.objects.filter(code__in=CARE_TAGS).values_list("code", "name"))
        self.fields["tag"].choices = [("", "—"), *((c, names.get(c, c)) for c in CARE_TAGS)]  # type: ignore[attr-defined]


class ReliefForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    budget = forms.DecimalField(
        label=_("Budget (yuan)"), min_value=0, max_digits=11, decimal_places=2
    )
    per_person_limit = forms.DecimalField(
        label=_("At most per person (yuan)"), min_value=0, max_digits=9, decimal_places=2
    )
    standard_amount = forms.DecimalField(
        label=_("Each receives (yuan)"), min_value=0, max_digits=9, decimal_places=2
    )
    standard_item = forms.CharField(label=_("And in kind"), max_length=200, required=False)
    tags = forms.MultipleChoiceField(
        label=_("For residents tagged (none: everyone on the register)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(Tag.objects.filter(code__in=CARE_TAGS).values_list("code", "name"))
        self.fields["tags"].choices = [(c, names.get(c, c)) for c in CARE_TAGS]  # type: ignore[attr-defined]


class GiveForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0, max_digits=9, decimal_places=2, required=False
    )
    signature = forms.ImageField(
        label=_("Recipient's signature (photo; else you confirm)"), required=False
    )
