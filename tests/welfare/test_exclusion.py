"""A staff member related to a household cannot open or act on its case anywhere: every
welfare URL that names the case answers 404 for them and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.welfare import actions
from tests.permissions import snapshot
from tests.welfare.test_welfare import apply
from tests.world import World

STEPS = [
    "materials",
    "investigate",
    "checks",
    "opinion",
    "assess",
    "pay_first",
    "objection",
    "decide",
]


@pytest.mark.parametrize("step", [None, *STEPS])
def test_a_related_reviewer_sees_and_does_nothing(
    world: World, client: Client, step: str | None
) -> None:
    reviewer = world.users["welfare_reviewer"]
    actions.declare_relative(actor=reviewer, resident=world.residents["wang"], relation="sibling")
    application = apply(world, resident=world.residents["wang"], key="sister")
    client.force_login(reviewer)
    before = snapshot()
    if step is None:
        response = client.get(reverse("welfare:detail", args=["xfl", application.pk]))
    else:
        response = client.post(
            reverse(f"welfare:{step}", args=["xfl", application.pk]),
            {"opinion": "同意", "note": "x", "approve": "1", "reasons": "同意"},
        )
    assert response.status_code == 404
    assert snapshot() == before
    listing = client.get(reverse("welfare:list", args=["xfl"])).content.decode()
    assert f"/welfare/{application.pk}/" not in listing
