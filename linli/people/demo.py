"""The demo community 幸福里社区: deterministic, realistic, loaded once by `linli demo`."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from stdnum.cn import ric

from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.core.models import (
    Community,
    District,
    Grid,
    Organisation,
    Role,
    Subdistrict,
    User,
)
from linli.people.actions import link_resident_account
from linli.people.checks import ResidentInput, check_resident, grid_lookup, tag_lookup
from linli.people.imports import import_residents
from linli.people.models import Relation, Resident

DEMO_PASSWORD = "linli-demo-2026"  # noqa: S105  (printed for the demo on purpose)
COMMUNITY_CODE = "xingfuli"
SEED = 20261129

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文辉海燕鹏飞晓"
    "东春梅淑珍国强丹凤立新小红德胜秀珍振华雪梅桂兰宏伟金凤永刚丽华建军淑华玉兰海涛"
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    phone: str


STAFF = [
    DemoUser("admin", "系统管理员", Role.ADMIN, "13900000000"),
    DemoUser("shuji", "王建国（书记）", Role.LEADER, "13900000001"),
    DemoUser("wangge1", "李秀英（第一网格）", Role.STAFF, "13900000011"),
    DemoUser("wangge2", "张伟（第二网格）", Role.STAFF, "13900000012"),
    DemoUser("wangge3", "刘芳（第三网格）", Role.STAFF, "13900000013"),
    DemoUser("wangge4", "陈磊（第四网格）", Role.STAFF, "13900000014"),
    DemoUser("minzheng", "杨静（民政审核）", Role.WELFARE_REVIEWER, "13900000021"),
    DemoUser("jiedao", "赵国强（街道督办）", Role.SUPERVISOR, "13900000031"),
    DemoUser("jipiao", "黄丽（计票员）", Role.TELLER, "13900000041"),
    DemoUser("shuiwu", "周明（自来水公司）", Role.LIAISON, "13900000051"),
    DemoUser("gongdian", "吴涛（供电公司）", Role.LIAISON, "13900000052"),
    DemoUser("ranqi", "徐勇（燃气公司）", Role.LIAISON, "13900000053"),
    DemoUser("wuye", "孙娟（物业公司）", Role.LIAISON, "13900000054"),
]
RESIDENT_LOGIN = DemoUser("jumin", "", Role.RESIDENT, "13800000001")
ORGANISATIONS = [
    ("water", "市自来水公司幸福里营业所", "96116", "shuiwu"),
    ("power", "国网供电公司和平供电所", "95598", "gongdian"),
    ("gas", "市燃气集团和平服务站", "96777", "ranqi"),
    ("property", "安居物业幸福里项目部", "010-66001234", "wuye"),
    ("police", "和平街派出所", "110", ""),
]


def _id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"110105{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _birth(rng: random.Random, low: int, high: int) -> dt.date:
    age = rng.randint(low, high)
    return dt.date(2026 - age, rng.randint(1, 12), rng.randint(1, 28))


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


class _DemoPeople:
    """Residents made up one household at a time, from one random generator (so the demo is
    the same every time)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[ResidentInput] = []
        self.used_ids: set[str] = set()

    def person(
        self,
        birth: dt.date,
        male: bool,
        relation: str,
        address: tuple[str, str, str],
        tags: list[str],
        grid: str,
    ) -> None:
        rng = self.rng
        number = _id_number(rng, birth, male)
        while number in self.used_ids:
            number = _id_number(rng, birth, male)
        self.used_ids.add(number)
        phone = (
            f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
            if (dt.date(2026, 1, 1).year - birth.year >= 16)
            else ""
        )
        self.rows.append(
            ResidentInput(
                name=_name(rng),
                id_number=number,
                phone=phone,
                building=address[0],
                entrance=address[1],
                room=address[2],
                relation=relation,
                tags=tags,
                grid=grid,
                moved_in_on=dt.date(rng.randint(1995, 2025), rng.randint(1, 12), 1),
            )
        )

    def living_alone(self, address: tuple[str, str, str], grid: str) -> None:
        """An elderly person living alone."""
        rng = self.rng
        tags = ["living_alone"] + (["seriously_ill"] if rng.random() < 0.2 else [])
        if rng.random() < 0.25:
            tags.append("retired_party_member")
        self.person(_birth(rng, 70, 95), rng.random() < 0.4, Relation.HEAD, address, tags, grid)

    def head_tags(self, elderly: bool, first_flat: bool) -> list[str]:
        rng = self.rng
        tags: list[str] = []
        if rng.random() < 0.08:
            tags.append("party_member")
        if rng.random() < 0.03:
            tags.append("dibao")
        if rng.random() < 0.02:
            tags.append("disabled")
        if first_flat:
            tags.append("building_head")
        if rng.random() < 0.05:
            tags.append("representative")
        if elderly:
            tags.append("empty_nest")
        return tags

    def family(
        self, address: tuple[str, str, str], grid: str, *, elderly: bool, first_flat: bool
    ) -> None:
        """A couple; younger ones with children and sometimes a parent."""
        rng = self.rng
        head_birth = _birth(rng, 62, 85) if elderly else _birth(rng, 28, 60)
        male = rng.random() < 0.55
        tags = self.head_tags(elderly, first_flat)
        self.person(head_birth, male, Relation.HEAD, address, tags, grid)
        spouse_birth = dt.date(
            head_birth.year + rng.randint(-3, 3), rng.randint(1, 12), rng.randint(1, 28)
        )
        self.person(spouse_birth, not male, Relation.SPOUSE, address, [], grid)
        if elderly:
            return
        for _child in range(rng.choice((0, 1, 1, 1, 2))):
            child_year = min(2024, head_birth.year + rng.randint(22, 35))
            child_birth = dt.date(child_year, rng.randint(1, 12), rng.randint(1, 28))
            self.person(child_birth, rng.random() < 0.5, Relation.CHILD, address, [], grid)
        if rng.random() < 0.12:
            parent_birth = _birth(rng, 75, 92)
            self.person(parent_birth, rng.random() < 0.4, Relation.PARENT, address, [], grid)


def demo_rows(rng: random.Random, grids: list[str]) -> list[ResidentInput]:
    """About 2,000 residents in 800 households: 20 buildings × 2 entrances × 20 flats."""
    people = _DemoPeople(rng)
    for building in range(1, 21):
        grid = grids[(building - 1) // 5]
        for entrance in (1, 2):
            for floor in range(1, 11):
                for flat in (1, 2):
                    address = (str(building), str(entrance), f"{floor}{flat:02d}")
                    shape = rng.random()
                    if shape < 0.12:
                        people.living_alone(address, grid)
                    else:
                        first_flat = floor == 1 and flat == 1 and entrance == 1
                        people.family(address, grid, elderly=shape < 0.3, first_flat=first_flat)
    return people.rows


def _staff(community: Community, subdistrict: Subdistrict, grids: list[Grid]) -> None:
    """The demo's staff, the utilities' liaisons and their roles."""
    users: dict[str, User] = {}
    for spec in STAFF:
        user = User.objects.create_user(
            username=spec.username,
            password=DEMO_PASSWORD,
            full_name=spec.full_name,
            phone=spec.phone,
            is_staff=spec.role == Role.ADMIN,
            is_superuser=spec.role == Role.ADMIN,
        )
        users[spec.username] = user
    organisations: dict[str, Organisation] = {}
    for kind, name, phone, liaison in ORGANISATIONS:
        organisation = Organisation.objects.create(kind=kind, name=name, phone=phone)
        organisation.communities.add(community)
        organisations[liaison] = organisation
    for index, spec in enumerate(STAFF):
        user = users[spec.username]
        if spec.role == Role.ADMIN:
            grant_role(actor=SYSTEM, user=user, role=Role.ADMIN)
        elif spec.role == Role.SUPERVISOR:
            grant_role(actor=SYSTEM, user=user, role=spec.role, subdistrict=subdistrict)
        elif spec.role == Role.LIAISON:
            grant_role(
                actor=SYSTEM,
                user=user,
                role=spec.role,
                organisation=organisations[spec.username],
                community=community,
            )
        else:
            grid = grids[index - 2] if spec.username.startswith("wangge") else None
            grant_role(actor=SYSTEM, user=user, role=spec.role, community=community, grid=grid)


def load_demo(stdout: object | None = None) -> tuple[Community, bool]:
    """Create the demo community unless it exists; return it and whether it was created."""
    if settings.PRODUCTION:
        # The demo has published passwords, a superuser among them.
        raise RuntimeError("the demo community is never loaded in production")
    existing = Community.objects.filter(code=COMMUNITY_CODE).first()
    if existing is not None:
        return existing, False
    rng = random.Random(SEED)
    district, _ = District.objects.get_or_create(name="示范区")
    subdistrict, _ = Subdistrict.objects.get_or_create(district=district, name="和平街道")
    community = Community.objects.create(
        subdistrict=subdistrict,
        name="幸福里社区",
        code=COMMUNITY_CODE,
        address="示范区和平街道幸福里12号",
    )
    Community.objects.create(
        subdistrict=subdistrict, name="安康社区", code="ankang", address="示范区和平街道安康路3号"
    )
    grids = []
    for name in ("第一网格", "第二网格", "第三网格", "第四网格"):
        grids.append(Grid.objects.create(community=community, name=name))
    _staff(community, subdistrict, grids)
    tags, grid_ids = tag_lookup(), grid_lookup(community)
    checked = [
        (line, check_resident(row, community, tags=tags, grids=grid_ids))
        for line, row in enumerate(demo_rows(rng, [g.name for g in grids]), start=2)
    ]
    import_residents(actor=SYSTEM, community=community, rows=checked, file_name="demo")
    resident = (
        Resident.objects.filter(
            community=community,
            relation_to_head=Relation.HEAD,
            household__members__relation_to_head=Relation.SPOUSE,
        )
        .order_by("pk")
        .first()
    )
    if resident is None:
        raise RuntimeError("the demo has no married head of household")
    user = User.objects.create_user(
        username=RESIDENT_LOGIN.username,
        password=DEMO_PASSWORD,
        full_name=resident.name,
        phone=RESIDENT_LOGIN.phone,
    )
    link_resident_account(actor=SYSTEM, resident=resident, user=user)
    return community, True


def demo_logins() -> list[tuple[str, str]]:
    return [(spec.username, spec.full_name) for spec in STAFF] + [
        (RESIDENT_LOGIN.username, "居民 / resident")
    ]
