"""Catalogues of message codes, rendered when read, in the reader's language.

The audit trail, notifications and the appeal timeline all store a code and its data, never
translated text; each keeps one catalogue of this kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise

Formatter = Callable[[dict[str, Any]], dict[str, Any]]


class MessageCatalogue:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._messages: dict[str, Promise | str] = {}
        self._formatters: dict[str, Formatter] = {}

    def register(
        self, code: str, message: Promise | str, formatter: Formatter | None = None
    ) -> None:
        """Declare a code and its message with named placeholders, e.g. %(name)s.

        `formatter` turns stored codes into words when the message is read.
        """
        if code in self._messages and self._messages[code] != message:
            raise ValueError(f"{self.kind} {code!r} registered twice")
        self._messages[code] = message
        if formatter is not None:
            self._formatters[code] = formatter

    def __contains__(self, code: str) -> bool:
        return code in self._messages

    def require(self, code: str) -> None:
        if code not in self._messages:
            raise ValueError(f"unregistered {self.kind} {code!r}")

    def render(self, code: str, data: dict[str, Any]) -> str:
        message = self._messages.get(code)
        if message is None:
            return code
        formatter = self._formatters.get(code)
        return str(message) % defaultdict(str, formatter(data) if formatter else data)
