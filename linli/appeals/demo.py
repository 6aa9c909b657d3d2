"""Demo appeals for 幸福里社区: a month of them, in every state, made through the actions."""

from __future__ import annotations

import random
from typing import Any

from linli.appeals import actions
from linli.appeals.models import Appeal, Category
from linli.core.models import Community, Organisation, User
from linli.people.models import Resident

SAMPLES = [
    ("供水", "家里水龙头出水发黄，已经两天了。"),
    ("供电", "楼道灯坏了，晚上上下楼很不方便。"),
    ("燃气", "厨房里闻到一点燃气味，请尽快来看看。"),
    ("环境卫生", "单元门口的垃圾桶满了没人清运。"),
    ("物业服务", "电梯经常停在三楼不动，老人上下楼困难。"),
    ("公共设施（路灯、电梯、道路）", "小区东门的路面坑洼，下雨天积水。"),
    ("邻里纠纷", "楼上装修噪音从早到晚，能否协调一下施工时间？"),
    ("养老助残", "想给家里老人申请助餐服务，不知道怎么办理。"),
    ("违章搭建", "一楼住户在公共绿地上搭了棚子。"),
    ("其他事项", "希望小区增加几个非机动车充电桩。"),
]


def load_demo_appeals(community: Community, seed: int = 2026) -> int:
    """About forty appeals: open, overdue, referred, reported back, closed with verdicts."""
    if Appeal.objects.filter(community=community).exists():
        return 0
    rng = random.Random(seed)
    staff = list(User.objects.filter(roles__role="staff", roles__community=community))
    leader = User.objects.filter(roles__role="leader", roles__community=community).first()
    residents = list(Resident.objects.filter(community=community, user__isnull=False))
    others = list(Resident.objects.filter(community=community).active().order_by("pk")[:400])
    categories = {c.name: c for c in Category.objects.for_community(community)}
    water = Organisation.objects.filter(kind="water", communities=community).first()
    made = 0
    for index in range(40):
        name, text = SAMPLES[index % len(SAMPLES)]
        handler: Any = rng.choice(staff)
        if index < 6 and residents:
            appeal = actions.submit_appeal(
                actor=residents[0].user,
                community=community,
                channel="online",
                category=categories[name],
                text=text,
                idempotency_key=f"demo-{index}",
            )
        else:
            resident = rng.choice(others)
            appeal = actions.submit_appeal(
                actor=handler,
                community=community,
                channel=rng.choice(["phone", "in_person", "visit"]),
                category=categories[name],
                text=text,
                resident=resident,
                idempotency_key=f"demo-{index}",
            )
        made += 1
        stage = index % 8
        if stage == 0:
            continue  # just received
        appeal = actions.accept_appeal(actor=handler, appeal=appeal)
        if stage == 1:
            continue
        if stage == 2 and water is not None:
            actions.refer_appeal(actor=handler, appeal=appeal, organisation=water)
            continue
        if stage == 3:
            actions.defer_appeal(actor=handler, appeal=appeal, note="需提交居民会议商议")
            continue
        appeal = actions.start_work(actor=handler, appeal=appeal)
        appeal = actions.resolve_appeal(
            actor=handler, appeal=appeal, note="已安排维修并处理完毕", on_the_spot=stage == 4
        )
        appeal = actions.report_back(actor=handler, appeal=appeal, note="已处理完毕，请您评价。")
        if stage == 5 or (appeal.submitter_id is not None and stage != 6):
            continue  # waiting for the resident's verdict
        verdict = rng.choice(
            ["very_satisfied", "satisfied", "satisfied", "basically_satisfied", "dissatisfied"]
        )
        appeal = actions.give_verdict(actor=handler, appeal=appeal, verdict=verdict)
        if verdict == "dissatisfied" and leader is not None:
            actions.add_note(actor=leader, appeal=appeal, text="请再次上门核实")
    return made
