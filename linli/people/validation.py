"""Checking and normalising what people type: ID numbers, phones, names, addresses."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin
from stdnum import numdb
from stdnum.cn import ric

from linli.core.errors import DomainError

_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
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
    """Validate a resident identity card number (GB 11643: 17 digits and a check character).

    The check digit and birth date come from python-stdnum; the shape is checked first with
    a regular expression because imports call this 100,000 times.
    """
    number = re.sub(r"[\s-]", "", raw or "").upper()
    if not number:
        raise DomainError("id_missing", _("The ID number is missing."))
    if len(number) != 18:
        raise DomainError(
            "id_length",
            _("An ID number has 18 characters; this one has %(count)s."),
            count=len(number),
        )
    if not _ID_SHAPE.match(number):
        raise DomainError("id_format", _("An ID number is 17 digits followed by a digit or X."))
    if ric.calc_check_digit(number) != number[-1]:
        raise DomainError(
            "id_checksum",
            _("The ID number's last character does not match its check digit; please re-check it."),
        )
    try:
        # What ric.get_birth_date() reads, without its per-call re-normalisation.
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise DomainError(
            "id_birth_date", _("The ID number does not contain a valid birth date.")
        ) from None
    if birth > dt.date.today():  # noqa: DTZ011  (a calendar date, not an instant)
        raise DomainError("id_birth_date", _("The ID number's birth date is in the future."))
    if not _known_region(number[:6]):
        raise DomainError(
            "id_region", _("The ID number's first six digits are not a known region code.")
        )
    gender = "M" if int(number[16]) % 2 else "F"
    return IdInfo(number, birth, gender)


@lru_cache(maxsize=10_000)
def _known_region(prefix: str) -> bool:
    """Whether the administrative division code exists (or existed) in stdnum's table."""
    return any("county" in props for _part, props in numdb.get("cn/loc").info(prefix))


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
            _("This is not a valid phone number (mobile: 11 digits starting with 1)."),
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


# Surnames whose reading differs from the character's everyday one (曾 zēng, not céng).
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "乐": "yue",
    "覃": "qin",
    "盖": "ge",
    "缪": "miao",
    "翟": "zhai",
    "尉": "yu",
    "折": "she",
    "秘": "bi",
    "召": "shao",
    "种": "chong",
    "繁": "po",
    "员": "yun",
    "句": "gou",
    "眭": "sui",
    "黑": "he",
    "万俟": "moqi",
    "尉迟": "yuchi",
    "长孙": "zhangsun",
    "澹台": "tantai",
    "令狐": "linghu",
    "朝": "chao",
    "宓": "fu",
    "褚": "chu",
    "祭": "zhai",
    "藉": "ji",
    "逄": "pang",
    "阚": "kan",
    "纪": "ji",
}
_COMPOUND_SURNAMES = tuple(k for k in SURNAME_READINGS if len(k) > 1)


@lru_cache(maxsize=20_000)
def _char_pinyin(char: str) -> list[str]:
    return lazy_pinyin(char, errors="default")


def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) in lower case: 张三 → ("zs", "zhangsan"); 曾 reads zeng."""
    syllables: list[str] = []
    rest = name
    surname = next((s for s in _COMPOUND_SURNAMES if name.startswith(s)), name[:1])
    if surname in SURNAME_READINGS:
        reading = SURNAME_READINGS[surname]
        # Compound surnames count one initial per character: 欧阳 → "oy".
        syllables += [reading] if len(surname) == 1 else _split_compound(surname, reading)
        rest = name[len(surname) :]
    for char in rest:
        syllables += _char_pinyin(char)
    syllables = [s.lower() for s in syllables if s]
    return "".join(s[0] for s in syllables), "".join(syllables)


def _split_compound(surname: str, reading: str) -> list[str]:
    first = _char_pinyin(surname[0])[0]
    if reading.startswith(first):
        return [first, reading[len(first) :]]
    return [reading[: len(reading) // 2], reading[len(reading) // 2 :]]


def parse_address(raw: str) -> tuple[str, str, str | None] | None:
    """ "3-2-501" → ("3", "2", "501"); "3-2" → ("3", "2", None); else None."""
    match = _ADDRESS.match(raw or "")
    if not match:
        return None
    return match.group(1), match.group(2), match.group(3)
