"""What each kind of notice may contain, its default notice period, and who publishes it.

Publishing personal data beyond what a kind allows is refused (个人信息保护法: only what is
needed is published).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.cn import ric

from linli.core.models import Role
from linli.notices.models import NoticeKind, NoticeKindSetting


@dataclass(frozen=True)
class Period:
    days: int
    working_days: bool


# Defaults; NoticeKindSetting rows override them.
DEFAULT_PERIODS: dict[str, Period] = {
    NoticeKind.WELFARE: Period(7, working_days=False),  # 最低生活保障审核确认办法: 7 days
    NoticeKind.PARTY_DEVELOPMENT: Period(5, working_days=True),  # 发展党员公示: 5 working days
    NoticeKind.BALLOT_RESULTS: Period(5, working_days=True),
    NoticeKind.FINANCE: Period(7, working_days=False),
}


def period_for(kind: str) -> Period:
    """The kind's notice period: an administrator's setting, else the default."""
    setting = NoticeKindSetting.objects.filter(kind=kind).first()
    if setting is not None:
        return Period(setting.period_days, setting.working_days)
    return DEFAULT_PERIODS.get(kind, Period(0, working_days=False))


# The only columns a kind's table may have.
ENTRY_COLUMNS: dict[str, list[tuple[str, Promise]]] = {
    NoticeKind.WELFARE: [
        ("name", _("Applicant")),
        ("household_size", _("Household size")),
        ("amount", _("Amount (yuan)")),
    ],
    NoticeKind.PARTY_DEVELOPMENT: [
        ("name", _("Name")),
        ("gender", _("Gender")),
        ("birth_month", _("Born")),
        ("education", _("Education")),
        ("stage", _("Stage")),
    ],
    NoticeKind.BALLOT_RESULTS: [
        ("name", _("Name")),
        ("result", _("Result")),
    ],
    NoticeKind.FINANCE: [
        ("item", _("Item")),
        ("income", _("Income (yuan)")),
        ("expense", _("Expense (yuan)")),
    ],
}

# Kinds about named people: no phone numbers and no addresses either.
PERSONAL_KINDS = {NoticeKind.WELFARE, NoticeKind.PARTY_DEVELOPMENT, NoticeKind.BALLOT_RESULTS}

# Who may publish each kind (leaders may publish every kind).
PUBLISHERS: dict[str, set[str]] = {
    NoticeKind.MINUTES: {Role.LEADER, Role.STAFF},
    NoticeKind.OPINION_RESULTS: {Role.LEADER, Role.STAFF},
    NoticeKind.WELFARE: {Role.LEADER, Role.WELFARE_REVIEWER},
    NoticeKind.PARTY_DEVELOPMENT: {Role.LEADER},
    NoticeKind.BALLOT_RESULTS: {Role.LEADER, Role.TELLER},
    NoticeKind.EVALUATION_RESULTS: {Role.LEADER},
    NoticeKind.FINANCE: {Role.LEADER},
    NoticeKind.ANNOUNCEMENT: {Role.LEADER, Role.STAFF},
}

# Everyone who may publish some kind: the notice desk's publishing pages let them in.
ANY_PUBLISHER: tuple[str, ...] = tuple(
    sorted({role for roles in PUBLISHERS.values() for role in roles})
)

_ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_OLD_ID = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")
_CARD_LIKE = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86)?1[3-9][0-9]{9}(?![0-9])")
_NUMERAL = "0-9一二三四五六七八九十百"
# Every alternative starts where a run of numerals starts (the look-behind), so a long run of
# digits is scanned once, not once per position.
_ADDRESS = re.compile(
    rf"(?<![{_NUMERAL}])[{_NUMERAL}]+\s*(号楼|栋|幢|单元|室|号院|楼|层|弄|房|组)"
    r"|(?<![0-9])[0-9]+-[0-9]+-[0-9]+(?![0-9])"
    rf"|(路|街|巷|弄|里|村)[{_NUMERAL}]+号"
)
# Spaces, dashes and dots that people put between digits (138 1234 5678, 110105-1950…).
_DIGIT_GAPS = re.compile(r"(?<=[0-9])[ \u3000\-.·]+(?=[0-9Xx])")


# A SHA-256 in hex, as linli writes it (a ballot's bulletin digest).
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _without(text: str, digests: Sequence[str]) -> str:
    """The text with each of the caller's own digests blanked where it stands alone: its
    digits are a machine code, not a number about a person. Only exact digests the caller
    names are blanked, so padding a phone number with hex letters hides nothing."""
    for digest in digests:
        text = re.sub(rf"(?<![0-9A-Za-z]){digest}(?![0-9A-Za-z])", " ", text)
    return text


def _normalised(text: str) -> str:
    """Full-width digits to ASCII (NFKC), and no gaps inside numbers."""
    return _DIGIT_GAPS.sub("", unicodedata.normalize("NFKC", text))


def personal_data_problems(
    kind: str, texts: list[str], digests: Sequence[str] = ()
) -> list[Promise]:
    """Which kinds of personal data the texts contain that this kind must not publish.
    `digests`: SHA-256 digests linli itself put in the text (never checked as numbers)."""
    for digest in digests:
        if not _SHA256.fullmatch(digest):
            raise ValueError(f"not a SHA-256 digest: {digest!r}")
    texts = [_without(unicodedata.normalize("NFKC", text), digests) for text in texts]
    found: list[Promise] = []
    raw = "\n".join(texts)
    joined = "\n".join(_normalised(text) for text in texts)
    if any(ric.is_valid(m.group().upper()) for m in _ID_LIKE.finditer(joined)) or _OLD_ID.search(
        joined
    ):
        found.append(_("an ID number"))
    if any(luhn.is_valid(m.group()) for m in _CARD_LIKE.finditer(joined)):
        found.append(_("a bank card number"))
    if kind in PERSONAL_KINDS:
        if _MOBILE.search(joined):
            found.append(_("a phone number"))
        if _ADDRESS.search(raw):
            found.append(_("an address"))
    return found
