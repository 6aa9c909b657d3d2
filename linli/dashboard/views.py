"""Pages that read across the practice apps: the staff evaluation sheet."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.models import Community
from linli.core.roles import STAFF_SHEET_READERS
from linli.core.views_helpers import community_view
from linli.dashboard.forms import SheetPeriodForm
from linli.dashboard.staff_sheet import StaffSheet
from linli.dashboard.staff_sheet import staff_sheet as read_staff_sheet


@community_view(*STAFF_SHEET_READERS)
def staff_sheet(request: HttpRequest, community: Community) -> HttpResponse:
    """One page per staff member and period, for a leader to print."""
    form = SheetPeriodForm(request.GET or None, community=community)
    sheet: StaffSheet | None = None
    if form.is_valid():
        data = form.cleaned_data
        sheet = read_staff_sheet(community, data["staff"], data["first"], data["last"])
    return render(
        request,
        "dashboard/staff_sheet.html",
        {"community": community, "form": form, "sheet": sheet},
    )
