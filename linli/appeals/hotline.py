"""12345 hotline work orders from the city system (CSV or JSON), never received twice.

Every order is checked first; if any is bad, none is taken and the report lists them all.
Re-importing a file takes nothing twice: an order is identified by its work-order number.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from linli.appeals.actions import submit_appeal
from linli.appeals.models import Appeal, Category, Urgency
from linli.core import audit, roles
from linli.core.access import require_role
from linli.core.errors import DomainError
from linli.core.models import Community
from linli.core.transactions import atomic_action
from linli.people.validation import check_phone

FIELDS: dict[str, tuple[str, ...]] = {
    "external_number": ("工单编号", "工单号", "order_number"),
    "text": ("诉求内容", "反映内容", "content"),
    "contact_name": ("联系人", "来电人", "contact_name"),
    "contact_phone": ("联系电话", "来电号码", "contact_phone"),
    "place": ("事发地址", "地址", "address"),
    "category": ("诉求类别", "类别", "category"),
    "urgency": ("紧急程度", "urgency"),
}
URGENCY_WORDS = {
    "紧急": Urgency.CRITICAL,
    "特急": Urgency.CRITICAL,
    "水电气热": Urgency.UTILITY,
    "一般": Urgency.ORDINARY,
    "复杂": Urgency.COMPLEX,
}
FALLBACK_CATEGORY = "其他事项"
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class HotlineResult:
    created: int = 0
    existing: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _records(data: bytes) -> list[dict[str, Any]]:
    if not data.strip():
        raise DomainError("file_empty", _("The file is empty."))
    if len(data) > MAX_BYTES:
        raise DomainError("file_too_large", _("The file is larger than 5 MB."))
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:  # pragma: no cover  (gb18030 decodes any bytes)
        raise DomainError("file_encoding", _("The file's text encoding is not recognised."))
    stripped = text.lstrip()
    try:
        if stripped.startswith(("[", "{")):
            loaded = json.loads(stripped)
            records = loaded if isinstance(loaded, list) else loaded.get("orders", [])
            if not all(isinstance(r, dict) for r in records):
                raise ValueError
            return records
        return list(csv.DictReader(io.StringIO(text)))
    except (ValueError, csv.Error, AttributeError):
        raise DomainError(
            "file_type", _("This is neither a 12345 CSV export nor its JSON format.")
        ) from None


def _value(record: dict[str, Any], key: str) -> str:
    for name in FIELDS[key]:
        if name in record and record[name] is not None:
            return str(record[name]).strip()
    return ""


def import_hotline_orders(*, actor: Any, community: Community, data: bytes) -> HotlineResult:
    """Receive the file's work orders as appeals (channel 12345)."""
    require_role(actor, community, *roles.APPEAL_HANDLERS)
    records = _records(data)
    categories = {c.name: c for c in Category.objects.for_community(community)}
    fallback = categories.get(FALLBACK_CATEGORY)
    result = HotlineResult()
    prepared = []
    seen: set[str] = set()
    for line, record in enumerate(records, start=2):
        number = _value(record, "external_number")
        text = _value(record, "text")
        problem = ""
        if not number:
            problem = _("The work-order number is missing.")
        elif number in seen:
            problem = _("The same work-order number appears twice in the file.")
        elif not text:
            problem = _("The content of the work order is missing.")
        elif len(text) > 4000:
            problem = _("The content is longer than 4,000 characters.")
        else:
            try:
                phone = check_phone(_value(record, "contact_phone"))
            except DomainError as exc:
                problem = exc.message
        category = categories.get(_value(record, "category")) or fallback
        if not problem and category is None:
            problem = _("No category fits and there is no “%(name)s” category.") % {
                "name": FALLBACK_CATEGORY
            }
        if problem or category is None:
            result.errors.append((line, problem))
            continue
        seen.add(number)
        prepared.append((number, text, phone, record, category))
    if result.errors:
        return result
    already = set(
        Appeal.objects.filter(community=community, external_number__in=seen).values_list(
            "external_number", flat=True
        )
    )
    for number, text, phone, record, category in prepared:
        if number in already:
            result.existing += 1
            continue
        word = _value(record, "urgency")
        submit_appeal(
            actor=actor,
            community=community,
            channel="hotline",
            category=category,
            urgency=URGENCY_WORDS.get(word, word if word in Urgency.values else ""),
            text=text,
            contact_name=_value(record, "contact_name"),
            contact_phone=phone,
            place=_value(record, "place") or _("(no address given)"),
            external_number=number,
            idempotency_key=f"12345:{community.pk}:{number}"[:64],
        )
        result.created += 1
    with atomic_action():
        audit.record(
            actor=actor,
            code="appeals.hotline_imported",
            community=community,
            data={"created": result.created, "existing": result.existing},
        )
    return result
