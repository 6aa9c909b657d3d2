"""Forms of the welfare review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.models import Community, User
from linli.core.roles import WELFARE_INTAKE
from linli.welfare.models import ACTIVITIES, Benefit, BenefitChange, Programme, Relation

# What a checker writes for "consistent with the application".
CONSISTENT = {"yes", "是", "一致", "y"}


class ApplicationForm(forms.Form):
    """Step one: the programme and the household (by 楼-单元-房 or a member's name)."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    household = forms.CharField(
        label=_("Household (楼-单元-房, or a member's name)"), max_length=50
    )
    reason = forms.CharField(
        label=_("Why the household applies"), widget=forms.Textarea(attrs={"rows": 3})
    )
    agent_name = forms.CharField(
        label=_("Agent applying on the household's behalf (if any)"), max_length=50, required=False
    )
    agent_authorised = forms.BooleanField(
        label=_("The household's authorisation is on file"), required=False
    )
    pledge_signed = forms.BooleanField(label=_("The truthfulness pledge is signed"), required=False)
    consent_to_checks = forms.BooleanField(
        label=_("Consent to information checks is signed"), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(active=True).filter(  # type: ignore[attr-defined]
            community__isnull=True
        ) | Programme.objects.filter(active=True, community=community)


class MaterialsForm(forms.Form):
    provided = forms.MultipleChoiceField(
        label=_("Materials handed in"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provided"].choices = [(n, n) for n in names]  # type: ignore[attr-defined]


class InvestigationForm(forms.Form):
    investigators = forms.ModelMultipleChoiceField(
        label=_("Investigators (at least two)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    signature = forms.ImageField(label=_("The family's signature (photo)"), required=False)
    signed_on_screen = forms.BooleanField(label=_("The family signed on screen"), required=False)

    def __init__(
        self, *args: Any, community: Community, excluded: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigators"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(roles__community=community, roles__role__in=WELFARE_INTAKE)
            .exclude(pk__in=excluded)
            .distinct()
        )


class ChecksForm(forms.Form):
    results = forms.CharField(
        label=_("Results, one source per line: source | result | consistent (yes/no)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def parsed(self) -> list[tuple[str, str, bool]]:
        """(source, result, consistent) for each line of three parts; other lines are left out
        (the action refuses when none is left)."""
        found = []
        for line in self.cleaned_data["results"].splitlines():
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            if len(parts) == 3:
                found.append((parts[0], parts[1], parts[2].lower() in CONSISTENT))
        return found


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Preliminary opinion with its reasons"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, one_off: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if one_off:
            # Temporary relief: the opinion proposes the amount, paid once.
            self.fields["amount"] = forms.DecimalField(
                label=_("Proposed one-off amount (yuan)"),
                min_value=0,
                max_digits=9,
                decimal_places=2,
            )


class AssessmentForm(forms.Form):
    """The self-care assessment of one member (特困): which of the six activities they do."""

    resident = forms.TypedChoiceField(label=_("Household member"), coerce=int)
    done = forms.MultipleChoiceField(
        label=_("Done unaided"),
        choices=ACTIVITIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = members  # type: ignore[attr-defined]


class EmergencyForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount paid now (yuan)"), min_value=0, max_digits=9, decimal_places=2
    )
    reason = forms.CharField(label=_("Why it cannot wait"), max_length=300)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Review outcome"), choices=BenefitChange.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What the review found"), widget=forms.Textarea(attrs={"rows": 3})
    )
    new_amount = forms.DecimalField(
        label=_("New monthly amount (yuan), if adjusted"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        required=False,
    )
    irregular_income = forms.BooleanField(
        label=_("Income is irregular (review every 6 months)"), required=False
    )


class BenefitStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Change to"), choices=Benefit.State.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ChangeReportForm(forms.Form):
    note = forms.CharField(
        label=_("What has changed (income, members, address)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ObjectionForm(forms.Form):
    note = forms.CharField(
        label=_("The objection and what follows"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    irregular_income = forms.BooleanField(
        label=_("Income is irregular (review every 6 months)"), required=False
    )


class RelativeForm(forms.Form):
    resident = forms.CharField(
        label=_("Relative (name, initials, phone tail or 楼-单元-房)"), max_length=50
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
