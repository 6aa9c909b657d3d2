"""The recipients ledger (台账) as an xlsx workbook: the households on the register, and relief
paid once (temporary relief granted, emergency payments). Reads only; the export action audits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from linli.core.models import Community
from linli.welfare.exclusion import visible_benefits
from linli.welfare.models import Application, ProgrammeKind, Status


@dataclass(frozen=True)
class Ledger:
    rows: int
    one_off: int


def write_register(user: Any, community: Community, out: Any) -> Ledger:
    """Write the workbook to `out`; what the user may see (no case they are excluded from)."""
    book = Workbook()
    recipients = book.create_sheet(gettext("Recipients"), 0)
    book.remove(book.worksheets[1])
    rows = _recipients(recipients, user, community)
    one_off = _one_off(book.create_sheet(gettext("One-off relief")), user, community)
    book.save(out)
    return Ledger(rows, one_off)


def _recipients(sheet: Worksheet, user: Any, community: Community) -> int:
    benefits = (
        visible_benefits(user, community)
        .select_related("programme", "application__applicant", "household__entrance__building")
        .annotate(size=Count("application__members"))
        .order_by("programme_id", "pk")
    )
    sheet.append(
        [
            gettext("Programme"),
            gettext("Applicant"),
            gettext("Address"),
            gettext("Household size"),
            gettext("Monthly amount (yuan)"),
            gettext("From"),
            gettext("Next review"),
            gettext("Status"),
        ]
    )
    rows = 0
    for benefit in benefits:
        sheet.append(
            [
                benefit.programme.name,
                benefit.application.applicant.name,
                benefit.household.short_address,
                benefit.size,
                float(benefit.monthly_amount),
                benefit.starts_on.isoformat(),
                benefit.next_review_on.isoformat(),
                str(benefit.get_state_display()),
            ]
        )
        rows += 1
    return rows


def _one_off(sheet: Worksheet, user: Any, community: Community) -> int:
    """Relief paid once: temporary relief granted, and every emergency payment made first."""
    sheet.append(
        [
            gettext("Programme"),
            gettext("Applicant"),
            gettext("Address"),
            gettext("Paid first (yuan)"),
            gettext("Paid first on"),
            gettext("Granted (yuan)"),
            gettext("Still to pay (yuan)"),
            gettext("Decided on"),
            gettext("Status"),
        ]
    )
    grants = (
        Application.objects.filter(community=community)
        .filter(
            Q(emergency_paid_at__isnull=False)
            | Q(programme__kind=ProgrammeKind.TEMPORARY, status=Status.APPROVED)
        )
        .exclude(excluded_staff=user)
        .select_related("programme", "applicant", "household__entrance__building")
        .order_by("pk")
    )
    rows = 0
    for application in grants:
        sheet.append(_one_off_row(application))
        rows += 1
    return rows


def _one_off_row(application: Application) -> list[Any]:
    granted = (
        application.programme.kind == ProgrammeKind.TEMPORARY
        and application.status == Status.APPROVED
    )
    paid_first = application.emergency_amount or Decimal("0")
    # The grant includes what was paid first: only the rest is still to pay.
    balance = (application.proposed_amount or Decimal("0")) - paid_first if granted else None
    return [
        application.programme.name,
        application.applicant.name,
        application.household.short_address,
        float(application.emergency_amount) if application.emergency_amount else None,
        timezone.localdate(application.emergency_paid_at).isoformat()
        if application.emergency_paid_at
        else None,
        float(application.proposed_amount or 0) if granted else None,
        float(balance) if balance is not None else None,
        timezone.localdate(application.decided_at).isoformat() if application.decided_at else None,
        str(application.get_status_display()),
    ]
