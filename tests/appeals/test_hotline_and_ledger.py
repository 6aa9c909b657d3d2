"""12345 work orders (never received twice) and the ledger export."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linli.appeals.hotline import import_hotline_orders
from linli.appeals.models import Appeal
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from tests.appeals.helpers import appeal
from tests.world import World

CSV = (
    "工单编号,诉求内容,联系人,联系电话,事发地址,诉求类别,紧急程度\r\n"
    "GD2026001,小区东门路灯不亮,王先生,13900001111,幸福里东门,公共设施（路灯、电梯、道路）,一般\r\n"
    "GD2026002,楼下餐馆油烟大,李女士,13900002222,幸福里5号楼,没有这个类别,\r\n"
)


def test_orders_are_received_once(world: World) -> None:
    first = import_hotline_orders(
        actor=world.users["staff"], community=world.community, data=CSV.encode("gb18030")
    )
    assert (first.created, first.existing, first.errors) == (2, 0, [])
    again = import_hotline_orders(
        actor=world.users["staff"], community=world.community, data=CSV.encode()
    )
    assert (again.created, again.existing) == (0, 2)
    assert Appeal.objects.count() == 2
    lamp = Appeal.objects.get(external_number="GD2026001")
    assert (lamp.channel, lamp.category.name, lamp.urgency, lamp.contact_phone) == (
        "hotline",
        "公共设施（路灯、电梯、道路）",
        "ordinary",
        "13900001111",
    )
    assert Appeal.objects.get(external_number="GD2026002").category.name == "其他事项"
    assert AuditEvent.objects.filter(code="appeals.hotline_imported").count() == 2


def test_json_orders(world: World) -> None:
    data = json.dumps(
        {
            "orders": [
                {
                    "order_number": "J1",
                    "content": "噪音扰民",
                    "contact_phone": "13900003333",
                    "address": "3号楼",
                }
            ]
        },
        ensure_ascii=False,
    ).encode()
    result = import_hotline_orders(
        actor=world.users["leader"], community=world.community, data=data
    )
    assert result.created == 1


def test_a_bad_order_stops_the_whole_file(world: World) -> None:
    bad = CSV + "GD2026003,,无内容,13900004444,某处,,\r\nGD2026001,重复,王,13900001111,x,,\r\n"
    result = import_hotline_orders(
        actor=world.users["staff"], community=world.community, data=bad.encode()
    )
    assert [line for line, _message in result.errors] == [4, 5]
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize(("data", "code"), [(b"", "file_empty"), (b"[1, 2]", "file_type")])
def test_unreadable_files(world: World, data: bytes, code: str) -> None:
    with pytest.raises(DomainError) as raised:
        import_hotline_orders(actor=world.users["staff"], community=world.community, data=data)
    assert raised.value.code == code


def test_only_the_office_imports(world: World) -> None:
    with pytest.raises(AccessDenied):
        import_hotline_orders(
            actor=world.users["resident"], community=world.community, data=CSV.encode()
        )


def test_the_ledger(client: Client, world: World) -> None:
    appeal(world)
    appeal(
        world,
        actor=world.users["staff"],
        channel="phone",
        place="东门",
        contact_name="赵先生",
        contact_phone="13912345678",
    )
    client.force_login(world.users["leader"])
    response = client.get(reverse("appeals:ledger", args=["xfl"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "渠道", "工单编号")
    assert len(rows) == 3
    phones = {row[8] for row in rows[1:]}
    assert "139****5678" in phones
    assert "13912345678" not in phones
    assert AuditEvent.objects.filter(code="appeals.ledger_exported").exists()
