"""Export masked by default, in full only for leaders; every reveal of a secret is audited."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linli.core.access import SYSTEM
from linli.core.errors import AccessDenied
from linli.core.models import AuditEvent
from linli.people.actions import reveal_resident_field
from linli.people.exporting import export_residents
from linli.people.importing import check_rows, read_rows
from linli.people.imports import import_residents
from tests.world import World


def _rows(data: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_masked_export(world: World) -> None:
    out = io.BytesIO()
    assert export_residents(actor=world.users["staff"], community=world.community, out=out) == 3
    rows = _rows(out.getvalue())
    assert rows[0][:3] == ("姓名", "身份证号码", "手机号码")
    zhang = next(r for r in rows if r[0] == "张三")
    assert zhang[1] == "1101**********" + world.residents["zhang"].id_number[-4:]
    assert zhang[2] == "138****5678"
    assert zhang[3:6] == ("3", "2", "501")
    assert zhang[8] == "党员"
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert event.data == {"rows": 3, "mode": "masked"}


def test_full_export_needs_a_leader(world: World) -> None:
    with pytest.raises(AccessDenied):
        export_residents(
            actor=world.users["staff"], community=world.community, out=io.BytesIO(), full=True
        )
    out = io.BytesIO()
    export_residents(actor=world.users["leader"], community=world.community, out=out, full=True)
    zhang = next(r for r in _rows(out.getvalue()) if r[0] == "张三")
    assert zhang[1] == world.residents["zhang"].id_number


def test_an_export_can_be_imported_back_unchanged(world: World) -> None:
    out = io.BytesIO()
    export_residents(actor=world.users["leader"], community=world.community, out=out, full=True)
    checked = check_rows(read_rows(out.getvalue(), "export.xlsx"), world.community)
    assert checked.error_count == 0
    result = import_residents(
        actor=SYSTEM, community=world.community, rows=checked.rows, file_name="e"
    )
    assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}


def test_reveal_is_audited_without_the_value(world: World) -> None:
    zhang = world.residents["zhang"]
    value = reveal_resident_field(
        actor=world.users["welfare_reviewer"], resident=zhang, field_name="id_number"
    )
    assert value == zhang.id_number
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert event.code == "people.resident_field_revealed"
    assert event.actor == world.users["welfare_reviewer"]
    assert zhang.id_number not in str(event.data)


def test_a_resident_may_reveal_their_own_but_not_others(world: World) -> None:
    me = world.users["resident"]
    assert reveal_resident_field(
        actor=me, resident=world.residents["zhang"], field_name="id_number"
    )
    with pytest.raises(AccessDenied):
        reveal_resident_field(actor=me, resident=world.residents["wang"], field_name="id_number")


def test_reveal_over_htmx(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])
    zhang = world.residents["zhang"]
    url = reverse("people:reveal", args=["xfl", zhang.pk, "health_notes"])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "高血压" in response.content.decode()
    assert client.get(url).status_code == 405  # a reveal is never a mere link


def test_the_detail_page_shows_masked_values_only(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])
    zhang = world.residents["zhang"]
    page = client.get(reverse("people:resident", args=["xfl", zhang.pk])).content.decode()
    assert zhang.id_number not in page
    assert "高血压" not in page
    assert "1101**********" in page


def test_a_resident_sees_their_own_household_only(client: Client, world: World) -> None:
    client.force_login(world.users["resident"])
    page = client.get(reverse("people:my_household")).content.decode()
    assert "张三" in page
    assert "李秀英" in page
    assert "王五" not in page
    wang = world.residents["wang"]
    assert client.get(reverse("people:resident", args=["xfl", wang.pk])).status_code == 403
