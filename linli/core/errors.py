"""Domain errors: a stable code for programs and a translated message for people."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


class CodedMessage:
    """A code for programs and tests, a message (with named parameters) for people."""

    def __init__(self, code: str, message: str | Promise, **params: Any) -> None:
        self.code = code
        self.params = params
        self._message = message
        # The next class in the MRO is Exception (or PermissionDenied) in every subclass.
        super().__init__(code)  # type: ignore[call-arg]

    @property
    def message(self) -> str:
        text = str(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class DomainError(CodedMessage, Exception):
    """A refused state change, e.g. an illegal transition or invalid input to an action."""


class AccessDenied(CodedMessage, PermissionDenied):
    """The actor may not do this here. Not a DomainError: forms never swallow it; views
    answer 403."""
