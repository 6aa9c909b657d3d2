"""Importing residents: check everything first, import all or nothing, never duplicate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from linli.core import audit
from linli.core.access import SYSTEM
from linli.core.actions import revoke_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent, RoleAssignment
from linli.people.actions import move_out_resident, start_import
from linli.people.exporting import template_workbook
from linli.people.importing import check_rows, read_rows
from linli.people.imports import import_residents, run_import_job
from linli.people.models import Household, ImportJob, ResidencyRecord, Resident
from tests.workbooks import csv_bytes, sample_rows, xlsx
from tests.world import World, id_number


def do_import(world: World, data: bytes, name: str = "居民.xlsx"):  # type: ignore[no-untyped-def]
    checked = check_rows(read_rows(data, name), world.community)
    assert checked.error_count == 0, checked.errors
    return import_residents(
        actor=SYSTEM,
        community=world.community,
        rows=checked.rows,
        file_name=name,
        columns=checked.columns,
    )


def test_a_good_workbook_is_imported(world: World) -> None:
    result = do_import(world, xlsx(sample_rows(6)))
    assert result.as_dict() == {"created": 6, "updated": 0, "unchanged": 0}
    first = Resident.objects.get(name="测试0号")
    assert first.household is not None
    assert first.household.short_address == "12-1-100"
    assert first.household.entrance.building.grid == world.grid  # type: ignore[union-attr]
    assert [t.name for t in first.tags.all()] == ["党员"]
    assert first.moved_in_on == dt.date(2020, 5, 1)
    assert Resident.objects.get(name="测试1号").relation_to_head == "spouse"
    assert (
        Household.objects.filter(community=world.community, entrance__building__number="12").count()
        == 3
    )
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert event.code == "people.residents_imported"
    assert event.data == {"file": "居民.xlsx", "created": 6, "updated": 0, "unchanged": 0}


def test_reimporting_the_same_file_changes_nothing(world: World) -> None:
    data = xlsx(sample_rows(6))
    do_import(world, data)
    before = list(
        Resident.objects.order_by("pk").values_list("pk", "name", "household_id", "updated_at")
    )
    result = do_import(world, data)
    assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 6}
    after = list(
        Resident.objects.order_by("pk").values_list("pk", "name", "household_id", "updated_at")
    )
    assert after == before


def test_a_changed_row_updates_the_resident(world: World) -> None:
    rows = sample_rows(4)
    do_import(world, xlsx(rows))
    rows[2][2] = "13911112222"
    rows[3][8] = "居民代表"
    result = do_import(world, xlsx(rows))
    assert result.as_dict() == {"created": 0, "updated": 2, "unchanged": 2}
    assert Resident.objects.get(name="测试2号").phone == "13911112222"
    assert [t.name for t in Resident.objects.get(name="测试3号").tags.all()] == ["居民代表"]


def test_every_bad_row_is_reported_and_nothing_imported(world: World) -> None:
    rows = sample_rows(5)
    rows[1][1] = rows[1][1][:-1] + ("0" if rows[1][1][-1] != "0" else "1")  # checksum broken
    rows[2][2] = "12345"
    rows[3][8] = "贵宾"
    rows.append(list(rows[0]))  # the same ID number twice
    checked = check_rows(read_rows(xlsx(rows), "x.xlsx"), world.community)
    assert [(e.row, e.column) for e in checked.errors] == [
        (3, "身份证号码"),
        (4, "手机号码"),
        (5, "标签"),
        (7, "身份证号码"),
    ]
    assert checked.errors[3].message == "第 2 行已有相同的身份证号码。"
    assert Resident.objects.filter(name__startswith="测试").count() == 0


def test_an_id_number_stored_as_a_number_is_explained(world: World) -> None:
    rows = sample_rows(1)
    rows[0][1] = 110105194001011234.0
    checked = check_rows(read_rows(xlsx(rows), "x.xlsx"), world.community)
    assert checked.errors[0].column == "身份证号码"
    assert "存成了数字格式" in checked.errors[0].message


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "x.xlsx", "file_empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "xls_old_format"),
        (b"%PDF-1.4 binary\x00stuff", "scan.pdf", "file_type"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "xlsx_broken"),
    ],
)
def test_unreadable_files_are_refused(data: bytes, name: str, code: str, world: World) -> None:
    with pytest.raises(DomainError) as raised:
        list(read_rows(data, name))
    assert raised.value.code == code


def test_formulas_and_merged_cells_are_refused(world: World) -> None:
    for kwargs, code in (({"formula": True}, "xlsx_formulas"), ({"merged": True}, "xlsx_merged")):
        with pytest.raises(DomainError) as raised:
            list(read_rows(xlsx(sample_rows(2), **kwargs), "x.xlsx"))
        assert raised.value.code == code


def test_oversized_files_are_refused(world: World) -> None:
    with override_settings(IMPORT_MAX_BYTES=1024), pytest.raises(DomainError) as raised:
        list(read_rows(xlsx(sample_rows(50)), "x.xlsx"))
    assert raised.value.code == "file_too_large"


def test_a_header_without_required_columns_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as raised:
        check_rows(
            read_rows(xlsx(sample_rows(1), header=["名字", "证件"]), "x.xlsx"), world.community
        )
    assert raised.value.code == "header_missing"
    assert "姓名" in raised.value.message


def test_a_header_only_file_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as raised:
        check_rows(read_rows(xlsx([]), "x.xlsx"), world.community)
    assert raised.value.code == "file_no_rows"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_in_utf8_or_gbk(world: World, encoding: str) -> None:
    result = do_import(world, csv_bytes(sample_rows(3), encoding), "居民.csv")
    assert result.created == 3
    assert Resident.objects.filter(name="测试2号").exists()


def test_the_template_imports_its_example_row(world: World) -> None:
    result = do_import(world, template_workbook(), "模板.xlsx")
    assert result.created == 1
    assert Resident.objects.get(name="张三", community=world.community, phone="13800138000")


def test_an_import_job_runs_and_drops_the_workbook(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(
            actor=world.users["staff"],
            community=world.community,
            file_name="居民.xlsx",
            data=xlsx(sample_rows(4)),
            idempotency_key="k1",
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result == {"created": 4, "updated": 0, "unchanged": 0}
    assert job.payload is None
    assert job.percent == 100


def test_a_rejected_job_keeps_the_report_and_imports_nothing(world: World) -> None:
    rows = sample_rows(3)
    rows[0][1] = "123"
    job = start_import(
        actor=world.users["staff"],
        community=world.community,
        file_name="坏.xlsx",
        data=xlsx(rows),
        idempotency_key="k2",
    )
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED
    assert job.error_count == 1
    assert job.errors[0]["row"] == 2
    assert Resident.objects.filter(name__startswith="测试").count() == 0
    assert AuditEvent.objects.filter(code="people.import_rejected").count() == 1


def test_the_same_upload_twice_is_one_job(world: World) -> None:
    data = xlsx(sample_rows(2))
    first = start_import(
        actor=world.users["staff"],
        community=world.community,
        file_name="a.xlsx",
        data=data,
        idempotency_key="same",
    )
    second = start_import(
        actor=world.users["staff"],
        community=world.community,
        file_name="a.xlsx",
        data=data,
        idempotency_key="same",
    )
    assert first.pk == second.pk
    assert ImportJob.objects.count() == 1


def test_the_web_import_shows_progress_and_the_report(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])
    url = reverse("people:import", args=["xfl"])
    rows = sample_rows(3)
    rows[1][2] = "555"
    upload = SimpleUploadedFile("坏.xlsx", xlsx(rows))
    response = client.post(url, {"file": upload, "idempotency_key": "web1"})
    assert response.status_code == 302
    job = ImportJob.objects.get(idempotency_key="web1")
    run_import_job(job.pk)  # what the worker does
    page = client.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert "nothing was imported" in page or "未导入任何数据" in page
    assert "不是有效的电话号码" in page
    assert "555" not in page  # the report never repeats what was in the cell


def test_an_empty_upload_gets_a_message(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("people:import", args=["xfl"]),
        {"file": SimpleUploadedFile("x.xlsx", b""), "idempotency_key": "e"},
    )
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_the_command_line_import(world: World, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(sample_rows(3)))
    call_command("import_residents", str(good), "--community", "xfl")
    assert "created 3" in capsys.readouterr().out
    bad_rows = sample_rows(2, start_seq=700)
    bad_rows[1][1] = id_number(dt.date(1960, 1, 1), 1)[:-1] + "Z"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(bad_rows))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_residents", str(bad), "--community", "xfl")
    assert not Resident.objects.filter(name="测试0号", id_hash__isnull=False).count() > 1


def test_columns_missing_from_the_file_are_left_alone(world: World) -> None:
    rows = sample_rows(3)
    do_import(world, xlsx(rows))
    short_header = ["姓名", "身份证号码", "楼栋", "单元", "房号"]
    short_rows = [[r[0], r[1], r[3], r[4], r[5]] for r in rows]
    result = do_import(world, xlsx(short_rows, header=short_header))
    assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    first = Resident.objects.get(name="测试0号")
    assert first.phone == rows[0][2]
    assert [t.name for t in first.tags.all()] == ["党员"]


def test_a_new_address_in_the_file_is_a_move_with_history(world: World) -> None:
    rows = sample_rows(1)
    do_import(world, xlsx(rows))
    rows[0][3:6] = ["20", "2", "808"]
    assert do_import(world, xlsx(rows)).updated == 1
    resident = Resident.objects.get(name="测试0号")
    history = list(
        ResidencyRecord.objects.filter(resident=resident)
        .order_by("pk")
        .values_list("moved_out_on", "household_id")
    )
    assert len(history) == 2
    assert history[0][0] is not None
    assert history[1] == (None, resident.household_id)


def test_a_resident_who_moved_away_and_is_in_the_file_lives_here_again(world: World) -> None:
    rows = sample_rows(1)
    do_import(world, xlsx(rows))
    resident = Resident.objects.get(name="测试0号")
    move_out_resident(actor=SYSTEM, resident=resident, on=dt.date(2026, 1, 1), reason="搬走")
    assert do_import(world, xlsx(rows)).updated == 1
    resident.refresh_from_db()
    assert (resident.status, resident.moved_out_on) == ("active", None)


def test_an_over_long_room_is_a_row_error_not_a_failure(world: World) -> None:
    rows = sample_rows(2)
    rows[1][5] = "9" * 30
    checked = check_rows(read_rows(xlsx(rows), "x.xlsx"), world.community)
    assert [(e.row, e.column) for e in checked.errors] == [(3, "楼栋")]


def test_a_broken_csv_is_refused_with_a_message(world: World) -> None:
    data = ("姓名,身份证号码\n" + "张三," + "1" * 200_000 + "\n").encode()
    with pytest.raises(DomainError) as raised:
        check_rows(read_rows(data, "x.csv"), world.community)
    assert raised.value.code == "csv_broken"


def test_only_registry_editors_import(world: World) -> None:
    checked = check_rows(read_rows(xlsx(sample_rows(2)), "x.xlsx"), world.community)
    for role in ("supervisor", "welfare_reviewer", "resident", "outsider"):
        with pytest.raises(AccessDenied) as refused:
            import_residents(
                actor=world.users[role],
                community=world.community,
                rows=checked.rows,
                file_name="x.xlsx",
            )
        assert refused.value.code == "access_denied"
    assert not Resident.objects.filter(name__startswith="测试").exists()
    assert not AuditEvent.objects.filter(code="people.residents_imported").exists()


def test_a_failure_at_the_end_of_an_import_leaves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = check_rows(read_rows(xlsx(sample_rows(5)), "x.xlsx"), world.community)
    households = Household.objects.count()
    real = audit.record

    def record(**kwargs: Any) -> Any:
        if kwargs.get("code") == "people.residents_imported":
            raise RuntimeError("audit down")
        return real(**kwargs)

    monkeypatch.setattr(audit, "record", record)
    with pytest.raises(RuntimeError):
        import_residents(
            actor=world.users["staff"],
            community=world.community,
            rows=checked.rows,
            file_name="x.xlsx",
        )
    assert not Resident.objects.filter(name__startswith="测试").exists()
    assert Household.objects.count() == households


def test_a_job_whose_uploader_left_is_rejected_and_imports_nothing(world: World) -> None:
    job = start_import(
        actor=world.users["staff"],
        community=world.community,
        file_name="居民.xlsx",
        data=xlsx(sample_rows(2)),
        idempotency_key="left",
    )
    revoke_role(
        actor=world.users["admin"],
        assignment=RoleAssignment.objects.get(user=world.users["staff"], community=world.community),
    )
    run_import_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_count, job.payload) == (ImportJob.Status.REJECTED, 1, None)
    assert not Resident.objects.filter(name__startswith="测试").exists()
