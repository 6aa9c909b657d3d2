"""Checking and normalising what people type: ID numbers, phones, names, addresses."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from linli.core.errors import DomainError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_ADDRESS = re.compile(
    r"^\s*([0-9A-Za-z]+)\s*[-－—/]\s*([0-9A-Za-z]+)(?:\s*[-－—/]\s*([0-9A-Za-z]+))?\s*$"
)


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # "M" or "F"


def check_id_number(raw: str) -> IdInfo:
    """Validate a resident identity card number (GB 11643, 18 digits with checksum)."""
    number = ric.compact(raw or "").upper()
    if not number:
        raise DomainError("id_missing", _("The ID number is missing."))
    if len(number) != 18:
        raise DomainError(
            "id_length",
            _("An ID number has 18 characters; this one has %(count)s."),
            count=len(number),
        )
    try:
        ric.validate(number)
        birth = ric.get_birth_date(number)
    except stdnum_errors.InvalidChecksum:
        raise DomainError(
            "id_checksum",
            _("The ID number's last character does not match its check digit; please re-check it."),
        ) from None
    except stdnum_errors.InvalidComponent:
        raise DomainError(
            "id_birth_date", _("The ID number does not contain a valid birth date.")
        ) from None
    except stdnum_errors.ValidationError:
        raise DomainError(
            "id_format", _("An ID number is 17 digits followed by a digit or X.")
        ) from None
    if birth > dt.date.today():  # noqa: DTZ011  (a calendar date, not an instant)
        raise DomainError("id_birth_date", _("The ID number's birth date is in the future."))
    gender = "M" if int(number[16]) % 2 else "F"
    return IdInfo(number, birth, gender)


def check_phone(raw: str) -> str:
    """A Chinese mobile or landline number, normalised; empty stays empty."""
    value = re.sub(r"[\s-]", "", raw or "")
    if not value:
        return ""
    if value.startswith("+86"):
        value = value[3:]
    if _MOBILE.match(value):
        return value
    try:
        parsed = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise DomainError(
            "phone_invalid",
            _("“%(phone)s” is not a valid phone number (mobile: 11 digits starting with 1)."),
            phone=raw,
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL).replace(
        " ", ""
    )


def check_name(raw: str) -> str:
    name = re.sub(r"\s+", "", raw or "")
    if not name:
        raise DomainError("name_missing", _("The name is missing."))
    if len(name) > 50:
        raise DomainError("name_long", _("The name is longer than 50 characters."))
    return name


@lru_cache(maxsize=200_000)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) in lower case: 张三 → ("zs", "zhangsan")."""
    full = lazy_pinyin(name, errors="default")
    initials = "".join(s[0] for s in lazy_pinyin(name, style=Style.FIRST_LETTER) if s)
    return initials.lower(), "".join(full).lower()


def parse_address(raw: str) -> tuple[str, str, str | None] | None:
    """ "3-2-501" → ("3", "2", "501"); "3-2" → ("3", "2", None); else None."""
    match = _ADDRESS.match(raw or "")
    if not match:
        return None
    return match.group(1), match.group(2), match.group(3)
