"""The appeal ledger (台账) as an xlsx workbook, for any filter of the to-do list."""

from __future__ import annotations

from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from linli.appeals.models import Appeal
from linli.core import audit, crypto, roles
from linli.core.access import require_role
from linli.core.models import Community
from linli.core.transactions import atomic_action

HEADERS = [
    "编号",
    "渠道",
    "工单编号",
    "类别",
    "紧急程度",
    "反映内容",
    "地点",
    "联系人",
    "联系电话",
    "接收时间",
    "响应期限",
    "签收时间",
    "负责人",
    "转办单位",
    "状态",
    "办理结果",
    "办理情况",
    "反馈期限",
    "反馈时间",
    "评价",
    "办结时间",
    "重办次数",
    "是否超期",
]


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_ledger(
    *, actor: Any, community: Community, appeals: QuerySet[Appeal], out: IO[bytes]
) -> int:
    """Write the ledger; contact phones masked. The export itself is audited."""
    require_role(actor, community, *roles.READERS)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("诉求台账")
    sheet.append(HEADERS)
    rows = (
        appeals.filter(community=community)
        .select_related(
            "category", "handler", "organisation", "household__entrance__building", "resident"
        )
        .order_by("created_at", "pk")
    )
    count = 0
    for a in rows.iterator(chunk_size=1000):
        sheet.append(
            [
                a.number,
                a.get_channel_display(),
                a.external_number,
                str(a.category),
                a.get_urgency_display(),
                a.text,
                a.location,
                a.resident.name if a.resident else a.contact_name,
                crypto.mask_phone(a.contact_phone or (a.resident.phone if a.resident else "")),
                _time(a.created_at),
                _time(a.contact_due_at),
                _time(a.accepted_at),
                str(a.handler or ""),
                str(a.organisation or ""),
                a.get_status_display(),
                a.get_outcome_display() if a.outcome else "",
                a.outcome_note,
                _time(a.feedback_due_at),
                _time(a.reported_at),
                a.get_verdict_display() if a.verdict else "",
                _time(a.closed_at),
                a.reopen_count,
                "是" if a.overdue else "",
            ]
        )
        count += 1
    with atomic_action():
        audit.record(
            actor=actor,
            code="appeals.ledger_exported",
            community=community,
            data={"number": "", "step": "ledger_exported", "rows": count},
        )
    workbook.save(out)
    return count
