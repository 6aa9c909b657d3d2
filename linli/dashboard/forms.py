"""Forms of the pages that read across the practice apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.models import Community, User
from linli.core.roles import WORKERS


class SheetPeriodForm(forms.Form):
    """Whose staff evaluation sheet, and for which period."""

    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())
    first = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            roles__community=community, roles__role__in=WORKERS
        ).distinct()
