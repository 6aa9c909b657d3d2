"""Every state change of care: the register by hand, care levels, policies and reassignment;
events and visits, with a visit's need handed to appeals or welfare; relief campaigns; the
daily reminder. Due dates and coverage are reads in `care.schedule`, the ledger in
`care.ledger`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.appeals.actions import submit_appeal
from linli.appeals.models import Appeal
from linli.care.ledger import given_so_far, ledger
from linli.care.models import (
    CARE_TAGS,
    CareEntry,
    CareEvent,
    CareProfile,
    EventKind,
    Level,
    Place,
    Recipient,
    ReliefCampaign,
    ReliefKind,
    Visit,
    VisitPolicy,
)
from linli.care.schedule import register, schedule
from linli.care.workflow import RELIEF_FLOW, VISIT_FLOW
from linli.core import audit, roles
from linli.core.access import require_role
from linli.core.errors import DomainError
from linli.core.models import Community, Notification, RoleAssignment, User
from linli.core.notify import notify
from linli.core.transactions import atomic_action
from linli.people.models import Resident
from linli.welfare.actions import ApplicationInput, MemberInput, submit_application
from linli.welfare.models import Application, Programme, ProgrammeKind


def _audit(actor: Any, code: str, community: Community, target: Any, **data: Any) -> None:
    audit.record(actor=actor, code=f"care.{code}", community=community, target=target, data=data)


def _require_worker(community: Community, worker: User) -> None:
    """Only staff of the community visit its residents."""
    if not RoleAssignment.objects.filter(
        user=worker, community=community, role__in=roles.WORKERS
    ).exists():
        raise DomainError("worker_elsewhere", _("Choose a staff member of this community."))


# --- register, policies, reassignment ---------------------------------------------------------


def add_entry(
    *,
    actor: Any,
    resident: Resident,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> CareEntry:
    community = resident.community
    require_role(actor, community, *roles.WORKERS)
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give the reason."))
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("dates_invalid", _("The end is before the start."))
    with atomic_action():
        entry = CareEntry.objects.create(
            community=community,
            resident=resident,
            reason=reason.strip()[:200],
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        _audit(actor, "entry_added", community, resident, name=resident.name)
    return entry


def set_care(
    *, actor: Any, resident: Resident, level: str | None = None, worker: User | None = None
) -> CareProfile:
    """Leaders set the care level and may name who visits instead of the grid worker."""
    community = resident.community
    require_role(actor, community, *roles.LEADERS)
    if level is not None and level not in Level.values:
        raise DomainError("level_unknown", _("Unknown care level."))
    if worker is not None:
        _require_worker(community, worker)
    with atomic_action():
        profile, _created = CareProfile.objects.select_for_update().get_or_create(resident=resident)
        if level is not None:
            profile.level = level
        profile.worker = worker
        profile.save()
        _audit(actor, "care_set", community, resident, name=resident.name, level=profile.level)
    return profile


def reassign(*, actor: Any, community: Community, residents: list[Resident], worker: User) -> int:
    """Give residents (e.g. those of a worker who left) to another staff member."""
    require_role(actor, community, *roles.LEADERS)
    _require_worker(community, worker)
    for resident in residents:
        if resident.community_id != community.pk:
            raise DomainError(
                "resident_elsewhere", _("%(name)s lives in another community."), name=resident.name
            )
    with atomic_action():
        for resident in residents:
            profile, _created = CareProfile.objects.get_or_create(resident=resident)
            profile.worker = worker
            profile.save(update_fields=["worker"])
        _audit(actor, "reassigned", community, worker, worker=str(worker), residents=len(residents))
    return len(residents)


def set_policy(
    *,
    actor: Any,
    community: Community,
    every_days: int,
    tag: str = "",
    level: str = "",
    min_age: int | None = None,
) -> VisitPolicy:
    require_role(actor, community, *roles.LEADERS)
    if not tag and not level:
        raise DomainError("policy_target", _("A policy is for a tag or a care level."))
    if not 1 <= every_days <= 365:
        raise DomainError("days_invalid", _("Between 1 and 365 days."))
    with atomic_action():
        policy = VisitPolicy.objects.create(
            community=community, tag=tag, level=level, min_age=min_age, every_days=every_days
        )
        _audit(actor, "policy_set", community, policy, policy=str(policy))
    return policy


# --- events and visits ----------------------------------------------------------------------


def record_event(
    *, actor: Any, resident: Resident, kind: str, occurred_on: dt.date, note: str = ""
) -> CareEvent:
    """Anyone on staff records a hospitalisation or bereavement; a visit is due within the
    configured days (CARE_EVENT_VISIT_DAYS)."""
    community = resident.community
    require_role(actor, community, *roles.WORKERS)
    if kind not in EventKind.values:
        raise DomainError("kind_unknown", _("What happened?"))
    if occurred_on > timezone.localdate():
        raise DomainError("future", _("That date is in the future."))
    with atomic_action():
        event = CareEvent.objects.create(
            community=community,
            resident=resident,
            kind=kind,
            occurred_on=occurred_on,
            note=note.strip()[:300],
            visit_within_days=settings.CARE_EVENT_VISIT_DAYS.get(kind, 7),
            recorded_by=actor,
        )
        _audit(actor, "event", community, resident, name=resident.name, kind=kind)
        due = next(iter(schedule(community, resident=resident)), None)
        worker = due.worker if due else None
        if worker is not None:
            notify(
                users=[worker],
                code="care.event",
                community=community,
                data={"name": resident.name, "kind": str(EventKind(kind).label)},
                url="",
            )
    return event


@dataclass(frozen=True)
class VisitInput:
    visited_on: dt.date
    place: str
    visitors: tuple[User, ...]
    volunteers: str = ""
    health: str = ""
    living: str = ""
    needs: str = ""
    relief_kind: str = ""
    relief_amount: Decimal = Decimal("0")
    relief_item: str = ""
    photo_consent: bool = False


def record_visit(
    *, actor: Any, resident: Resident, data: VisitInput, idempotency_key: str
) -> Visit:
    community = resident.community
    require_role(actor, community, *roles.WORKERS)
    existing = Visit.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if data.visited_on > timezone.localdate():
        raise DomainError("future", _("A visit cannot be recorded in the future."))
    if data.place not in Place.values:
        raise DomainError("place_unknown", _("Where was the visit?"))
    if data.relief_kind not in ReliefKind.values or data.relief_amount < 0:
        raise DomainError("relief_invalid", _("Check the relief given."))
    if data.relief_kind and not (data.relief_amount or data.relief_item.strip()):
        raise DomainError("relief_missing", _("Say what was given and its value."))
    staff = set(
        RoleAssignment.objects.filter(community=community, role__in=roles.WORKERS).values_list(
            "user_id", flat=True
        )
    )
    visitors = [v for v in data.visitors if v.pk in staff]
    if not visitors or len(visitors) != len(data.visitors):
        raise DomainError("visitors_invalid", _("Name who went: staff of this community."))
    event = (
        CareEvent.objects.filter(resident=resident, occurred_on__lte=data.visited_on)
        .order_by("-occurred_on")
        .first()
    )
    with atomic_action():
        visit = Visit.objects.create(
            community=community,
            resident=resident,
            visited_on=data.visited_on,
            place=data.place,
            volunteers=data.volunteers.strip()[:200],
            health=data.health.strip(),
            living=data.living.strip(),
            needs=data.needs.strip(),
            relief_kind=data.relief_kind,
            relief_amount=data.relief_amount if data.relief_kind else Decimal("0"),
            relief_item=data.relief_item.strip()[:200],
            photo_consent=data.photo_consent,
            event=event,
            created_by=actor,
            idempotency_key=idempotency_key,
        )
        visit.visitors.set(visitors)
        _audit(actor, "visit", community, resident, name=resident.name, place=data.place)
    return visit


def raise_need(*, actor: Any, visit: Visit, category: Any, text: str) -> Appeal:
    """A need found on the visit becomes an appeal (entered on the visit), linked to it: the
    appeal and the link commit together or not at all."""
    VISIT_FLOW.check(actor, visit, "raise_need")
    resident = visit.resident
    with atomic_action():
        # The visit's row is locked (whatever it holds), so a second click waits here and then
        # finds the need raised.
        locked = Visit.objects.select_for_update().only("appeal").get(pk=visit.pk)
        if locked.appeal_id is not None:
            raise DomainError("need_raised", _("This visit's need is already an appeal."))
        appeal = submit_appeal(
            actor=actor,
            community=visit.community,
            channel="visit",
            category=category,
            text=text,
            resident=resident,
            place="" if resident.household_id else str(_("Found on a care visit")),
            idempotency_key=f"care-visit-{visit.pk}",
        )
        Visit.objects.filter(pk=visit.pk).update(appeal=appeal)
        _audit(
            actor,
            "need_raised",
            visit.community,
            resident,
            name=resident.name,
            appeal=appeal.number,
        )
    visit.appeal = appeal
    return appeal


def open_relief_application(
    *, actor: Any, visit: Visit, pledge_signed: bool, consent_to_checks: bool
) -> Application:
    """A need found on the visit becomes a temporary-relief application for the household
    (incomes to be completed by the reviewers), linked to the visit: the application and the
    link commit together or not at all."""
    VISIT_FLOW.check(actor, visit, "open_application")
    resident = visit.resident
    if resident.household is None:
        raise DomainError("no_household", _("%(name)s has no household here."), name=resident.name)
    programme = (
        Programme.objects.filter(kind=ProgrammeKind.TEMPORARY, active=True)
        .filter(Q(community__isnull=True) | Q(community=visit.community))
        .order_by("community_id")
        .first()
    )
    if programme is None:
        raise DomainError("programme_unknown", _("Temporary relief is not offered here."))
    members = tuple(
        MemberInput(r) for r in Resident.objects.filter(household=resident.household).active()
    )
    with atomic_action():
        # The visit's row is locked (whatever it holds), so a second click waits here and then
        # finds the application opened.
        locked = Visit.objects.select_for_update().only("application").get(pk=visit.pk)
        if locked.application_id is not None:
            raise DomainError("application_opened", _("This visit already opened an application."))
        application = submit_application(
            actor=actor,
            community=visit.community,
            idempotency_key=f"care-visit-relief-{visit.pk}",
            data=ApplicationInput(
                programme=programme,
                household=resident.household,
                applicant=resident,
                members=members,
                reason=visit.needs or str(_("Need found on a care visit")),
                pledge_signed=pledge_signed,
                consent_to_checks=consent_to_checks,
            ),
        )
        Visit.objects.filter(pk=visit.pk).update(application=application)
        _audit(actor, "application_opened", visit.community, resident, name=resident.name)
    visit.application = application
    return application


def reveal_health(*, actor: Any, visit: Visit) -> str:
    """Health findings are sensitive: shown on request, and each reveal is audited."""
    VISIT_FLOW.check(actor, visit, "reveal_health")
    with atomic_action():
        _audit(actor, "health_revealed", visit.community, visit.resident, name=visit.resident.name)
    return str(visit.health)


# --- relief campaigns -----------------------------------------------------------------------


def create_relief(
    *,
    actor: Any,
    community: Community,
    title: str,
    budget: Decimal,
    per_person_limit: Decimal,
    standard_amount: Decimal,
    standard_item: str = "",
    tags: tuple[str, ...] = (),
) -> ReliefCampaign:
    require_role(actor, community, *roles.LEADERS)
    if not title.strip():
        raise DomainError("title_missing", _("A title is needed."))
    if budget <= 0 or per_person_limit <= 0 or standard_amount < 0:
        raise DomainError("amounts_invalid", _("Amounts must be positive."))
    if standard_amount > per_person_limit:
        raise DomainError("over_limit", _("Each would receive more than the per-person limit."))
    unknown = set(tags) - set(CARE_TAGS)
    if unknown:
        raise DomainError(
            "tag_unknown", _("Not a care tag: %(tags)s."), tags="、".join(sorted(unknown))
        )
    with atomic_action():
        campaign = ReliefCampaign.objects.create(
            community=community,
            title=title.strip()[:200],
            budget=budget,
            per_person_limit=per_person_limit,
            standard_amount=standard_amount,
            standard_item=standard_item.strip()[:200],
            tags=list(tags),
            created_by=actor,
        )
        _audit(actor, "relief_created", community, campaign, title=campaign.title)
    return campaign


def open_relief(*, actor: Any, campaign: ReliefCampaign) -> ReliefCampaign:
    """The target list from the register (residents with the campaign's tags, or everyone on
    the register); it must fit the budget at the standard amount."""
    RELIEF_FLOW.check(actor, campaign, "open")
    with atomic_action():
        campaign = ReliefCampaign.objects.select_for_update().get(pk=campaign.pk)
        RELIEF_FLOW.check_status(campaign, "open")
        targets = register(campaign.community)
        if campaign.tags:
            targets = targets.filter(tags__code__in=campaign.tags).distinct()
        residents = list(targets.values_list("pk", flat=True))
        if campaign.standard_amount * len(residents) > campaign.budget:
            raise DomainError(
                "over_budget",
                _("%(n)s residents at %(amount)s yuan exceed the budget of %(budget)s yuan."),
                n=len(residents),
                amount=campaign.standard_amount,
                budget=campaign.budget,
            )
        Recipient.objects.bulk_create(
            Recipient(campaign=campaign, resident_id=pk) for pk in residents
        )
        campaign.status = RELIEF_FLOW.step("open").target
        campaign.save(update_fields=["status"])
        _audit(
            actor,
            "relief_opened",
            campaign.community,
            campaign,
            title=campaign.title,
            recipients=len(residents),
        )
    return campaign


def add_recipient(*, actor: Any, campaign: ReliefCampaign, resident: Resident) -> Recipient:
    """Someone the list missed, added while the campaign is distributed."""
    RELIEF_FLOW.check(actor, campaign, "add_recipient")
    if resident.community_id != campaign.community_id:
        raise DomainError(
            "resident_elsewhere", _("%(name)s lives in another community."), name=resident.name
        )
    with atomic_action():
        # Locked, so the same resident added twice at once is found on the list.
        locked = ReliefCampaign.objects.select_for_update().get(pk=campaign.pk)
        RELIEF_FLOW.check_status(locked, "add_recipient")
        if Recipient.objects.filter(campaign=locked, resident=resident).exists():
            raise DomainError(
                "duplicate_recipient", _("%(name)s is already on the list."), name=resident.name
            )
        recipient = Recipient.objects.create(campaign=locked, resident=resident)
        _audit(actor, "recipient_added", campaign.community, campaign, name=resident.name)
    return recipient


def give_relief(
    *,
    actor: Any,
    recipient: Recipient,
    amount: Decimal | None = None,
    item: str | None = None,
    signature: Any = None,
) -> Recipient:
    """Hand over and sign off: the recipient's signature photo, or the staff member confirms.
    Never twice from one campaign, never over the per-person limit or the budget."""
    campaign = recipient.campaign
    RELIEF_FLOW.check(actor, campaign, "give")
    value = campaign.standard_amount if amount is None else amount
    if value < 0:
        raise DomainError("amount_invalid", _("The amount cannot be negative."))
    if value > campaign.per_person_limit:
        raise DomainError(
            "over_limit",
            _("At most %(limit)s yuan per person in this campaign."),
            limit=campaign.per_person_limit,
        )
    with atomic_action():
        locked_campaign = ReliefCampaign.objects.select_for_update().get(pk=campaign.pk)
        RELIEF_FLOW.check_status(locked_campaign, "give")
        locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
        if locked.received_on is not None:
            raise DomainError(
                "already_received",
                _("%(name)s has already received this."),
                name=locked.resident.name,
            )
        given = given_so_far(locked_campaign)
        if given + value > locked_campaign.budget:
            raise DomainError(
                "over_budget",
                _("Only %(left)s yuan of the budget is left."),
                left=locked_campaign.budget - given,
            )
        locked.amount = value
        locked.item = campaign.standard_item if item is None else item.strip()[:200]
        locked.received_on = timezone.localdate()
        locked.confirmed_by = actor
        if signature is not None:
            locked.signed_photo = signature
        locked.save()
        _audit(
            actor,
            "relief_given",
            campaign.community,
            campaign,
            name=locked.resident.name,
            amount=str(value),
        )
    return locked


def close_relief(*, actor: Any, campaign: ReliefCampaign) -> ReliefCampaign:
    """The distribution ends; the ledger's totals are recorded."""
    RELIEF_FLOW.check(actor, campaign, "close")
    with atomic_action():
        campaign = ReliefCampaign.objects.select_for_update().get(pk=campaign.pk)
        RELIEF_FLOW.check_status(campaign, "close")
        campaign.status = RELIEF_FLOW.step("close").target
        campaign.save(update_fields=["status"])
        totals = ledger(campaign)
        _audit(
            actor,
            "relief_closed",
            campaign.community,
            campaign,
            title=campaign.title,
            given=str(totals.given),
        )
    return campaign


# --- the daily reminder ---------------------------------------------------------------------


def tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Once a day, each worker is told how many of their visits are overdue."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminded = 0
    for community in Community.objects.filter(pk__in=VisitPolicy.objects.values("community")):
        overdue: dict[int, tuple[User, int]] = {}
        for due in schedule(community, today):
            if due.worker is not None and due.due_on < today:
                user, n = overdue.get(due.worker.pk, (due.worker, 0))
                overdue[due.worker.pk] = (user, n + 1)
        for user, n in overdue.values():
            already = Notification.objects.filter(
                user=user, code="care.overdue", data__day=today.isoformat()
            )
            if already.exists():
                continue
            notify(
                users=[user],
                code="care.overdue",
                community=community,
                data={"n": n, "day": today.isoformat()},
                url="",
            )
            reminded += 1
    return {"care_reminded": reminded}
