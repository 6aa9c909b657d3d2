"""Forms of the notice board."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from linli.core.forms import MultipleFileField, MultipleFileInput
from linli.notices.actions import AttachmentInput
from linli.notices.models import Audience, NoticeKind
from linli.notices.rules import ENTRY_COLUMNS


def read_attachments(files: list[UploadedFile[Any]]) -> list[AttachmentInput]:
    return [AttachmentInput(name=f.name or "file", data=f.read()) for f in files]


def parse_table(kind: str, text: str) -> list[dict[str, str]]:
    """One row per line, cells separated by tabs, commas or spaces (pasted from Excel)."""
    columns = [key for key, _label in ENTRY_COLUMNS.get(kind, [])]
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c for c in re.split(r"[\t,，]+|\s{1,}", line.strip()) if c]
        if len(cells) != len(columns):
            raise forms.ValidationError(
                _(
                    "Line %(line)s has %(found)s cells; this kind of notice needs "
                    "%(wanted)s: %(names)s."
                ),
                params={
                    "line": number,
                    "found": len(cells),
                    "wanted": len(columns),
                    "names": "、".join(str(label) for _key, label in ENTRY_COLUMNS[kind]),
                },
            )
        rows.append(dict(zip(columns, cells, strict=True)))
    return rows


class NoticeContentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    table = forms.CharField(
        label=_("Table"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One row per line, cells separated by spaces or commas (you may paste from Excel). "
            "Welfare publicity: name, household size, monthly amount."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, image, Word, Excel)"),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.docx"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    kind_for_table: str = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or self.kind_for_table
        text = data.get("table", "")
        if text and kind:
            if kind not in ENTRY_COLUMNS:
                self.add_error("table", _("This kind of notice has no table."))
            else:
                try:
                    data["entries"] = parse_table(kind, text)
                except forms.ValidationError as exc:
                    self.add_error("table", exc)
        data.setdefault("entries", [])
        return data


class PublishForm(NoticeContentForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    audience = forms.ChoiceField(label=_("Who may read it"), choices=Audience.choices)
    period_days = forms.IntegerField(
        label=_("Notice period (days)"),
        required=False,
        min_value=0,
        max_value=90,
        help_text=_(
            "Leave empty for the kind's usual period "
            "(welfare: 7 days; party members: 5 working days)."
        ),
    )
    field_order = [
        "kind",
        "title",
        "body",
        "table",
        "audience",
        "period_days",
        "attachments",
    ]


class CorrectForm(NoticeContentForm):
    reason = forms.CharField(label=_("What was corrected, and why"), max_length=300)
    field_order = ["reason", "title", "body", "table", "attachments"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Your objection"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        help_text=_("Say what is wrong and why. Your name is never shown on the board."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Your phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
