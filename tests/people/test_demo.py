"""The demo community: realistic size, deterministic, loaded once."""

from __future__ import annotations

import pytest

from linli.appeals.demo import load_demo_appeals
from linli.appeals.models import Appeal
from linli.core.audit import verify
from linli.core.models import Community, RoleAssignment
from linli.people.demo import load_demo
from linli.people.models import Household, Resident


@pytest.mark.django_db
def test_demo_loads_once_and_is_deterministic() -> None:
    community, created = load_demo()
    assert created
    residents = Resident.objects.filter(community=community)
    assert 1900 <= residents.count() <= 2200
    assert Household.objects.filter(community=community).count() == 800
    assert community.grids.count() == 4
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {
        "admin",
        "leader",
        "staff",
        "welfare_reviewer",
        "supervisor",
        "liaison",
        "teller",
        "resident",
    }
    again, created_again = load_demo()
    assert (again, created_again) == (community, False)
    assert Community.objects.filter(code="xingfuli").count() == 1
    assert verify().ok


@pytest.mark.django_db
def test_demo_first_residents_are_stable() -> None:
    community, _ = load_demo()
    first = list(
        Resident.objects.filter(community=community)
        .order_by("pk")
        .values_list("name", flat=True)[:3]
    )
    assert first == DEMO_FIRST_NAMES


DEMO_FIRST_NAMES = ["方秀军", "程珍伟", "孟兰"]


@pytest.mark.django_db
def test_the_demo_is_never_loaded_in_production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True
    with pytest.raises(RuntimeError, match="production"):
        load_demo()
    assert not Community.objects.filter(code="xingfuli").exists()


@pytest.mark.django_db
def test_the_demo_has_appeals_in_every_state() -> None:
    community, _created = load_demo()
    assert load_demo_appeals(community) == 40
    states = set(Appeal.objects.values_list("status", flat=True))
    assert states >= {"received", "accepted", "referred", "deferred", "reported", "closed"}
    assert load_demo_appeals(community) == 0
    assert verify().ok
