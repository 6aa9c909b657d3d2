"""Forms of the core app."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or mobile phone"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages: ClassVar[dict[str, Any]] = {  # type: ignore[misc]
        "invalid_login": _(
            "The username (or phone) and password do not match. Both are case-sensitive."
        ),
        "inactive": _("This account has been disabled."),
    }
