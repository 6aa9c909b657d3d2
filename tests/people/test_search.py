"""Finding residents by name, pinyin initials, phone tail, ID number and address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.people.actions import ResidentInput, register_resident
from linli.people.models import Resident
from tests.world import World, id_number


def names(world: World, query: str) -> list[str]:
    found = Resident.objects.filter(community=world.community).search(query)
    return sorted(r.name for r in found)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张三", ["张三"]),
        ("秀", ["李秀英"]),
        ("zs", ["张三"]),
        ("ZS", ["张三"]),
        ("lxy", ["李秀英"]),
        ("wangw", ["王五"]),
        ("5678", ["张三"]),
        ("13800001111", ["李秀英"]),
        ("3-2-501", ["张三", "李秀英"]),
        ("3－2", ["张三", "李秀英"]),
        ("5-1-101", ["王五"]),
        ("nobody", []),
        ("", ["张三", "李秀英", "王五"]),
    ],
)
def test_search(world: World, query: str, expected: list[str]) -> None:
    assert names(world, query) == sorted(expected)


def test_search_by_id_number_uses_the_keyed_hash(world: World) -> None:
    zhang = world.residents["zhang"]
    assert names(world, zhang.id_number.lower()) == ["张三"]


def test_the_list_page_answers_in_a_fixed_number_of_queries(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])
    url = reverse("people:residents", args=["xfl"])
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "z"})
    for i in range(10):
        register_resident(
            actor=world.users["staff"],
            community=world.community,
            data=ResidentInput(
                name=f"张{i}号",
                id_number=id_number(dt.date(1970, 1, 1), 100 + i),
                building="8",
                entrance="1",
                room=str(100 + i),
            ),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "z"})
    assert response.status_code == 200
    assert len(many) == len(few)


def test_htmx_gets_only_the_results(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])
    response = client.get(
        reverse("people:residents", args=["xfl"]), {"q": "zs"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "张三" in body
    assert "1101**********" in body


def test_searching_is_a_post_and_odd_input_is_harmless(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])
    url = reverse("people:residents", args=["xfl"])
    zhang = world.residents["zhang"]
    found = client.post(url, {"q": zhang.id_number}, headers={"HX-Request": "true"})
    assert "张三" in found.content.decode()
    assert client.get(url, {"q": "\x00"}).status_code == 200
    assert client.get(url, {"tag": "\x00"}).status_code == 200
    assert client.post(url, {"q": "x" * 500}).status_code == 200
