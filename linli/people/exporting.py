"""Writing workbooks: the registry exported to xlsx (masked by default, in full only for
leaders, audited) and the import template. Reading them back is `people.importing`, which
leaves openpyxl unloaded (the import reads with calamine)."""

from __future__ import annotations

import io
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core import audit, crypto, roles
from linli.core.access import require_role
from linli.core.models import Community
from linli.core.transactions import atomic_action
from linli.people.importing import TEMPLATE_HEADERS
from linli.people.models import Relation, Resident

EXPORT_HEADERS = [*TEMPLATE_HEADERS, "性别", "出生日期", "状态"]
RELATION_NAMES = {
    Relation.HEAD: "户主",
    Relation.SPOUSE: "配偶",
    Relation.CHILD: "子女",
    Relation.PARENT: "父母",
    Relation.GRANDPARENT: "祖父母",
    Relation.GRANDCHILD: "孙子女",
    Relation.SIBLING: "兄弟姐妹",
    Relation.CHILD_IN_LAW: "儿媳",
    Relation.OTHER: "其他",
}
STATUS_NAMES = {"active": "在册", "moved_out": "已迁出", "deceased": "已故"}


def export_residents(
    *, actor: Any, community: Community, out: IO[bytes], full: bool = False
) -> int:
    """Write the community's registry as an xlsx workbook (the import template's columns)."""
    if full:
        require_role(actor, community, *roles.LEADERS)
    else:
        # A masked list of named residents: for those who work with them.
        require_role(actor, community, *roles.REVEALERS)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    # Masked: birth year and month only, or the masked ID number could be worked out again.
    sheet.append(EXPORT_HEADERS if full else [*EXPORT_HEADERS[:-2], "出生年月", "状态"])
    tag_names: dict[int, list[str]] = {}
    through = Resident.tags.through
    for resident_id, name in (
        through.objects.filter(resident__community=community)
        .values_list("resident_id", "tag__name")
        .order_by("resident_id", "tag_id")
    ):
        tag_names.setdefault(resident_id, []).append(name)
    residents = (
        Resident.objects.filter(community=community)
        .select_related("household__entrance__building__grid")
        .order_by("household_id", "pk")
    )
    count = 0
    for r in residents.iterator(chunk_size=2000):
        household = r.household
        entrance = household.entrance if household else None
        building = entrance.building if entrance else None
        id_number = r.id_number if full else crypto.mask_id_number(r.id_number)
        phone = r.phone if full else crypto.mask_phone(r.phone)
        sheet.append(
            [
                r.name,
                id_number,
                phone,
                building.number if building else "",
                entrance.number if entrance else "",
                household.room if household else "",
                household.address_note if household else "",
                RELATION_NAMES.get(Relation(r.relation_to_head), "其他"),
                "、".join(tag_names.get(r.pk, [])),
                building.grid.name if building and building.grid else "",
                r.moved_in_on.isoformat() if r.moved_in_on else "",
                "男" if r.gender == "M" else "女",
                r.birth_date.isoformat() if full else f"{r.birth_date:%Y-%m}",
                STATUS_NAMES.get(r.status, r.status),
            ]
        )
        count += 1
    with atomic_action():
        audit.record(
            actor=actor,
            code="people.residents_exported",
            community=community,
            data={"rows": count, "mode": "full" if full else "masked"},
        )
    workbook.save(out)
    return count


def template_workbook() -> bytes:
    """An empty workbook with the template's header row and one example row."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "居民"
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "张三",
            "11010519491231002X",
            "13800138000",
            "3",
            "2",
            "501",
            "",
            "户主",
            "党员、居民代表",
            "",
            "2015-06-01",
        ]
    )
    for column, width in zip("ABCDEFGHIJK", [10, 22, 15, 8, 8, 8, 20, 12, 20, 10, 12], strict=True):
        sheet.column_dimensions[column].width = width
    # ID numbers and phones must be text, or Excel turns them into rounded numbers.
    for column in "BC":
        for row in range(2, 2001):
            sheet[f"{column}{row}"].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
