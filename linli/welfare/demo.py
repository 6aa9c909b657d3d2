"""Demo welfare cases for 幸福里社区, made through the actions: a 低保 case on public notice, a
特困 case waiting for its self-care assessment, and temporary relief paid first in an emergency."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from linli.core.models import Community, User
from linli.people.models import Household, Resident
from linli.welfare import actions
from linli.welfare.models import Application, Programme


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _input(
    programme: Programme, household: Household, reason: str, provided: tuple[str, ...] | None = None
) -> actions.ApplicationInput:
    members = list(Resident.objects.filter(household=household, status="active").order_by("pk"))
    return actions.ApplicationInput(
        programme=programme,
        household=household,
        applicant=members[0],
        members=tuple(
            actions.MemberInput(m, wages=Decimal("400") if i == 0 else Decimal("0"))
            for i, m in enumerate(members)
        ),
        reason=reason,
        pledge_signed=True,
        consent_to_checks=True,
        provided=tuple(programme.materials) if provided is None else provided,
    )


def load_demo_welfare(community: Community) -> int:
    """Nothing if the community has applications already or the demo staff are missing."""
    if Application.objects.filter(community=community).exists():
        return 0
    leader, reviewer = _user("shuji"), _user("minzheng")
    investigators = [_user("wangge1"), _user("wangge2")]
    if leader is None or reviewer is None or None in investigators:
        return 0
    households = list(
        Household.objects.filter(community=community, members__status="active")
        .annotate(n=Count("members"))
        .filter(n__gte=2)
        .order_by("-pk")[:3]
    )
    if len(households) < 3:
        return 0
    programmes = {p.kind: p for p in Programme.objects.filter(community=None)}
    today = timezone.localdate()

    # 低保: every step up to the public notice.
    dibao = actions.submit_application(
        actor=investigators[0],
        community=community,
        data=_input(programmes["dibao"], households[0], "户主因病失去工作，家庭收入低于低保标准"),
        idempotency_key="demo-welfare-dibao",
    )
    actions.check_materials(actor=reviewer, application=dibao)
    actions.record_investigation(
        actor=investigators[0],
        application=dibao,
        investigators=investigators,  # type: ignore[arg-type]
        visited_on=today,
        findings="家中一人长期患病，无其他收入来源，居住条件简陋",
        signed_on_screen=True,
    )
    actions.record_checks(
        actor=reviewer,
        application=dibao,
        results=[("税务", "无纳税记录", True), ("车辆", "名下无车辆", True)],
    )
    actions.give_opinion(
        actor=reviewer, application=dibao, opinion="经入户调查和信息核对，符合低保条件"
    )

    # 特困: accepted, the self-care assessment to do.
    tekun = actions.submit_application(
        actor=investigators[1],
        community=community,
        data=_input(programmes["tekun"], households[1], "老人无劳动能力、无生活来源、无赡养人"),
        idempotency_key="demo-welfare-tekun",
    )
    actions.check_materials(actor=reviewer, application=tekun)

    # 临时救助: paid first in an emergency; the materials still to come.
    temporary = actions.submit_application(
        actor=investigators[0],
        community=community,
        data=_input(
            programmes["temporary"],
            households[2],
            "家中突发火灾，生活用品全部烧毁",
            provided=("身份证",),
        ),
        idempotency_key="demo-welfare-temporary",
    )
    actions.pay_first(
        actor=leader,
        application=temporary,
        amount=Decimal("1000"),
        reason="火灾后无处安身，急需购买生活必需品",
    )
    actions.check_materials(actor=reviewer, application=temporary)  # the rest, listed at once
    return 3
