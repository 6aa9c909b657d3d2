"""Building test state by calling actions, as a person or linli itself would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from stdnum.cn import ric

from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.core.models import Community, District, Grid, Organisation, Role, Subdistrict, User
from linli.people.actions import ResidentInput, link_resident_account, register_resident
from linli.people.models import Resident

PASSWORD = "correct horse battery staple"
ROLES = [
    "anonymous",
    "outsider",
    "resident",
    "staff",
    "leader",
    "welfare_reviewer",
    "supervisor",
    "liaison",
    "teller",
    "admin",
]


def id_number(birth: dt.date, seq: int, region: str = "110105") -> str:
    """A valid 18-character ID number (GB 11643) for the given birth date."""
    body = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


@dataclass
class World:
    community: Community
    other: Community
    grid: Grid
    users: dict[str, User] = field(default_factory=dict)
    residents: dict[str, Resident] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return self.users.get(role)


def make_user(username: str, **extra: Any) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, **extra)


def build_world() -> World:
    district = District.objects.create(name="测试区")
    subdistrict = Subdistrict.objects.create(district=district, name="测试街道")
    community = Community.objects.create(subdistrict=subdistrict, name="幸福里社区", code="xfl")
    other_sub = Subdistrict.objects.create(district=district, name="别的街道")
    other = Community.objects.create(subdistrict=other_sub, name="别的社区", code="other")
    grid = Grid.objects.create(community=community, name="第一网格")
    Grid.objects.create(community=other, name="第一网格")
    water = Organisation.objects.create(kind="water", name="自来水公司")
    water.communities.add(community)
    world = World(community=community, other=other, grid=grid)
    for role in ROLES[1:]:
        user = make_user(role, full_name=f"测试{role}", phone=f"139{ROLES.index(role):08d}")
        world.users[role] = user
        if role == "outsider":
            grant_role(actor=SYSTEM, user=user, role=Role.STAFF, community=other)
        elif role == "admin":
            grant_role(actor=SYSTEM, user=user, role=Role.ADMIN)
        elif role == "supervisor":
            grant_role(actor=SYSTEM, user=user, role=Role.SUPERVISOR, subdistrict=subdistrict)
        elif role == "liaison":
            grant_role(actor=SYSTEM, user=user, role=Role.LIAISON, organisation=water)
        elif role != "resident":
            grant_role(
                actor=SYSTEM,
                user=user,
                role=role,
                community=community,
                grid=grid if role == "staff" else None,
            )
    zhang = register_resident(
        actor=SYSTEM,
        community=community,
        data=ResidentInput(
            name="张三",
            id_number=id_number(dt.date(1950, 3, 15), 11),
            phone="13812345678",
            building="3",
            entrance="2",
            room="501",
            tags=["party_member"],
            health_notes="高血压，需定期随访",
        ),
    )
    register_resident(
        actor=SYSTEM,
        community=community,
        data=ResidentInput(
            name="李秀英",
            id_number=id_number(dt.date(1952, 7, 1), 22),
            phone="13800001111",
            building="3",
            entrance="2",
            room="501",
            relation="spouse",
        ),
    )
    wang = register_resident(
        actor=SYSTEM,
        community=community,
        data=ResidentInput(
            name="王五",
            id_number=id_number(dt.date(1985, 1, 20), 33),
            building="5",
            entrance="1",
            room="101",
            grid="第一网格",
        ),
    )
    link_resident_account(actor=SYSTEM, resident=zhang, user=world.users["resident"])
    world.residents = {"zhang": zhang, "wang": wang}
    return world
