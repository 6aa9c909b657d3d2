"""The benefit: per-capita income and the monthly amount (低保 and local allowances), the basic
living standard plus care standards (特困), the one-off amount the opinion proposes (临时救助),
and the dates a benefit starts and is reviewed. Calculations only: nothing here writes."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core.errors import DomainError
from linli.welfare.models import Application, Programme, ProgrammeKind, SelfCare

EDGE_FACTOR = Decimal("1.5")
CENT = Decimal("0.01")
# No monthly amount of a household or a benefit is above this: a typing error, not a case.
MAX_MONTHLY_INCOME = Decimal("1000000")


@dataclass(frozen=True)
class Calculation:
    members: int
    total_income: Decimal
    per_capita: Decimal
    standard: Decimal
    amount: Decimal
    edge: bool
    # 特困: the care standards added for each member's self-care level.
    care: Decimal = Decimal("0")
    unassessed: int = 0
    kind: str = ProgrammeKind.DIBAO
    # Temporary relief before the opinion: no amount proposed yet.
    pending: bool = False

    @property
    def working(self) -> str:
        if self.kind == ProgrammeKind.TEKUN:
            return self._tekun_working()
        if self.kind == ProgrammeKind.TEMPORARY and self.pending:
            return gettext(
                "Household income %(total)s ÷ %(n)s members = %(per)s per person; the "
                "preliminary opinion will propose the one-off amount."
            ) % {"total": self.total_income, "n": self.members, "per": self.per_capita}
        if self.kind == ProgrammeKind.TEMPORARY:
            return gettext(
                "Household income %(total)s ÷ %(n)s members = %(per)s per person; one-off relief "
                "of %(amount)s yuan, as the preliminary opinion proposes."
            ) % {
                "total": self.total_income,
                "n": self.members,
                "per": self.per_capita,
                "amount": self.amount,
            }
        return gettext(
            "Household income %(total)s ÷ %(n)s members = %(per)s per person; standard %(std)s; "
            "benefit (%(std)s − %(per)s) × %(n)s = %(amount)s yuan a month."
        ) % {
            "total": self.total_income,
            "n": self.members,
            "per": self.per_capita,
            "std": self.standard,
            "amount": self.amount,
        }

    def _tekun_working(self) -> str:
        text = gettext(
            "Basic living standard %(std)s × %(n)s members + care standards %(care)s = "
            "%(amount)s yuan a month."
        ) % {"std": self.standard, "n": self.members, "care": self.care, "amount": self.amount}
        if self.unassessed:
            text += " " + gettext(
                "%(n)s members not yet assessed for self-care (no care standard counted)."
            ) % {"n": self.unassessed}
        return text


def calculate(standard: Decimal, incomes: list[Decimal]) -> Calculation:
    """Per-capita income and the benefit: (standard − per-capita income) × members, never
    below zero; an edge household has per-capita income from the standard up to 1.5 × it."""
    n = len(incomes)
    if n == 0:
        raise DomainError("members_missing", _("The household has no members."))
    total = sum(incomes, Decimal("0"))
    per_capita = (total / n).quantize(CENT, ROUND_HALF_UP)
    amount = max(Decimal("0"), (standard - per_capita) * n).quantize(CENT, ROUND_HALF_UP)
    edge = standard <= per_capita < standard * EDGE_FACTOR
    return Calculation(n, total, per_capita, standard, amount, edge)


def care_standard(programme: Programme, level: str) -> Decimal:
    return {
        SelfCare.ABLE: programme.care_able,
        SelfCare.PARTIAL: programme.care_partial,
        SelfCare.FULL: programme.care_full,
    }[SelfCare(level)]


def calculate_tekun(programme: Programme, incomes: list[Decimal], levels: list[str]) -> Calculation:
    """特困: the basic living standard for each member supported, plus the care standard of
    each assessed member's self-care level; income is shown, not deducted."""
    base = calculate(programme.monthly_standard, incomes)
    care = sum((care_standard(programme, level) for level in levels), Decimal("0"))
    amount = (programme.monthly_standard * base.members + care).quantize(CENT, ROUND_HALF_UP)
    return replace(
        base,
        amount=amount,
        edge=False,
        care=care,
        unassessed=base.members - len(levels),
        kind=ProgrammeKind.TEKUN,
    )


def calculation_for(application: Application) -> Calculation:
    programme = application.programme
    incomes = [m.income for m in application.members.all()]
    if programme.kind == ProgrammeKind.TEKUN:
        levels = list(application.assessments.values_list("level", flat=True))
        return calculate_tekun(programme, incomes, levels)
    base = calculate(programme.monthly_standard, incomes)
    if programme.kind == ProgrammeKind.TEMPORARY:
        return replace(
            base,
            amount=application.proposed_amount or Decimal("0"),
            kind=ProgrammeKind.TEMPORARY,
            pending=application.proposed_amount is None,
        )
    return base


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def review_interval(irregular_income: bool) -> int:
    """Months to the next review: 6 where income is irregular, else 12."""
    return 6 if irregular_income else 12
