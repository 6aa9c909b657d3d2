"""Forms of evaluations: a campaign with its questionnaire, and the questionnaire itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.models import Community, Grid, User
from linli.core.roles import WORKERS
from linli.evaluations.models import LEVELS, Campaign, Kind, Target

QUESTIONS_HELP = _(
    "One question per line: section | kind | question | choices separated by ; (choice "
    "questions) or the staff member's login (scores). Kinds: satisfaction, staff, single, "
    "multiple, text."
)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    target = forms.ChoiceField(label=_("Who answers"), choices=Target.choices)
    target_grid = forms.ModelChoiceField(
        label=_("Grid"), queryset=Grid.objects.none(), required=False
    )
    target_building = forms.CharField(label=_("Building number"), max_length=20, required=False)
    opens_on = forms.DateField(
        label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=QUESTIONS_HELP,
        max_length=20000,
    )
    score_every_staff_member = forms.BooleanField(
        label=_("Add a score question for every staff member of the community"), required=False
    )
    min_answers = forms.IntegerField(
        label=_("Answers needed to show a person's score"), min_value=3, initial=5
    )
    min_comments = forms.IntegerField(
        label=_("Answers needed to show comments about a person"), min_value=4, initial=8
    )
    task_threshold = forms.IntegerField(
        label=_("Items scoring under this (0–100) become improvement tasks"),
        min_value=0,
        max_value=100,
        initial=70,
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_grid"].queryset = Grid.objects.filter(community=community)  # type: ignore[attr-defined]


class QuestionnaireForm(forms.Form):
    """The questionnaire, answered on a phone or typed in from a paper sheet."""

    def __init__(self, *args: Any, campaign: Campaign, paper: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(campaign.questions.select_related("staff"))
        if paper:
            self.fields["grid"] = forms.ModelChoiceField(
                label=_("Grid of the resident (from the sheet; optional)"),
                queryset=Grid.objects.filter(community=campaign.community),
                required=False,
            )
        for q in self.questions:
            name = f"q{q.pk}"
            label = f"{q.section} · {q.text}"
            if q.kind == Kind.SATISFACTION:
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=LEVELS,
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=False,
                )
            elif q.kind == Kind.STAFF_SCORE:
                self.fields[name] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=100,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
            elif q.kind == Kind.SINGLE:
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=list(enumerate(q.choices)),
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=False,
                )
            elif q.kind == Kind.MULTIPLE:
                self.fields[name] = forms.TypedMultipleChoiceField(
                    label=label,
                    choices=list(enumerate(q.choices)),
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    max_length=1000,
                    required=False,
                )

    def raw(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class BatchForm(forms.Form):
    sheets = forms.IntegerField(
        label=_("Number of sheets in the batch"), min_value=1, max_value=500
    )


class TaskForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    plan = forms.CharField(
        label=_("Plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    progress = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    done = forms.BooleanField(label=_("Done: publish it on the board"), required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            roles__community=community, roles__role__in=WORKERS
        ).distinct()
