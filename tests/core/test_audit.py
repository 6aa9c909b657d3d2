"""The audit trail: append-only, hash-chained, verified, rendered in the reader's language."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from linli.core import audit
from linli.core.access import SYSTEM
from linli.core.models import AuditEvent, AuditHead
from tests.world import World


def _events(world: World, n: int) -> list[AuditEvent]:
    return [
        audit.record(
            actor=world.users["leader"],
            code="core.preferences_changed",
            community=world.community,
            data={"user": f"u{i}"},
        )
        for i in range(n)
    ]


def test_events_chain_each_to_the_previous(world: World) -> None:
    events = _events(world, 3)
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert AuditHead.objects.get().last_hash == events[2].hash
    assert audit.verify().ok


def test_message_is_rendered_in_the_readers_language(world: World) -> None:
    event = audit.record(
        actor=SYSTEM, code="core.role_granted", data={"user": "张三", "role": "leader"}
    )
    with translation.override("zh-hans"):
        assert event.message == "张三 获得角色：社区领导"
    with translation.override("en"):
        assert event.message == "张三 was given the role Community leader"


def test_an_unregistered_code_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="unregistered"):
        audit.record(actor=SYSTEM, code="nobody.knows")


def test_the_model_refuses_updates_and_deletes(world: World) -> None:
    event = _events(world, 1)[0]
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_names_an_edited_event(world: World) -> None:
    events = _events(world, 4)
    _raw("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"user": "forged"}', events[2].pk])
    result = audit.verify()
    assert not result.ok
    assert result.first_bad_event_id == events[2].pk
    assert "edited" in result.problem or "修改" in result.problem


def test_verify_names_the_event_after_a_deleted_one(world: World) -> None:
    events = _events(world, 4)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    result = audit.verify()
    assert not result.ok
    assert result.first_bad_event_id == events[2].pk


def test_verify_detects_reordering(world: World) -> None:
    a, b = _events(world, 3)[:2]
    # Swap two whole rows: each one's hash still matches its content, but the order does not.
    _raw("UPDATE core_auditevent SET hash = %s WHERE id = %s", ["tmp-a", a.pk])
    _raw("UPDATE core_auditevent SET hash = %s WHERE id = %s", ["tmp-b", b.pk])
    for row, source in ((a, b), (b, a)):
        _raw(
            "UPDATE core_auditevent SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [f'{{"user": "{source.data["user"]}"}}', source.prev_hash, source.hash, row.pk],
        )
    result = audit.verify()
    assert not result.ok
    assert result.first_bad_event_id == a.pk


def test_verify_detects_a_deleted_tail(world: World) -> None:
    events = _events(world, 3)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    result = audit.verify()
    assert not result.ok
    assert result.first_bad_event_id == events[-1].pk


def test_linli_audit_verify_command(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    events = _events(world, 2)
    call_command("audit", "verify")
    assert f"已核查 {AuditEvent.objects.count()} 条记录" in capsys.readouterr().out
    _raw("UPDATE core_auditevent SET code = %s WHERE id = %s", ["core.role_granted", events[0].pk])
    with pytest.raises(CommandError, match=f"#{events[0].pk}"):
        call_command("audit", "verify")
