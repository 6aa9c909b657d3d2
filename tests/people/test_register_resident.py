"""register_resident / update_resident / move_out_resident: checked input, nothing half-written."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from stdnum.cn import ric

from linli.core.access import roles_in
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from linli.people import actions as people_actions
from linli.people.actions import (
    ResidentInput,
    link_resident_account,
    move_out_resident,
    register_resident,
    update_resident,
)
from linli.people.models import Household, ResidencyRecord, Resident, ResidentStatus
from tests.world import World, id_number, make_user

if TYPE_CHECKING:
    from django.test import Client

# Month 13 with a correct check digit: only the birth date is wrong.
BAD_MONTH = "11010519901306044" + ric.calc_check_digit("110105199013060440")


def _input(**overrides: object) -> ResidentInput:
    data: dict[str, object] = {
        "name": "赵 六",
        "id_number": id_number(dt.date(1990, 5, 6), 44),
        "phone": "138 0013 8000",
        "building": "7",
        "entrance": "1",
        "room": "302",
        "tags": ["representative"],
    }
    data.update(overrides)
    return ResidentInput(**data)  # type: ignore[arg-type]


def test_registering_derives_birth_date_gender_and_pinyin(world: World) -> None:
    resident = register_resident(
        actor=world.users["staff"], community=world.community, data=_input()
    )
    assert resident.name == "赵六"
    assert resident.birth_date == dt.date(1990, 5, 6)
    assert resident.gender == "F"  # sequence 044: even → female
    assert (resident.name_initials, resident.name_pinyin) == ("zl", "zhaoliu")
    assert resident.phone == "13800138000"
    assert resident.phone_tail == "8000"
    assert resident.household is not None
    assert resident.household.short_address == "7-1-302"
    assert [t.code for t in resident.tags.all()] == ["representative"]
    assert ResidencyRecord.objects.filter(resident=resident, moved_out_on=None).count() == 1
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert (event.code, event.target_id) == ("people.resident_registered", str(resident.pk))
    assert resident.id_number not in str(event.data)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"id_number": "110105199005060441"}, "id_checksum"),
        ({"id_number": "11010519900506044"}, "id_length"),
        ({"id_number": BAD_MONTH}, "id_birth_date"),
        ({"id_number": ""}, "id_missing"),
        ({"phone": "12345"}, "phone_invalid"),
        ({"name": "  "}, "name_missing"),
        ({"room": ""}, "address_incomplete"),
        ({"building": "", "entrance": "", "room": ""}, "address_missing"),
        ({"tags": ["vip"]}, "tag_unknown"),
        ({"grid": "第九网格"}, "grid_unknown"),
        ({"moved_in_on": dt.date(2999, 1, 1)}, "moved_in_future"),
        ({"id_number": "11010519900506A44X"}, "id_format"),
        ({"id_number": "990105199005060449"}, "id_region"),
        ({"name": "张" * 51}, "name_long"),
        ({"relation": "cousin"}, "relation_invalid"),
        ({"building": "1" * 21}, "address_building_long"),
        (
            {"building": "", "entrance": "", "room": "", "address_note": "院" * 201},
            "address_note_long",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    world: World, overrides: dict[str, object], code: str
) -> None:
    counts = (Resident.objects.count(), Household.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as raised:
        register_resident(
            actor=world.users["staff"], community=world.community, data=_input(**overrides)
        )
    assert raised.value.code == code
    assert raised.value.message  # a sentence for the person, not only a code
    assert (
        Resident.objects.count(),
        Household.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_a_checksum_error_reads_in_chinese(world: World) -> None:
    with translation.override("zh-hans"), pytest.raises(DomainError) as raised:
        register_resident(
            actor=world.users["staff"],
            community=world.community,
            data=_input(id_number="110105199005060441"),
        )
    assert raised.value.message == "身份证号码最后一位与校验码不符，请核对。"


def test_a_duplicate_names_the_registered_resident(world: World) -> None:
    zhang = world.residents["zhang"]
    counts = (Resident.objects.count(), Household.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as raised:
        register_resident(
            actor=world.users["staff"],
            community=world.community,
            data=_input(id_number=zhang.id_number),
        )
    assert raised.value.code == "duplicate_resident"
    assert (
        Resident.objects.count(),
        Household.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert "张三" in raised.value.message
    assert "3-2-501" in raised.value.message


def test_a_clash_inside_another_transaction_is_still_a_refusal(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two clerks at once: the second insert hits the unique constraint. Called inside a
    caller's transaction, the clash costs only this action's savepoint: the refusal names the
    resident and the caller's transaction goes on."""
    zhang = world.residents["zhang"]
    real = people_actions._duplicate_error
    looks: list[str] = []

    def first_look_finds_nothing(community: object, id_hash: str) -> DomainError | None:
        looks.append(id_hash)  # the first look is before the other clerk's insert committed
        return None if len(looks) == 1 else real(community, id_hash)  # type: ignore[arg-type]

    monkeypatch.setattr(people_actions, "_duplicate_error", first_look_finds_nothing)
    with transaction.atomic():
        with pytest.raises(DomainError) as raised:
            register_resident(
                actor=world.users["staff"],
                community=world.community,
                data=_input(id_number=zhang.id_number),
            )
        assert raised.value.code == "duplicate_resident"
        assert Resident.objects.filter(id_hash=zhang.id_hash).count() == 1


def test_the_same_person_may_be_registered_in_another_community(world: World) -> None:
    zhang = world.residents["zhang"]
    moved = register_resident(
        actor=world.users["outsider"], community=world.other, data=_input(id_number=zhang.id_number)
    )
    assert moved.community == world.other


def test_only_staff_and_leaders_register(world: World) -> None:
    counts = (Resident.objects.count(), Household.objects.count(), AuditEvent.objects.count())
    for role in ("resident", "welfare_reviewer", "supervisor", "liaison", "teller", "outsider"):
        with pytest.raises(AccessDenied) as refused:
            register_resident(actor=world.users[role], community=world.community, data=_input())
        assert refused.value.code == "access_denied"
    assert not Resident.objects.filter(name="赵六").exists()
    assert (
        Resident.objects.count(),
        Household.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_update_records_a_move_as_history(world: World) -> None:
    wang = world.residents["wang"]
    updated = update_resident(
        actor=world.users["staff"],
        resident=wang,
        data=ResidentInput(
            name="王五", id_number=wang.id_number, building="9", entrance="1", room="202"
        ),
    )
    assert updated.household is not None
    assert updated.household.short_address == "9-1-202"
    history = list(ResidencyRecord.objects.filter(resident=wang).order_by("pk"))
    assert len(history) == 2
    assert history[0].moved_out_on is not None
    assert history[1].moved_out_on is None
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert event.code == "people.resident_updated"
    assert event.data["fields"] == "household"


def test_moving_out_keeps_the_record(world: World) -> None:
    wang = world.residents["wang"]
    move_out_resident(
        actor=world.users["staff"], resident=wang, on=dt.date(2026, 1, 5), reason="迁往外省"
    )
    wang.refresh_from_db()
    assert wang.status == ResidentStatus.MOVED_OUT
    assert wang.moved_out_on == dt.date(2026, 1, 5)
    assert Resident.objects.active().filter(pk=wang.pk).count() == 0
    with pytest.raises(DomainError) as raised:
        move_out_resident(
            actor=world.users["staff"], resident=wang, on=dt.date(2026, 1, 6), reason="again"
        )
    assert raised.value.code == "not_active"


def test_the_edit_form_never_shows_the_secrets(client: Client, world: World) -> None:
    zhang = world.residents["zhang"]
    client.force_login(world.users["staff"])
    url = reverse("people:resident_edit", args=["xfl", zhang.pk])
    before = AuditEvent.objects.count()
    page = client.get(url).content.decode()
    assert zhang.id_number not in page
    assert "高血压" not in page
    assert "13812345678" not in page
    assert zhang.masked_id_number in page
    assert AuditEvent.objects.count() == before
    # Empty secret fields keep what is stored.
    response = client.post(
        url,
        {
            "name": "张三",
            "building": "3",
            "entrance": "2",
            "room": "501",
            "relation": "head",
            "tags": [],
            "idempotency_key": "edit-1",
        },
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert (zhang.id_number[-4:], zhang.phone, zhang.health_notes) == (
        world.residents["zhang"].id_number[-4:],
        "13812345678",
        "高血压，需定期随访",
    )


def test_a_resident_who_moved_away_no_longer_sees_the_flat(world: World) -> None:
    zhang = world.residents["zhang"]
    me = world.users["resident"]
    move_out_resident(
        actor=world.users["staff"], resident=zhang, on=dt.date(2026, 1, 5), reason="搬走"
    )
    register_resident(
        actor=world.users["staff"],
        community=world.community,
        data=_input(name="新住户", building="3", entrance="2", room="501"),
    )
    visible = {r.name for r in Resident.objects.visible_to(me)}
    assert "新住户" not in visible
    assert "李秀英" not in visible


def test_over_long_address_parts_are_refused(world: World) -> None:
    with pytest.raises(DomainError) as raised:
        register_resident(
            actor=world.users["staff"], community=world.community, data=_input(room="1" * 21)
        )
    assert raised.value.code == "address_room_long"


def test_staff_link_an_account_with_its_role_in_one_step(world: World) -> None:
    account = make_user("wangwu")
    link_resident_account(
        actor=world.users["staff"], resident=world.residents["wang"], user=account
    )
    assert roles_in(account, world.community) == {"resident"}
