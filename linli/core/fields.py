"""Model fields for sensitive personal data (个人信息保护法): encrypted at rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from linli.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted with AES-GCM; Python code sees plain text.

    It cannot be filtered or ordered on; keep a keyed hash beside it for exact look-up.
    """

    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
