"""Forms of ballots: preparing one, the ballot paper itself (on a phone or typed in by a
teller from a paper sheet)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.ballots.models import Ballot, Electorate, FollowUp, Grade, Group, Kind, Opinion


class BallotForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of ballot"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    electorate = forms.ChoiceField(label=_("Who votes"), choices=Electorate.choices)
    candidates = forms.CharField(
        label=_("Candidates or members appraised (one name per line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
    choose = forms.IntegerField(
        label=_("Choose up to (recommendation) / seats (election)"), min_value=1, initial=1
    )
    excellent_share = forms.ChoiceField(
        label=_("At most this share of members graded excellent by one voter (appraisal)"),
        choices=[("1/3", "1/3"), ("1/4", "1/4"), ("1/5", "1/5"), ("1/2", "1/2")],
    )
    nominators_needed = forms.IntegerField(
        label=_("Nominators a candidate needs (election; empty: 10, or 5 for households)"),
        min_value=1,
        required=False,
    )


class VoteForm(forms.Form):
    """The ballot paper: a grade per member, choices, or an opinion."""

    def __init__(self, *args: Any, ballot: Ballot, paper: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.members = list(ballot.candidates.all())
        if paper:
            self.fields["sheet"] = forms.CharField(label=_("Sheet number"), max_length=14)
            self.fields["spoiled"] = forms.BooleanField(
                label=_("Spoiled sheet (counted as cast, not as a vote)"), required=False
            )
            if ballot.electorate == Electorate.PARTY_AND_REPRESENTATIVES:
                self.fields["group"] = forms.ChoiceField(
                    label=_("Whose sheet (by its colour)"),
                    choices=[
                        (Group.PARTY, Group.PARTY.label),
                        (Group.REPRESENTATIVES, Group.REPRESENTATIVES.label),
                    ],
                )
        required = not paper
        if ballot.kind == Kind.APPRAISAL:
            for member in self.members:
                self.fields[f"c{member.pk}"] = forms.ChoiceField(
                    label=member.name,
                    choices=Grade.choices,
                    widget=forms.RadioSelect,
                    required=required,
                )
        elif ballot.kind == Kind.OPINION:
            self.fields["opinion"] = forms.ChoiceField(
                label=_("Your opinion on %(name)s") % {"name": self.members[0].name},
                choices=Opinion.choices,
                widget=forms.RadioSelect,
                required=required,
            )
            self.fields["comment"] = forms.CharField(
                label=_("Comment (optional, anonymous)"),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=500,
                required=False,
            )
        else:
            self.fields["chosen"] = forms.MultipleChoiceField(
                label=_("Choose up to %(n)s") % {"n": ballot.choose},
                choices=[(str(m.pk), m.name) for m in self.members],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def content(self) -> Any:
        data = self.cleaned_data
        if self.ballot.kind == Kind.APPRAISAL:
            return {str(m.pk): data.get(f"c{m.pk}") for m in self.members}
        if self.ballot.kind == Kind.OPINION:
            return {"opinion": data.get("opinion"), "comment": data.get("comment", "")}
        return [int(pk) for pk in data.get("chosen", [])]


class ResidentForm(forms.Form):
    q = forms.CharField(
        label=_("Resident (name, initials, phone tail or 楼-单元-房)"), max_length=50
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Your receipt code"), max_length=16)


class FollowUpForm(forms.Form):
    candidate = forms.ChoiceField(label=_("Member"))
    action = forms.ChoiceField(label=_("Action"), choices=FollowUp.Action.choices)
    note = forms.CharField(label=_("What was decided"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(
        label=_("Deadline (for correction)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), c.name) for c in ballot.candidates.all()
        ]
