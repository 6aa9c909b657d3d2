"""Real xlsx and csv files for the import tests, written with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

from linli.people.importing import TEMPLATE_HEADERS
from tests.world import id_number


def sample_rows(n: int = 6, start_seq: int = 500) -> list[list[Any]]:
    """Residents of two households in building 12, and more one per flat."""
    rows: list[list[Any]] = []
    for i in range(n):
        birth = dt.date(1940 + i % 60, 1 + i % 12, 1 + i % 28)
        rows.append(
            [
                f"测试{i}号",
                id_number(birth, start_seq + i),
                f"1390000{i:04d}",
                "12",
                "1",
                f"{100 + i // 2}",
                "",
                "户主" if i % 2 == 0 else "配偶",
                "党员" if i % 3 == 0 else "",
                "第一网格",
                "2020-05-01",
            ]
        )
    return rows


def xlsx(
    rows: list[list[Any]],
    header: list[str] | None = None,
    *,
    formula: bool = False,
    merged: bool = False,
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header or TEMPLATE_HEADERS)
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["L2"] = "=1+1"
    if merged:
        sheet.merge_cells("H2:I2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(TEMPLATE_HEADERS)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
