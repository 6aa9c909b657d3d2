"""Domain errors: a stable code for programs and a translated message for people."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A refused state change, e.g. an illegal transition or invalid input to an action."""

    def __init__(self, code: str, message: str | Promise, **params: Any) -> None:
        self.code = code
        self.params = params
        self._message = message
        super().__init__(code)

    @property
    def message(self) -> str:
        text = str(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class AccessDenied(DomainError):
    """The actor may not do this here; views answer 403 or 404."""
