"""Who is on the care register, when each is next due a visit and who goes, and how well each
grid is covered: reads that the pages, the tick and the actions share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.care.models import (
    CARE_TAGS,
    CareEntry,
    CareEvent,
    CareProfile,
    Level,
    Visit,
    VisitPolicy,
)
from linli.core import roles
from linli.core.models import Community, Role, RoleAssignment, User
from linli.people.models import Resident, ResidentQuerySet


def register(community: Community, on: dt.date | None = None) -> ResidentQuerySet:
    """Residents in difficulty: tagged with a care tag, or entered by hand for the day."""
    day = on or timezone.localdate()
    entered = CareEntry.objects.filter(community=community, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    return (
        Resident.objects.filter(community=community)
        .active()
        .filter(Q(tags__code__in=CARE_TAGS) | Q(pk__in=entered.values("resident")))
        .distinct()
    )


@dataclass
class Due:
    resident: Resident
    every_days: int | None
    last_visit: dt.date | None
    due_on: dt.date
    reasons: list[str] = field(default_factory=list)
    worker: User | None = None

    def overdue_days(self, today: dt.date) -> int:
        return (today - self.due_on).days


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def interval(
    policies: list[VisitPolicy], tags: set[str], level: str, age: int
) -> tuple[int | None, list[str]]:
    """The shortest interval of the policies that apply, and the reasons."""
    matching = [
        p
        for p in policies
        if ((p.tag and p.tag in tags) or (p.level and p.level == level))
        and (p.min_age is None or age >= p.min_age)
    ]
    if not matching:
        return None, []
    best = min(p.every_days for p in matching)
    return best, [str(p) for p in matching if p.every_days == best]


def grid_workers(community: Community) -> dict[int | None, User]:
    """The first staff member of each grid, by grid id."""
    workers: dict[int | None, User] = {}
    for assignment in (
        RoleAssignment.objects.filter(community=community, role=Role.STAFF, grid__isnull=False)
        .select_related("user")
        .order_by("pk")
    ):
        workers.setdefault(assignment.grid_id, assignment.user)
    return workers


@dataclass
class _History:
    """What the schedule needs to know about the residents' past, by resident id."""

    last_visit: dict[int, dt.date]
    # The earliest date a pending event (no visit since) calls for a visit by.
    event_due: dict[int, dt.date]
    # The first day of an entry by hand on the register.
    entered_on: dict[int, dt.date]

    @classmethod
    def of(cls, ids: Iterable[int]) -> _History:
        ids = list(ids)
        last: dict[int, dt.date] = {}
        for resident_id, visited_on in Visit.objects.filter(resident_id__in=ids).values_list(
            "resident_id", "visited_on"
        ):
            if visited_on > last.get(resident_id, dt.date.min):
                last[resident_id] = visited_on
        events: dict[int, dt.date] = {}
        for event in CareEvent.objects.filter(resident_id__in=ids).order_by("occurred_on"):
            visited = last.get(event.resident_id)
            if visited is None or visited < event.occurred_on:
                due = event.occurred_on + dt.timedelta(days=event.visit_within_days)
                events[event.resident_id] = min(due, events.get(event.resident_id, due))
        since: dict[int, dt.date] = {}
        for resident_id, starts_on in CareEntry.objects.filter(resident_id__in=ids).values_list(
            "resident_id", "starts_on"
        ):
            since[resident_id] = min(starts_on, since.get(resident_id, starts_on))
        return cls(last, events, since)


class _Visitors:
    """Who visits a resident: the worker their care profile names, if still on the staff,
    else the first staff member of their grid."""

    def __init__(self, community: Community) -> None:
        self.staff_ids = set(
            RoleAssignment.objects.filter(community=community, role__in=roles.WORKERS).values_list(
                "user_id", flat=True
            )
        )
        self.by_grid = grid_workers(community)

    def of(self, resident: Resident) -> User | None:
        profile: CareProfile | None = getattr(resident, "care_profile", None)
        if profile is not None and profile.worker_id in self.staff_ids:
            return profile.worker
        household = resident.household
        if household is None or household.entrance is None:
            return None
        return self.by_grid.get(household.entrance.building.grid_id)


def _due(
    resident: Resident, policies: list[VisitPolicy], history: _History, today: dt.date
) -> tuple[int | None, dt.date, list[str]]:
    """(interval, due date, reasons) of one resident on the register."""
    profile = getattr(resident, "care_profile", None)
    level = profile.level if profile else Level.ORDINARY
    every, reasons = interval(
        policies, {t.code for t in resident.tags.all()}, level, _age(resident.birth_date, today)
    )
    visited = history.last_visit.get(resident.pk)
    if visited is None:
        # Never visited: due since they came on the register (created, or entered by hand).
        due = min(
            history.entered_on.get(resident.pk, today), timezone.localdate(resident.created_at)
        )
    elif every is None:
        due = dt.date.max  # visited, and no policy asks for another visit
    else:
        due = visited + dt.timedelta(days=every)
    if resident.pk in history.event_due:
        due = min(due, history.event_due[resident.pk])
        reasons = [*reasons, str(_("event"))]
    return every, due, reasons


def schedule(
    community: Community, today: dt.date | None = None, resident: Resident | None = None
) -> list[Due]:
    """Everyone on the register (or just `resident`) with their next due date and visitor,
    most overdue first. A pending event (hospitalised, bereaved) brings the date forward until
    a visit follows it; someone never visited is due from the day they came on the register."""
    today = today or timezone.localdate()
    policies = list(VisitPolicy.objects.filter(community=community))
    on_register = register(community, today)
    if resident is not None:
        on_register = on_register.filter(pk=resident.pk)
    residents = list(
        on_register.select_related(
            "care_profile__worker", "household__entrance__building__grid"
        ).prefetch_related("tags")
    )
    history = _History.of(r.pk for r in residents)
    visitors = _Visitors(community)
    result = []
    for person in residents:
        every, due, reasons = _due(person, policies, history, today)
        result.append(
            Due(person, every, history.last_visit.get(person.pk), due, reasons, visitors.of(person))
        )
    result.sort(key=lambda d: (d.due_on, d.resident.pk))
    return result


@dataclass
class Coverage:
    grid: str
    residents: int
    on_time: int
    unassigned: int

    @property
    def share(self) -> Decimal | None:
        if not self.residents:
            return None
        return (Decimal(self.on_time) * 100 / self.residents).quantize(Decimal("0.1"))


def coverage(
    community: Community, today: dt.date | None = None, dues: list[Due] | None = None
) -> list[Coverage]:
    """Per grid: residents on the register, how many are visited on time, how many have
    nobody to visit them (their worker left and nobody was assigned). `dues`: the schedule,
    when the caller has it already."""
    today = today or timezone.localdate()
    rows: dict[str, Coverage] = {}
    for due in schedule(community, today) if dues is None else dues:
        household = due.resident.household
        building = household.entrance.building if household and household.entrance else None
        grid = building.grid.name if building and building.grid else str(_("No grid"))
        row = rows.setdefault(grid, Coverage(grid, 0, 0, 0))
        row.residents += 1
        row.on_time += due.due_on >= today
        row.unassigned += due.worker is None
    return sorted(rows.values(), key=lambda c: c.grid)
