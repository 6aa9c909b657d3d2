"""publish_notice: periods by the calendar, personal data refused, content fixed once published."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from linli.notices.actions import AttachmentInput, publish_notice
from linli.notices.models import Notice, NoticeAttachment, NoticeKind, NoticeKindSetting
from linli.notices.rules import personal_data_problems
from tests.world import World

SH = ZoneInfo("Asia/Shanghai")
WELFARE_ROWS = [{"name": "张三", "household_size": "3", "amount": "1260"}]


def welfare(world: World, **overrides: object) -> Notice:
    args: dict[str, object] = {
        "actor": world.users["welfare_reviewer"],
        "community": world.community,
        "kind": NoticeKind.WELFARE,
        "title": "2026年12月低保审核公示",
        "body": "以下家庭拟纳入最低生活保障。",
        "entries": WELFARE_ROWS,
    }
    args.update(overrides)
    return publish_notice(**args)  # type: ignore[arg-type]


def test_a_welfare_notice_runs_seven_days_with_its_table(world: World) -> None:
    notice = welfare(world)
    local = notice.published_at.astimezone(SH)
    assert notice.period_days == 7
    assert not notice.period_working_days
    assert notice.period_ends_at is not None
    end = notice.period_ends_at.astimezone(SH)
    assert end.time() == dt.time(23, 59, 59)
    assert end.date() >= local.date() + dt.timedelta(days=7)
    assert notice.entries == [{"name": "张三", "household_size": "3", "amount": "1260.00"}]
    assert notice.owner == world.users["welfare_reviewer"]
    assert notice.in_period
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    assert (event.code, event.target_id) == ("notices.published", str(notice.pk))


def test_party_development_counts_five_working_days(world: World) -> None:
    notice = publish_notice(
        actor=world.users["leader"],
        community=world.community,
        kind=NoticeKind.PARTY_DEVELOPMENT,
        title="发展党员公示",
        entries=[
            {
                "name": "李四",
                "gender": "男",
                "birth_month": "1990-05",
                "education": "本科",
                "stage": "拟接收为预备党员",
            }
        ],
    )
    assert (notice.period_days, notice.period_working_days) == (5, True)


def test_an_announcement_has_no_period_unless_asked(world: World) -> None:
    plain = publish_notice(
        actor=world.users["staff"],
        community=world.community,
        kind=NoticeKind.ANNOUNCEMENT,
        title="停水通知",
        body="周六停水。",
    )
    assert (plain.period_days, plain.period_ends_at) == (0, None)
    asked = publish_notice(
        actor=world.users["staff"],
        community=world.community,
        kind=NoticeKind.ANNOUNCEMENT,
        title="征求意见",
        body="请提意见。",
        period_days=10,
    )
    assert asked.period_days == 10


@pytest.mark.parametrize(
    ("overrides", "what"),
    [
        ({"body": "张三，身份证 11010519491231002X"}, "身份证号码"),
        ({"body": "张三住3号楼2单元501室"}, "住址"),
        ({"body": "地址 3-2-501"}, "住址"),
        ({"body": "联系电话13812345678"}, "电话号码"),
        ({"entries": [{**WELFARE_ROWS[0], "address": "3-2-501"}]}, None),
        ({"entries": [{**WELFARE_ROWS[0], "name": "张三 11010519491231002X"}]}, "身份证号码"),
        ({"body": "卡号 6222020200112233446"}, None),
    ],
)
def test_personal_data_beyond_the_kind_is_refused(
    world: World, overrides: dict[str, object], what: str | None
) -> None:
    before = Notice.objects.count()
    with pytest.raises(DomainError) as raised:
        welfare(world, **overrides)
    assert raised.value.code in {"personal_data", "entries_extra_columns"}
    if what:
        assert what in raised.value.message
    assert Notice.objects.count() == before


def test_an_announcement_may_carry_the_office_phone(world: World) -> None:
    notice = publish_notice(
        actor=world.users["staff"],
        community=world.community,
        kind=NoticeKind.ANNOUNCEMENT,
        title="办公时间",
        body="咨询电话 13800138000，地址：幸福里12号",
    )
    assert notice.pk


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        ([{"name": "", "household_size": "3", "amount": "1"}], "entry_name"),
        ([{"name": "张三", "household_size": "0", "amount": "1"}], "entry_household_size"),
        ([{"name": "张三", "household_size": "3", "amount": "很多"}], "entry_amount"),
    ],
)
def test_welfare_rows_are_checked(world: World, entries: list[dict[str, str]], code: str) -> None:
    with pytest.raises(DomainError) as raised:
        welfare(world, entries=entries)
    assert raised.value.code == code


def test_who_may_publish_which_kind(world: World) -> None:
    with pytest.raises(AccessDenied):
        welfare(world, actor=world.users["staff"])
    with pytest.raises(AccessDenied):
        welfare(world, actor=world.users["outsider"])
    with pytest.raises(AccessDenied):
        publish_notice(
            actor=world.users["resident"],
            community=world.community,
            kind=NoticeKind.ANNOUNCEMENT,
            title="x",
            body="y",
        )
    assert Notice.objects.count() == 0


def test_empty_notices_are_refused(world: World) -> None:
    with pytest.raises(DomainError) as raised:
        publish_notice(
            actor=world.users["staff"],
            community=world.community,
            kind=NoticeKind.ANNOUNCEMENT,
            title="空的",
            body="  ",
        )
    assert raised.value.code == "content_missing"


def test_attachments_are_checked(world: World, settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    settings.NOTICE_ATTACHMENT_MAX_BYTES = 1024  # type: ignore[attr-defined]

    def attempt(data: bytes, name: str = "会议纪要.pdf") -> str:
        with pytest.raises(DomainError) as raised:
            publish_notice(
                actor=world.users["staff"],
                community=world.community,
                kind=NoticeKind.MINUTES,
                title="纪要",
                body="见附件",
                attachments=[AttachmentInput(name, data)],
            )
        return raised.value.code

    assert attempt(b"") == "attachment_empty"
    assert attempt(b"%PDF-" + b"x" * 2000) == "attachment_large"
    assert attempt(b"MZ\x90\x00 an executable", "纪要.exe") == "attachment_type"
    notice = publish_notice(
        actor=world.users["staff"],
        community=world.community,
        kind=NoticeKind.MINUTES,
        title="纪要",
        body="见附件",
        attachments=[AttachmentInput("纪要.pdf", b"%PDF-1.4 ok")],
    )
    stored = NoticeAttachment.objects.get(notice=notice)
    assert (stored.name, stored.content_type, stored.size) == ("纪要.pdf", "application/pdf", 11)
    assert stored.file.read() == b"%PDF-1.4 ok"


def test_published_content_cannot_be_changed(world: World) -> None:
    notice = welfare(world)
    notice.title = "改过的标题"
    with pytest.raises(RuntimeError):
        notice.save()
    with pytest.raises(RuntimeError):
        notice.save(update_fields=["title"])
    assert Notice.objects.get(pk=notice.pk).title == "2026年12月低保审核公示"
    assert notice.content_hash == Notice.hash_content(
        "2026年12月低保审核公示", "以下家庭拟纳入最低生活保障。", notice.entries
    )


def test_the_period_setting_of_a_kind_is_configurable(world: World) -> None:
    NoticeKindSetting.objects.create(kind=NoticeKind.WELFARE, period_days=10, working_days=True)
    notice = welfare(world)
    assert (notice.period_days, notice.period_working_days) == (10, True)


def test_notice_content_is_stored_as_text(world: World) -> None:
    notice = welfare(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM notices_notice WHERE id = %s", [notice.pk])
        assert cursor.fetchone()[0] == "2026年12月低保审核公示"


@pytest.mark.parametrize(
    "text",
    [
        "110105 19500315 0115",
        "１１０１０５１９５００３１５０１１５",
        "138 1234 5678",
        "+8613812345678",
        "幸福路12号",
        "３号楼２单元５０１室",
        "３-２-５０１",
        "501房",
    ],
)
def test_disguised_personal_data_is_still_found(world: World, text: str) -> None:
    with pytest.raises(DomainError) as raised:
        welfare(world, body=f"说明：{text}")
    assert raised.value.code == "personal_data"


def test_a_digest_is_not_mistaken_for_a_phone_number(world: World) -> None:
    # This SHA-256 holds "16004096820", which alone looks like a mobile number.
    digest = "96b34864e16004096820adc12e03d64c1348bf4bfa67f9b5b3d05b37f055c5b4"
    results = {
        "actor": world.users["leader"],
        "community": world.community,
        "kind": NoticeKind.BALLOT_RESULTS,
        "title": "计票结果",
        "body": f"计票公告 SHA-256：{digest}",
    }
    with pytest.raises(DomainError):
        publish_notice(**results)  # not named as linli's own digest: its digits are checked
    notice = publish_notice(**results, digests=[digest])
    assert digest in notice.body


@pytest.mark.parametrize(
    "text",
    [
        "联系电话 13812345678aaaaaaaaaaaaaaaaaaaaaa",
        "联系电话 13812345678" + "abcdef0123456789" * 4,
        "96b34864e16004096820adc12e03d64c1348bf4bfa67f9b5b3d05b37f055c5b4 联系电话13812345678",
    ],
)
def test_padding_a_number_with_hex_letters_hides_nothing(world: World, text: str) -> None:
    digest = "96b34864e16004096820adc12e03d64c1348bf4bfa67f9b5b3d05b37f055c5b4"
    with pytest.raises(DomainError) as raised:
        publish_notice(
            actor=world.users["leader"],
            community=world.community,
            kind=NoticeKind.BALLOT_RESULTS,
            title="计票结果",
            body=text,
            digests=[digest],
        )
    assert raised.value.code == "personal_data"


def test_only_digests_are_let_through() -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        personal_data_problems("ballot_results", ["13812345678"], digests=["13812345678"])


def test_a_long_run_of_digits_is_checked_quickly(world: World) -> None:
    start = time.perf_counter()
    with pytest.raises(DomainError):
        welfare(world, body="1" * 200_000 + "号楼")
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    ("size", "amount"), [("²", "1"), ("3", "NaN"), ("3", "Infinity"), ("3", "1e99999"), ("3", "-5")]
)
def test_odd_welfare_numbers_are_refused(world: World, size: str, amount: str) -> None:
    with pytest.raises(DomainError):
        welfare(world, entries=[{"name": "张三", "household_size": size, "amount": amount}])


def test_notices_about_named_people_carry_no_attachments(world: World) -> None:
    with pytest.raises(DomainError) as raised:
        welfare(world, attachments=[AttachmentInput("名单.pdf", b"%PDF-1.4 110105...")])
    assert raised.value.code == "attachments_not_allowed"


def test_the_legal_period_cannot_be_shortened(world: World) -> None:
    with pytest.raises(DomainError) as raised:
        welfare(world, period_days=0)
    assert raised.value.code == "period_short"
    assert welfare(world, period_days=10).period_days == 10
