"""Forms of meetings and petitions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.appeals.models import Category
from linli.core.models import Community, Grid, Organisation
from linli.meetings.models import Basis, Body, Handling, Kind, Petition, PetitionStatus
from linli.people.models import Tag


def _organisations(community: Community) -> Any:
    return Organisation.objects.filter(communities=community).order_by("name")


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Kind.choices)
    body = forms.ChoiceField(
        label=_("Who makes up a residents' meeting"),
        choices=[("", "—"), *Body.choices],
        required=False,
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda (one item per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Invite organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    invite_tag = forms.ModelChoiceField(
        label=_("Invite residents with the tag"),
        queryset=Tag.objects.filter(sensitive=False).order_by("name"),
        to_field_name="code",
        required=False,
    )
    invite_grid = forms.ModelChoiceField(
        label=_("Invite residents of the grid"), queryset=Grid.objects.none(), required=False
    )
    invite_building = forms.CharField(
        label=_("Invite residents of the building (number)"), max_length=20, required=False
    )
    petition = forms.ModelChoiceField(
        label=_("Convened on the residents' petition"),
        queryset=Petition.objects.none(),
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = _organisations(community)  # type: ignore[attr-defined]
        self.fields["invite_grid"].queryset = Grid.objects.filter(community=community)  # type: ignore[attr-defined]
        self.fields["petition"].queryset = Petition.objects.filter(  # type: ignore[attr-defined]
            community=community, status=PetitionStatus.REACHED
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Kind.RESIDENTS_MEETING and not data.get("body"):
            self.add_error("body", _("Say who makes up the residents' meeting."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, initials, phone tail or 楼-单元-房"), max_length=50)


class GuestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=_("Representative's name"), max_length=50)

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=meeting.invitations.values("organisation")
        )


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("What was raised"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    speaker = forms.CharField(
        label=_("Speaker (a resident's name, initials or 楼-单元-房; empty if an organisation)"),
        max_length=50,
        required=False,
    )
    anonymous = forms.BooleanField(label=_("Do not name the speaker in reports"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation responsible"), queryset=Organisation.objects.none(), required=False
    )
    handling = forms.ChoiceField(
        label=_("Handling"), choices=Handling.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("Answer given on the spot"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.for_community(  # type: ignore[attr-defined]
            community
        ).filter(children__isnull=True)
        self.fields["category"].label_from_instance = lambda c: c.name  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = _organisations(community)  # type: ignore[attr-defined]


class ClassifyForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Organisation responsible"), queryset=Organisation.objects.none(), required=False
    )
    handling = forms.ChoiceField(
        label=_("Handling"),
        choices=[
            (Handling.ON_THE_SPOT, Handling.ON_THE_SPOT.label),
            (Handling.FOLLOW_UP, Handling.FOLLOW_UP.label),
        ],
    )
    answer = forms.CharField(label=_("Answer given on the spot"), max_length=4000, required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.for_community(  # type: ignore[attr-defined]
            community
        ).filter(children__isnull=True)
        self.fields["category"].label_from_instance = lambda c: c.name  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = _organisations(community)  # type: ignore[attr-defined]


class ResolutionForm(forms.Form):
    text = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    against = forms.IntegerField(label=_("Against"), min_value=0)
    abstain = forms.IntegerField(label=_("Abstain"), min_value=0)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the minutes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Meeting code (6 digits, shown at the meeting)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ConfirmForm(forms.Form):
    attendees = forms.CharField(label=_("Who will attend (names)"), max_length=200)


class PetitionForm(forms.Form):
    basis = forms.ChoiceField(label=_("Counted by"), choices=Basis.choices)
    subject = forms.CharField(
        label=_("What the meeting should discuss"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
