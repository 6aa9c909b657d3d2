"""Permission-matrix cases for the dashboard's views."""

from __future__ import annotations

from tests.matrix import Case

CASES: list[Case] = [
    Case("dashboard:staff_sheet", "GET", {"leader", "supervisor", "admin"}),
]
