"""One query for a page and its total; the same pages as Django's paginator."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core.models import Community
from linli.core.views_helpers import counted_page
from tests.world import World


@pytest.mark.parametrize(
    ("number", "page", "rows", "pages"),
    [(1, 1, 3, 3), ("2", 2, 3, 3), (3, 3, 1, 3), (9, 3, 1, 3), ("x", 1, 3, 3), (-4, 1, 3, 3)],
)
def test_pages_like_the_paginator(world: World, number, page, rows, pages) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        Community.objects.create(
            subdistrict=world.community.subdistrict, name=f"c{i}", code=f"c{i}"
        )
    everything = Community.objects.order_by("pk")  # 2 from the world + 5 = 7
    result = counted_page(everything, number, 3)
    assert (result.number, len(result), result.paginator.num_pages) == (page, rows, pages)
    assert result.paginator.count == 7
    expected = list(everything)[(page - 1) * 3 : page * 3]
    assert list(result) == expected


def test_one_query_for_a_page_and_its_total(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        result = counted_page(Community.objects.order_by("pk"), 1, 1)
        assert result.paginator.count == 2
        assert result.has_next()
    assert len(queries) == 1


def test_an_empty_list(world: World) -> None:
    result = counted_page(Community.objects.none(), 1, 10)
    assert (len(result), result.paginator.count, result.number) == (0, 0, 1)
