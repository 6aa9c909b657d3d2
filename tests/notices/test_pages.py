"""The public pages: readable without logging in, never showing who objected."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from linli.core.models import IdempotencyRecord
from linli.notices.actions import file_objection
from linli.notices.models import Audience, Notice
from tests.notices.test_publish import welfare
from tests.world import World


def test_public_notices_need_no_login(client: Client, world: World) -> None:
    notice = welfare(world)
    page = client.get(reverse("notices:detail", args=["xfl", notice.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "张三" in body
    assert "1260.00" in body
    assert "提出异议" in body


def test_residents_only_notices_are_hidden_from_the_public(client: Client, world: World) -> None:
    notice = welfare(world, audience=Audience.RESIDENTS, title="仅居民可见")
    url = reverse("notices:detail", args=["xfl", notice.pk])
    assert client.get(url).status_code == 404
    assert "仅居民可见" not in client.get(reverse("notices:board", args=["xfl"])).content.decode()
    client.force_login(world.users["resident"])
    assert client.get(url).status_code == 200
    client.force_login(world.users["outsider"])
    assert client.get(url).status_code == 404


def test_the_objector_is_never_on_a_public_page(client: Client, world: World) -> None:
    notice = welfare(world)
    objection = file_objection(
        actor=world.users["resident"],
        notice=notice,
        reason="这户人家条件很好。",
        idempotency_key="p",
    )
    for name in ("notices:detail", "notices:print"):
        body = client.get(reverse(name, args=["xfl", notice.pk])).content.decode()
        assert "这户人家条件很好" not in body
        assert world.users["resident"].full_name not in body
    receipt = client.get(reverse("notices:receipt", args=["xfl", objection.receipt]))
    assert "这户人家条件很好" in receipt.content.decode()
    assert world.users["resident"].full_name not in receipt.content.decode()


def test_the_print_view_is_an_a4_sheet(client: Client, world: World) -> None:
    notice = welfare(world)
    body = client.get(reverse("notices:print", args=["xfl", notice.pk])).content.decode()
    assert "幸福里社区居民委员会" in body
    assert "（公章）" in body
    assert notice.published_at.strftime("%Y年") in body
    assert "print.css" in body


def test_publishing_through_the_form(client: Client, world: World) -> None:
    client.force_login(world.users["welfare_reviewer"])
    url = reverse("notices:publish", args=["xfl"])
    data = {
        "kind": "welfare",
        "title": "低保公示",
        "body": "拟保对象如下",
        "audience": "public",
        "table": "张三 3 1260\n李四，2，800",
        "idempotency_key": "form-1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    again = client.post(url, data)  # a double click
    assert again["Location"] == response["Location"]
    notice = Notice.objects.get()
    assert notice.entries == [
        {"name": "张三", "household_size": "3", "amount": "1260.00"},
        {"name": "李四", "household_size": "2", "amount": "800.00"},
    ]


def test_a_refused_notice_keeps_what_was_typed(client: Client, world: World) -> None:
    client.force_login(world.users["welfare_reviewer"])
    response = client.post(
        reverse("notices:publish", args=["xfl"]),
        {
            "kind": "welfare",
            "title": "低保公示",
            "body": "张三 住 3号楼2单元501室",
            "audience": "public",
            "table": "张三 3 1260",
            "idempotency_key": "form-2",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "不得公布" in body or "不能公布" in body
    assert "张三 住 3号楼2单元501室" in body
    assert "张三 3 1260" in body


def test_a_copy_that_arrives_while_the_first_is_working_waits_for_it(
    client: Client, world: World, settings: object
) -> None:
    """Two copies of one form at once: the first has claimed the key and is still publishing
    (a claim with no result yet); the copy waits, publishes nothing, and is sent back; once
    the first has its result, any copy goes there."""
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2  # type: ignore[attr-defined]
    user = world.users["welfare_reviewer"]
    client.force_login(user)
    url = reverse("notices:publish", args=["xfl"])
    data = {
        "kind": "announcement",
        "title": "停水通知",
        "body": "明天上午停水",
        "audience": "public",
        "idempotency_key": "form-3",
    }
    claim = IdempotencyRecord.objects.create(key="form-3", user=user, result_url="")
    copy = client.post(url, data)
    assert copy.status_code == 302
    assert copy["Location"] == url  # back to the form, with a message
    assert not Notice.objects.exists()
    IdempotencyRecord.objects.filter(pk=claim.pk).update(result_url="/somewhere/")
    assert client.post(url, data)["Location"] == "/somewhere/"
    assert not Notice.objects.exists()


def test_a_refused_form_gives_its_key_back(client: Client, world: World) -> None:
    client.force_login(world.users["welfare_reviewer"])
    url = reverse("notices:publish", args=["xfl"])
    data = {
        "kind": "welfare",
        "title": "低保公示",
        "body": "张三 住 3号楼2单元501室",
        "audience": "public",
        "table": "张三 3 1260",
        "idempotency_key": "form-4",
    }
    assert client.post(url, data).status_code == 400
    assert not IdempotencyRecord.objects.filter(key="form-4").exists()
    data["body"] = "拟保对象如下"  # corrected, sent with the same key
    assert client.post(url, data).status_code == 302
    assert Notice.objects.count() == 1


def test_someone_elses_form_key_is_refused(client: Client, world: World) -> None:
    IdempotencyRecord.objects.create(key="form-5", user=world.users["leader"], result_url="/x/")
    client.force_login(world.users["welfare_reviewer"])
    response = client.post(
        reverse("notices:publish", args=["xfl"]),
        {
            "kind": "announcement",
            "title": "t",
            "body": "b",
            "audience": "public",
            "idempotency_key": "form-5",
        },
    )
    assert response.status_code == 403
