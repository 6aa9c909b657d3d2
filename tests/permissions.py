"""The permission-matrix harness: every view × every role, allowed or denied with nothing changed.

Each app adds its views as `Case`s to `CASES`; `test_permission_matrix.py` runs them all and
fails if a URL pattern has no case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.world import ROLES, World

STAFF_READERS = {"staff", "leader", "welfare_reviewer", "supervisor", "admin"}
EDITORS = {"staff", "leader", "admin"}
EVERYONE = set(ROLES) - {"anonymous"}


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    allowed: set[str]
    args: Callable[[World], list[Any]] = lambda w: ["xfl"]
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    # Roles that are let in but sent elsewhere, e.g. to their own community.
    headers: dict[str, str] = field(default_factory=dict)
    public: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name}"

    def url(self, world: World) -> str:
        return reverse(self.url_name, args=self.args(world))


def _zhang(world: World) -> list[Any]:
    return ["xfl", world.residents["zhang"].pk]


def _job(world: World) -> list[Any]:
    from linli.people.models import ImportJob

    job = ImportJob.objects.create(
        community=world.community,
        created_by=world.users["staff"],
        file_name="x.xlsx",
        idempotency_key="perm",
        status=ImportJob.Status.DONE,
    )
    return ["xfl", job.pk]


def _resident_form(world: World) -> dict[str, Any]:
    zhang = world.residents["zhang"]
    return {
        "name": "张三丰",
        "id_number": zhang.id_number,
        "building": "3",
        "entrance": "2",
        "room": "501",
        "relation": "head",
    }


CASES: list[Case] = [
    Case("workbench", "GET", STAFF_READERS | {"outsider"}, args=lambda w: []),
    Case("people:my_household", "GET", EVERYONE, args=lambda w: []),
    Case("people:community", "GET", STAFF_READERS),
    Case("people:residents", "GET", STAFF_READERS),
    Case("people:resident", "GET", STAFF_READERS, args=_zhang),
    Case(
        "people:household",
        "GET",
        STAFF_READERS,
        args=lambda w: ["xfl", w.residents["zhang"].household_id],
    ),
    Case("people:resident_create", "GET", EDITORS),
    Case(
        "people:resident_create",
        "POST",
        EDITORS,
        data=lambda w: {**_resident_form(w), "name": "新人", "id_number": "11010519491231002X"},
    ),
    Case("people:resident_edit", "POST", EDITORS, args=_zhang, data=_resident_form),
    Case(
        "people:resident_move_out",
        "POST",
        EDITORS,
        args=_zhang,
        data=lambda w: {"on": "2026-01-01", "reason": "迁出"},
    ),
    Case(
        "people:reveal",
        "POST",
        {"staff", "leader", "welfare_reviewer", "admin", "resident"},
        args=lambda w: ["xfl", w.residents["zhang"].pk, "id_number"],
    ),
    Case("people:import", "GET", EDITORS),
    Case("people:import_template", "GET", EDITORS),
    Case("people:import_job", "GET", EDITORS, args=_job),
    Case("people:export", "GET", {"staff", "leader", "welfare_reviewer", "admin"}),
    Case("people:export", "POST", {"leader", "admin"}, data=lambda w: {"full": "1"}),
    Case("audit_log", "GET", {"leader", "admin"}),
    Case(
        "large_font",
        "POST",
        EVERYONE | {"anonymous"},
        args=lambda w: [],
        data=lambda w: {"large_font": "1"},
        public=True,
    ),
    Case(
        "set_language",
        "POST",
        EVERYONE | {"anonymous"},
        args=lambda w: [],
        data=lambda w: {"language": "en"},
        public=True,
    ),
]


def _welfare_notice(world: World) -> Any:
    from linli.notices.actions import publish_notice

    return publish_notice(
        actor=world.users["welfare_reviewer"],
        community=world.community,
        kind="welfare",
        title="低保公示",
        entries=[{"name": "张三", "household_size": "2", "amount": "900"}],
    )


def _notice(world: World) -> list[Any]:
    return ["xfl", _welfare_notice(world).pk]


def _attachment(world: World) -> list[Any]:
    from linli.notices.actions import AttachmentInput, publish_notice

    notice = publish_notice(
        actor=world.users["leader"],
        community=world.community,
        kind="minutes",
        title="纪要",
        body="见附件",
        attachments=[AttachmentInput("纪要.pdf", b"%PDF-1.4 minutes")],
    )
    return ["xfl", notice.pk, notice.attachments.get().pk]


def _objection(world: World) -> Any:
    from linli.notices.actions import file_objection

    return file_objection(
        actor=world.users["resident"],
        notice=_welfare_notice(world),
        reason="这家条件不符合，请复核。",
        idempotency_key="perm-objection",
    )


PUBLIC = EVERYONE | {"anonymous"}
DESK = {"leader", "staff", "welfare_reviewer", "teller", "supervisor", "admin"}
CASES += [
    Case("notices:board", "GET", PUBLIC, public=True),
    Case("notices:archive", "GET", PUBLIC, public=True),
    Case("notices:detail", "GET", PUBLIC, args=_notice, public=True),
    Case("notices:print", "GET", PUBLIC, args=_notice, public=True),
    Case("notices:attachment", "GET", PUBLIC, args=_attachment, public=True),
    Case("notices:object", "GET", PUBLIC, args=_notice, public=True),
    Case(
        "notices:object",
        "POST",
        PUBLIC,
        args=_notice,
        public=True,
        data=lambda w: {
            "reason": "公示对象条件不符。",
            "contact_name": "王",
            "contact_phone": "13900001234",
            "idempotency_key": "perm-o",
        },
    ),
    Case(
        "notices:receipt", "GET", PUBLIC, public=True, args=lambda w: ["xfl", _objection(w).receipt]
    ),
    Case("notices:desk", "GET", DESK),
    Case("notices:publish", "GET", DESK - {"supervisor"}),
    Case(
        "notices:publish",
        "POST",
        {"leader", "staff", "admin"},
        data=lambda w: {
            "kind": "announcement",
            "title": "通知",
            "body": "内容",
            "audience": "public",
            "idempotency_key": "perm-p",
        },
    ),
    Case("notices:manage", "GET", DESK, args=_notice),
    Case(
        "notices:correct",
        "POST",
        {"leader", "welfare_reviewer", "admin"},
        args=_notice,
        data=lambda w: {
            "title": "低保公示（更正）",
            "reason": "更正金额",
            "table": "张三 2 950",
            "idempotency_key": "perm-c",
        },
    ),
    Case(
        "notices:withdraw",
        "POST",
        {"leader", "admin"},
        args=_notice,
        data=lambda w: {"reason": "对象有误"},
    ),
    Case(
        "notices:answer",
        "POST",
        {"leader", "welfare_reviewer", "admin"},
        args=lambda w: ["xfl", _objection(w).pk],
        data=lambda w: {"answer": "已复核。"},
    ),
    Case("inbox", "GET", EVERYONE, args=lambda w: []),
]


def _appeal(world: World) -> Any:
    from tests.appeals.helpers import appeal

    return appeal(world)


def _reported(world: World) -> Any:
    from linli.appeals import actions

    staff = world.users["staff"]
    a = actions.accept_appeal(actor=staff, appeal=_appeal(world))
    a = actions.resolve_appeal(actor=staff, appeal=a, note="已清理")
    return actions.report_back(actor=staff, appeal=a, note="已清理")


def _extension(world: World) -> Any:
    from linli.appeals import actions

    a = actions.accept_appeal(actor=world.users["staff"], appeal=_appeal(world))
    return actions.request_extension(actor=world.users["staff"], appeal=a, days=2, reason="等待")


def _category_id(world: World) -> int:
    from tests.appeals.helpers import categories

    return categories()["environment"].pk


def _hotline_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "12345.csv", "工单编号,诉求内容,联系电话\r\nP1,路灯不亮,13900001111\r\n".encode()
    )


def _photo(world: World) -> list[Any]:
    from linli.appeals.photos import PhotoInput
    from tests.appeals.helpers import appeal
    from tests.appeals.test_photos import jpeg_with_location

    a = appeal(world, photos=[PhotoInput("p.jpg", jpeg_with_location())])
    return ["xfl", a.pk, a.photos.get().pk]


APPEAL_DESK = {"staff", "leader", "supervisor", "admin"}
CASES += [
    Case("appeals:mine", "GET", EVERYONE, args=lambda w: []),
    Case("appeals:organisation", "GET", {"liaison"}, args=lambda w: []),
    Case("appeals:todo", "GET", APPEAL_DESK),
    Case("appeals:staff_new", "GET", EDITORS),
    Case(
        "appeals:staff_new",
        "POST",
        EDITORS,
        data=lambda w: {
            "channel": "phone",
            "category": _category_id(w),
            "text": "路灯坏了",
            "place": "小区东门",
            "idempotency_key": "perm-a1",
        },
    ),
    Case("appeals:submit", "GET", {"resident", "admin"}),
    Case(
        "appeals:submit",
        "POST",
        {"resident"},
        data=lambda w: {
            "category": _category_id(w),
            "text": "楼道灯不亮",
            "idempotency_key": "perm-a2",
        },
    ),
    Case("appeals:board", "GET", {"leader", "supervisor", "admin"}),
    Case("appeals:rates", "GET", APPEAL_DESK),
    Case(
        "appeals:detail", "GET", APPEAL_DESK | {"resident"}, args=lambda w: ["xfl", _appeal(w).pk]
    ),
    Case(
        "appeals:act",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _appeal(w).pk, "accept"],
        data=lambda w: {"note": ""},
    ),
    Case(
        "appeals:verdict",
        "POST",
        {"resident"},
        args=lambda w: ["xfl", _reported(w).pk],
        data=lambda w: {"verdict": "satisfied"},
    ),
    Case(
        "appeals:add",
        "POST",
        {"resident"},
        args=lambda w: ["xfl", _appeal(w).pk],
        data=lambda w: {"note": "补充照片"},
    ),
    Case(
        "appeals:decide_extension",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _extension(w).pk],
        data=lambda w: {"approve": "1"},
    ),
    Case("appeals:hotline", "GET", EDITORS),
    Case("appeals:hotline", "POST", EDITORS, data=lambda w: {"file": _hotline_file()}),
    Case("appeals:ledger", "GET", APPEAL_DESK),
    Case("appeals:photo", "GET", APPEAL_DESK | {"resident"}, args=_photo),
    Case("appeals:similar", "GET", EDITORS),
    Case(
        "appeals:subdistrict_rates",
        "GET",
        {"supervisor", "admin"},
        args=lambda w: [w.community.subdistrict_id],
    ),
    Case(
        "appeals:publish_results", "POST", {"leader", "admin"}, data=lambda w: {"month": "2026-11"}
    ),
    Case(
        "appeals:merge",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _appeal(w).pk],
        data=lambda w: {"into": _appeal(w).pk},
    ),
]


def _planned(world: World) -> Any:
    from tests.meetings.helpers import plan

    return plan(world)


def _opened(world: World) -> Any:
    from tests.meetings.helpers import opened

    return opened(world)


def _meeting_args(world: World) -> list[Any]:
    return ["xfl", _opened(world).pk]


def _attendance(world: World) -> list[Any]:
    from linli.meetings.actions import sign_in

    meeting = _opened(world)
    record = sign_in(actor=world.users["staff"], meeting=meeting, resident=world.residents["wang"])
    return ["xfl", meeting.pk, record.pk]


def _pending_opinion(world: World) -> list[Any]:
    from linli.meetings.actions import OpinionInput, record_opinion

    meeting = _opened(world)
    opinion = record_opinion(
        actor=world.users["staff"],
        meeting=meeting,
        data=OpinionInput(text="路灯不亮"),
        idempotency_key="perm-opinion",
    )
    return ["xfl", meeting.pk, opinion.pk]


def _perm_opinion() -> int:
    from linli.meetings.models import Opinion

    return Opinion.objects.get(idempotency_key="perm-opinion").pk


def _invitation(world: World) -> list[Any]:
    return [_planned(world).invitations.get().pk]


def _petition(world: World) -> list[Any]:
    from linli.meetings.actions import start_petition

    petition = start_petition(
        actor=world.users["staff"],
        community=world.community,
        basis="households",
        subject="讨论停车",
    )
    return ["xfl", petition.pk]


def _water_id(world: World) -> int:
    from linli.core.models import Organisation

    return Organisation.objects.get(kind="water").pk


MEETING_DESK = {"staff", "leader", "supervisor", "admin"}
CASES += [
    Case("meetings:mine", "GET", EVERYONE, args=lambda w: []),
    Case(
        "meetings:join",
        "POST",
        {"resident"},
        args=lambda w: [],
        data=lambda w: {"code": _opened(w).code},
    ),
    Case("meetings:invitations", "GET", {"liaison"}, args=lambda w: []),
    Case(
        "meetings:confirm",
        "POST",
        {"liaison"},
        args=_invitation,
        data=lambda w: {"attendees": "李工程师"},
    ),
    Case("meetings:list", "GET", MEETING_DESK),
    Case("meetings:new", "GET", EDITORS),
    Case(
        "meetings:new",
        "POST",
        EDITORS,
        data=lambda w: {
            "kind": "forum",
            "topic": "供水座谈会",
            "starts_at": "2099-01-01T19:00",
            "place": "活动室",
            "organisations": [_water_id(w)],
            "idempotency_key": "perm-m1",
        },
    ),
    Case("meetings:organisations", "GET", MEETING_DESK),
    Case("meetings:detail", "GET", MEETING_DESK, args=_meeting_args),
    Case("meetings:minutes", "GET", MEETING_DESK, args=_meeting_args),
    Case("meetings:count", "GET", MEETING_DESK, args=_meeting_args),
    Case("meetings:search", "POST", EDITORS, args=_meeting_args, data=lambda w: {"find-q": "王五"}),
    Case(
        "meetings:sign_in",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {"resident": w.residents["wang"].pk},
    ),
    Case(
        "meetings:guest",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {"guest-organisation": _water_id(w), "guest-name": "李工"},
    ),
    Case("meetings:leave", "POST", EDITORS, args=_attendance),
    Case(
        "meetings:opinion",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {
            "opinion-text": "垃圾清运不及时",
            "opinion-handling": "pending",
            "opinion-idempotency_key": "p-o",
        },
    ),
    Case(
        "meetings:classify",
        "POST",
        EDITORS,
        args=_pending_opinion,
        data=lambda w: {
            f"o{_perm_opinion()}-category": _category_id(w),
            f"o{_perm_opinion()}-handling": "follow_up",
        },
    ),
    Case(
        "meetings:resolution",
        "POST",
        EDITORS,
        args=_meeting_args,
        data=lambda w: {
            "vote-text": "同意",
            "vote-votes_for": 0,
            "vote-against": 0,
            "vote-abstain": 0,
            "vote-idempotency_key": "perm-vote",
        },
    ),
    Case(
        "meetings:act",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _planned(w).pk, "open"],
    ),
    Case("meetings:petitions", "GET", MEETING_DESK | {"resident"}),
    Case(
        "meetings:petitions",
        "POST",
        {"resident", "staff", "leader", "admin"},
        data=lambda w: {"basis": "adults", "subject": "讨论加装电梯", "idempotency_key": "p-p"},
    ),
    Case("meetings:petition", "GET", MEETING_DESK | {"resident"}, args=_petition),
    Case("meetings:sign", "POST", {"resident"}, args=_petition),
    Case("meetings:paper", "POST", EDITORS, args=_petition, data=lambda w: {"q": "王五"}),
]


def _draft_ballot(world: World, **overrides: Any) -> Any:
    from tests.ballots.helpers import ballot

    return ballot(world, **overrides)


def _open_ballot(world: World) -> list[Any]:
    from tests.ballots.helpers import opened

    return ["xfl", opened(world).pk]


def _closed_ballot(world: World) -> list[Any]:
    from linli.ballots.actions import close_ballot
    from tests.ballots.helpers import opened

    return ["xfl", close_ballot(actor=world.users["leader"], ballot=opened(world)).pk]


def _counted_ballot(world: World) -> list[Any]:
    from linli.ballots.actions import close_ballot, count_ballot
    from tests.ballots.helpers import opened

    closed = close_ballot(actor=world.users["leader"], ballot=opened(world))
    return ["xfl", count_ballot(actor=world.users["leader"], ballot=closed).pk]


def _nominee(world: World) -> list[Any]:
    election = _draft_ballot(
        world, kind="election", candidates=("甲", "乙"), choose=1, nominators_needed=1
    )
    return ["xfl", election.pk, election.candidates.first().pk]


def _ballot_member(world: World) -> str:
    from linli.ballots.models import Ballot

    return str(Ballot.objects.order_by("-pk").first().candidates.first().pk)  # type: ignore[union-attr]


def _grades(world: World) -> dict[str, str]:
    from linli.ballots.models import Ballot

    ballot = Ballot.objects.order_by("-pk").first()
    assert ballot is not None
    return {f"c{c.pk}": "competent" for c in ballot.candidates.all()}


BALLOT_DESK = {"leader", "staff", "teller", "supervisor", "admin"}
CASES += [
    Case("ballots:mine", "GET", EVERYONE, args=lambda w: []),
    Case("ballots:list", "GET", BALLOT_DESK),
    Case("ballots:new", "GET", {"leader", "admin"}),
    Case(
        "ballots:new",
        "POST",
        {"leader", "admin"},
        data=lambda w: {
            "kind": "recommendation",
            "title": "推荐入党积极分子",
            "electorate": "party",
            "candidates": "甲\n乙",
            "choose": 1,
            "excellent_share": "1/3",
        },
    ),
    Case("ballots:detail", "GET", BALLOT_DESK, args=lambda w: ["xfl", _draft_ballot(w).pk]),
    Case(
        "ballots:act",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _draft_ballot(w).pk, "open"],
    ),
    Case(
        "ballots:paper_out",
        "POST",
        {"leader", "staff", "teller", "admin"},
        args=_open_ballot,
        data=lambda w: {"q": "王五"},
    ),
    Case(
        "ballots:nominate",
        "POST",
        {"leader", "staff", "admin"},
        args=_nominee,
        data=lambda w: {"q": "王五"},
    ),
    Case("ballots:paper", "GET", {"teller", "admin"}, args=_closed_ballot),
    Case(
        "ballots:paper",
        "POST",
        {"teller", "admin"},
        args=_closed_ballot,
        data=lambda w: {"sheet": "001", **_grades(w)},
    ),
    Case(
        "ballots:follow_up",
        "POST",
        {"leader", "admin"},
        args=_counted_ballot,
        data=lambda w: {"candidate": _ballot_member(w), "action": "praise", "note": "表现突出"},
    ),
    Case("ballots:vote", "GET", {"resident", "admin"}, args=_open_ballot),
    Case("ballots:vote", "POST", {"resident"}, args=_open_ballot, data=_grades),
    Case("ballots:bulletin", "GET", PUBLIC, args=_counted_ballot, public=True),
    Case("ballots:bulletin_file", "GET", PUBLIC, args=_counted_ballot, public=True),
]


def _campaign(world: World, *, opened: bool = False, closed: bool = False) -> Any:
    from linli.evaluations import actions
    from tests.evaluations.test_evaluations import make, sheet

    campaign = make(world)
    if opened or closed:
        campaign = actions.open_campaign(actor=world.users["leader"], campaign=campaign)
    if closed:
        actions.answer_campaign(
            actor=world.users["resident"], campaign=campaign, raw=sheet(campaign, 1, 50)
        )
        campaign = actions.close_campaign(actor=world.users["leader"], campaign=campaign)
    return campaign


def _campaign_sheet(world: World) -> dict[str, Any]:
    from linli.evaluations.models import Campaign
    from tests.evaluations.test_evaluations import sheet

    campaign = Campaign.objects.order_by("-pk").first()
    assert campaign is not None
    return {f"q{pk}": value for pk, value in sheet(campaign, 4, 80).items()}


def _batch(world: World) -> list[Any]:
    from linli.evaluations.actions import start_batch

    campaign = _campaign(world, opened=True)
    return ["xfl", start_batch(actor=world.users["staff"], campaign=campaign, sheets=3).pk]


def _task(world: World) -> list[Any]:
    import datetime as dt

    from django.utils import timezone

    from linli.evaluations.actions import add_task

    task = add_task(
        actor=world.users["leader"],
        campaign=_campaign(world, closed=True),
        title="增加保洁频次",
        owner=world.users["staff"],
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    return ["xfl", task.pk]


EVALUATION_DESK = {"leader", "staff", "supervisor", "admin"}
CASES += [
    Case("evaluations:mine", "GET", EVERYONE, args=lambda w: []),
    Case("evaluations:list", "GET", EVALUATION_DESK),
    Case("evaluations:new", "GET", {"leader", "admin"}),
    Case(
        "evaluations:new",
        "POST",
        {"leader", "admin"},
        data=lambda w: {
            "title": "测评",
            "target": "adults",
            "opens_on": "2099-01-01",
            "closes_on": "2099-01-31",
            "questions": "环境 | satisfaction | 环境满意吗",
            "min_answers": 5,
            "min_comments": 8,
            "task_threshold": 70,
        },
    ),
    Case("evaluations:staff_sheet", "GET", {"leader", "supervisor", "admin"}),
    Case("evaluations:detail", "GET", EVALUATION_DESK, args=lambda w: ["xfl", _campaign(w).pk]),
    Case(
        "evaluations:act",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _campaign(w).pk, "open"],
    ),
    Case(
        "evaluations:answer",
        "GET",
        {"resident", "admin"},
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
    ),
    Case(
        "evaluations:answer",
        "POST",
        {"resident"},
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
        data=_campaign_sheet,
    ),
    Case(
        "evaluations:paper_out",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
        data=lambda w: {"q": "王五"},
    ),
    Case(
        "evaluations:batches",
        "POST",
        EDITORS,
        args=lambda w: ["xfl", _campaign(w, opened=True).pk],
        data=lambda w: {"sheets": 2},
    ),
    Case("evaluations:batch", "GET", EDITORS, args=_batch),
    Case(
        "evaluations:task",
        "POST",
        EDITORS,
        args=_task,
        data=lambda w: {f"t{_task_id()}-plan": "增加保洁"},
    ),
    Case(
        "evaluations:export",
        "GET",
        EVALUATION_DESK,
        args=lambda w: ["xfl", _campaign(w, closed=True).pk],
    ),
]


def _task_id() -> int:
    from linli.evaluations.models import Task

    task = Task.objects.order_by("-pk").first()
    assert task is not None
    return task.pk


def _cared(world: World) -> Any:
    from tests.care.test_care import person

    return person(world, "独居老人", __import__("datetime").date(1940, 5, 1), ["living_alone"], 7)


def _care_resident(world: World) -> list[Any]:
    return ["xfl", _cared(world).pk]


def _visit(world: World) -> list[Any]:
    import datetime as dt

    from django.utils import timezone

    from tests.care.test_care import visit

    resident = _cared(world)
    return [
        "xfl",
        visit(world, resident, timezone.localdate() - dt.timedelta(days=1), health="血压高").pk,
    ]


def _relief(world: World, *, opened: bool = False) -> Any:
    from decimal import Decimal

    from linli.care import actions

    _cared(world)
    campaign = actions.create_relief(
        actor=world.users["leader"],
        community=world.community,
        title="春节慰问",
        budget=Decimal("1000"),
        per_person_limit=Decimal("500"),
        standard_amount=Decimal("200"),
    )
    if opened:
        campaign = actions.open_relief(actor=world.users["leader"], campaign=campaign)
    return campaign


def _recipient(world: World) -> list[Any]:
    return ["xfl", _relief(world, opened=True).recipients.first().pk]


CARE_DESK = {"leader", "staff", "supervisor", "admin"}
CASES += [
    Case("care:register", "GET", CARE_DESK),
    Case("care:due", "GET", EDITORS),
    Case("care:policies", "GET", CARE_DESK),
    Case(
        "care:policies",
        "POST",
        {"leader", "admin"},
        data=lambda w: {"tag": "living_alone", "every_days": 30},
    ),
    Case("care:resident", "GET", CARE_DESK, args=_care_resident),
    Case(
        "care:visit_new",
        "POST",
        EDITORS,
        args=_care_resident,
        data=lambda w: {
            "visited_on": "2026-01-05",
            "place": "home",
            "visitors": [w.users["staff"].pk],
            "idempotency_key": "perm-visit",
        },
    ),
    Case(
        "care:event",
        "POST",
        EDITORS,
        args=_care_resident,
        data=lambda w: {"kind": "hospitalised", "occurred_on": "2026-01-05"},
    ),
    Case(
        "care:entry",
        "POST",
        EDITORS,
        args=_care_resident,
        data=lambda w: {"reason": "突发困难", "starts_on": "2026-01-05"},
    ),
    Case(
        "care:settings",
        "POST",
        {"leader", "admin"},
        args=_care_resident,
        data=lambda w: {"level": "intensive"},
    ),
    Case(
        "care:need",
        "POST",
        EDITORS,
        args=_visit,
        data=lambda w: {"category": _category_id(w), "text": "需要医疗救助"},
    ),
    Case("care:health", "POST", EDITORS, args=_visit),
    Case(
        "care:relief_application",
        "POST",
        EDITORS,
        args=_visit,
        data=lambda w: {"pledge_signed": "on", "consent_to_checks": "on"},
    ),
    Case("care:relief_list", "GET", CARE_DESK),
    Case(
        "care:relief_list",
        "POST",
        {"leader", "admin"},
        data=lambda w: {
            "title": "中秋慰问",
            "budget": "500",
            "per_person_limit": "200",
            "standard_amount": "100",
        },
    ),
    Case("care:relief", "GET", CARE_DESK, args=lambda w: ["xfl", _relief(w).pk]),
    Case(
        "care:relief_act",
        "POST",
        {"leader", "admin"},
        args=lambda w: ["xfl", _relief(w).pk, "open"],
    ),
    Case("care:give", "POST", EDITORS, args=_recipient, data=lambda w: {"amount": "200"}),
]


def _welfare_application(world: World) -> list[Any]:
    from tests.welfare.test_welfare import apply

    return ["xfl", apply(world, key="perm-welfare").pk]


def _programme_id(world: World) -> int:
    from linli.welfare.models import Programme

    return Programme.objects.get(kind="dibao").pk


def _benefit(world: World) -> list[Any]:
    import datetime as dt
    from decimal import Decimal

    from linli.welfare.models import Benefit
    from tests.welfare.test_welfare import apply

    application = apply(world, key="perm-benefit")  # the same application on a second call
    benefit, _created = Benefit.objects.get_or_create(
        application=application,
        defaults={
            "household": application.household,
            "programme": application.programme,
            "monthly_amount": Decimal("500"),
            "starts_on": dt.date(2026, 1, 1),
            "next_review_on": dt.date(2027, 1, 1),
        },
    )
    return ["xfl", benefit.pk]


WELFARE_DESK = {"welfare_reviewer", "leader", "staff", "supervisor", "admin"}
CASES += [
    Case("welfare:list", "GET", WELFARE_DESK),
    Case("welfare:new", "GET", EDITORS | {"welfare_reviewer"}),
    Case(
        "welfare:new",
        "POST",
        EDITORS | {"welfare_reviewer"},
        data=lambda w: {
            "programme": _programme_id(w),
            "household": "3-2-501",
            "reason": "因病致贫",
            "idempotency_key": "perm-w1",
        },
    ),
    Case("welfare:apply", "GET", {"resident"}),
    Case("welfare:mine", "GET", {"resident", "admin"}),
    Case("welfare:relatives", "GET", WELFARE_DESK),
    Case("welfare:register", "GET", {"welfare_reviewer", "leader", "supervisor", "admin"}),
    Case("welfare:register_export", "GET", {"welfare_reviewer", "leader", "supervisor", "admin"}),
    Case("welfare:detail", "GET", WELFARE_DESK, args=_welfare_application),
    Case(
        "welfare:step",
        "POST",
        {"welfare_reviewer", "leader", "admin"},
        args=lambda w: [*_welfare_application(w), "materials"],
    ),
    Case(
        "welfare:benefit",
        "GET",
        {"welfare_reviewer", "leader", "supervisor", "admin"},
        args=_benefit,
    ),
    Case(
        "welfare:benefit_step",
        "POST",
        {"welfare_reviewer", "leader", "admin"},
        args=lambda w: [*_benefit(w), "report"],
        data=lambda w: {"report-note": "家中有人就业"},
    ),
    Case(
        "welfare:report_change",
        "POST",
        {"resident"},
        args=_benefit,
        data=lambda w: {f"b{_benefit(w)[1]}-note": "家中有人就业"},
    ),
]

# URL names that need no case: framework pages and public entry points.
EXEMPT = {"home", "login", "logout", "healthz"}


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table except sessions: a denied request must leave all of it alone."""
    state = {}
    for model in apps.get_models():
        if model is Session:
            continue
        state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state
