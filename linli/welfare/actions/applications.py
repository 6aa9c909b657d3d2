"""An application from its submission to the information checks: the household applies, the
materials are checked (everything missing listed at once), two investigators visit, the
sources are checked; 特困 members are assessed for self-care. Related staff take no part."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import require_role
from linli.core.calendar import add_working_days
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, User
from linli.core.roles import WELFARE_INTAKE
from linli.core.transactions import atomic_action
from linli.people.models import Household, Resident
from linli.welfare.actions.common import audit_case, lock, tell_household
from linli.welfare.benefits import MAX_MONTHLY_INCOME
from linli.welfare.exclusion import (
    community_staff,
    is_community_staff,
    is_own_household,
    related_staff,
)
from linli.welfare.models import (
    ACTIVITIES,
    OPEN_STATUSES,
    Application,
    Assessment,
    Benefit,
    InfoCheck,
    Investigation,
    Kinship,
    Material,
    Member,
    Programme,
    ProgrammeKind,
    Relation,
    Status,
    self_care_level,
)
from linli.welfare.workflow import APPLICATION_FLOW

# --- declaring relatives --------------------------------------------------------------------


def declare_relative(*, actor: Any, resident: Resident, relation: str) -> Kinship:
    """Staff and committee members declare their close relatives living in the community."""
    if not is_community_staff(actor, resident.community):
        raise AccessDenied(
            "access_denied", _("Only staff of this community declare relatives here.")
        )
    if relation not in Relation.values:
        raise DomainError("relation_unknown", _("Choose the relation."))
    with atomic_action():
        kinship, _created = Kinship.objects.update_or_create(
            staff=actor, resident=resident, defaults={"relation": relation}
        )
        # Cases still open, or benefits still paid, with this relative among the members:
        # excluded from now on (reviews and changes of a benefit included).
        live = Q(status__in=OPEN_STATUSES) | Q(
            benefit__state__in=[Benefit.State.ACTIVE, Benefit.State.SUSPENDED]
        )
        for application in Application.objects.filter(live, members__resident=resident).distinct():
            application.excluded_staff.add(actor)
            if not application.flagged:
                application.flagged = True
                application.save(update_fields=["flagged"])
                audit_case(actor, "registered_separately", application, staff=1)
        audit.record(
            actor=actor,
            code="welfare.relative_declared",
            community=resident.community,
            target=resident,
            data={"relation": relation},
        )
    return kinship


# --- the application ------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    resident: Resident
    wages: Decimal = Decimal("0")
    business: Decimal = Decimal("0")
    property_income: Decimal = Decimal("0")
    transfers: Decimal = Decimal("0")
    other: Decimal = Decimal("0")
    deductions: Decimal = Decimal("0")
    assets: Decimal = Decimal("0")

    @property
    def incomes(self) -> list[Decimal]:
        """The monthly amounts (assets apart)."""
        return [
            self.wages,
            self.business,
            self.property_income,
            self.transfers,
            self.other,
            self.deductions,
        ]


@dataclass(frozen=True)
class ApplicationInput:
    programme: Programme
    household: Household
    applicant: Resident
    members: tuple[MemberInput, ...]
    reason: str
    pledge_signed: bool
    consent_to_checks: bool
    agent_name: str = ""
    agent_authorised: bool = False
    provided: tuple[str, ...] = ()


def _check_application(community: Community, data: ApplicationInput) -> None:
    """The application itself: the programme, the household, the pledge, the agent."""
    programme, household = data.programme, data.household
    if not programme.active or programme.community_id not in (None, community.pk):
        raise DomainError("programme_unknown", _("This programme is not offered here."))
    if household.community_id != community.pk:
        raise DomainError("household_elsewhere", _("The household lives in another community."))
    if not data.reason.strip():
        raise DomainError("reason_missing", _("Say why the household applies."))
    if not (data.pledge_signed and data.consent_to_checks):
        raise DomainError(
            "pledge_missing",
            _("The truthfulness pledge and the consent to information checks must be signed."),
        )
    if data.agent_name.strip() and not data.agent_authorised:
        raise DomainError("agent_unauthorised", _("An agent needs the household's authorisation."))


def _check_members(community: Community, data: ApplicationInput) -> list[Resident]:
    """The members: the applicant among them, each once, living here, amounts plausible."""
    residents = [m.resident for m in data.members]
    if not residents or data.applicant not in residents:
        raise DomainError(
            "members_missing", _("List the household's members, the applicant among them.")
        )
    if len({r.pk for r in residents}) != len(residents):
        raise DomainError("member_twice", _("A member is listed twice."))
    for member in data.members:
        name = member.resident.name
        if member.resident.community_id != community.pk or member.resident.status != "active":
            raise DomainError("member_elsewhere", _("%(name)s does not live here."), name=name)
        if any(a < 0 for a in [*member.incomes, member.assets]):
            raise DomainError(
                "income_negative", _("%(name)s: amounts cannot be negative."), name=name
            )
        if any(a > MAX_MONTHLY_INCOME for a in member.incomes):
            raise DomainError(
                "income_absurd",
                _("%(name)s: a monthly amount over a million is not plausible."),
                name=name,
            )
    return residents


def _check_not_twice(programme: Programme, residents: list[Resident]) -> None:
    """Nobody in two applications under review, nor in a household already receiving it."""
    busy = Resident.objects.filter(pk__in=[r.pk for r in residents]).filter(
        Q(pk__in=Member.objects.filter(application__status__in=OPEN_STATUSES).values("resident"))
    )
    if busy.exists():
        raise DomainError(
            "member_in_application",
            _("%(names)s already in another application under review."),
            names="、".join(r.name for r in busy),
        )
    # A suspended benefit still counts: resuming it must not meet a second one.
    receiving = Benefit.objects.filter(
        state__in=[Benefit.State.ACTIVE, Benefit.State.SUSPENDED], programme=programme
    ).filter(household__members__in=residents)
    if receiving.exists():
        raise DomainError(
            "member_receiving", _("A member's household already receives this programme.")
        )


def submit_application(
    *, actor: Any, community: Community, data: ApplicationInput, idempotency_key: str
) -> Application:
    """A household applies (itself, through staff, or through an agent with authorisation).
    Related staff are found and excluded at once; the case is registered separately."""
    existing = Application.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if not is_own_household(actor, data.household.pk):
        require_role(actor, community, *WELFARE_INTAKE)
    _check_application(community, data)
    residents = _check_members(community, data)
    _check_not_twice(data.programme, residents)
    related = related_staff(community, residents, data.household)
    with atomic_action():
        application = Application.objects.create(
            community=community,
            programme=data.programme,
            household=data.household,
            applicant=data.applicant,
            agent_name=data.agent_name.strip()[:50],
            agent_authorised=data.agent_authorised,
            pledge_signed=True,
            consent_to_checks=True,
            reason=data.reason.strip(),
            submitted_by=actor,
            flagged=bool(related),
            idempotency_key=idempotency_key,
        )
        application.excluded_staff.set(related)
        _create_members(application, data)
        audit_case(actor, "submitted", application, flagged=bool(related))
        if related:
            audit_case(actor, "registered_separately", application, staff=len(related))
    return application


def _create_members(application: Application, data: ApplicationInput) -> None:
    Member.objects.bulk_create(
        Member(
            application=application,
            resident=m.resident,
            wages=m.wages,
            business=m.business,
            property_income=m.property_income,
            transfers=m.transfers,
            other=m.other,
            deductions=m.deductions,
            assets=m.assets,
        )
        for m in data.members
    )
    Material.objects.bulk_create(
        Material(application=application, name=name, provided=name in data.provided)
        for name in data.programme.materials
    )


# --- materials ------------------------------------------------------------------------------


def check_materials(*, actor: Any, application: Application) -> list[str]:
    """The materials check: every missing item listed at once (一次性告知); complete: accepted,
    with the investigation due within 3 working days and the whole process within 30."""
    APPLICATION_FLOW.check_access(actor, application, "materials")
    with atomic_action():
        application = lock(application)
        APPLICATION_FLOW.check_status(application, "materials")
        missing = list(application.materials.filter(provided=False).values_list("name", flat=True))
        if missing:
            application.status = Status.MATERIALS_MISSING
            application.save(update_fields=["status"])
            audit_case(actor, "materials_missing", application, missing="、".join(missing))
            tell_household(
                application, "welfare.materials_missing", {"missing": "、".join(missing)}
            )
            return missing
        now = timezone.now()
        application.status = Status.ACCEPTED
        application.accepted_at = now
        application.investigation_due = add_working_days(now, 3).at
        application.process_due = add_working_days(now, 30).at
        application.save(
            update_fields=["status", "accepted_at", "investigation_due", "process_due"]
        )
        audit_case(actor, "accepted", application)
    return []


def provide_materials(*, actor: Any, application: Application, names: list[str]) -> Application:
    """Missing materials handed in (by the household or staff receiving them)."""
    if not is_own_household(actor, application.household_id):
        APPLICATION_FLOW.check_access(actor, application, "provide")
    with atomic_action():
        application = lock(application)
        APPLICATION_FLOW.check_status(application, "provide")
        unknown = set(names) - set(application.materials.values_list("name", flat=True))
        if unknown:
            raise DomainError(
                "material_unknown",
                _("Not a material of this programme: %(names)s."),
                names="、".join(sorted(unknown)),
            )
        application.materials.filter(name__in=names).update(provided=True)
        audit_case(actor, "materials_provided", application, materials="、".join(names))
    return application


# --- the investigation and the checks -------------------------------------------------------


def _check_investigators(application: Application, people: dict[int, User]) -> None:
    if len(people) < 2:
        raise DomainError(
            "investigators_missing", _("A home investigation needs at least two investigators.")
        )
    excluded = set(application.excluded_staff.values_list("pk", flat=True))
    if excluded & set(people):
        raise DomainError(
            "investigator_related", _("An investigator is related to this household.")
        )
    if not set(people) <= community_staff(application.community):
        raise DomainError(
            "investigator_elsewhere", _("Investigators must be staff of this community.")
        )


def record_investigation(
    *,
    actor: Any,
    application: Application,
    investigators: list[User],
    visited_on: dt.date,
    findings: str,
    signature: Any = None,
    signed_on_screen: bool = False,
) -> Investigation:
    """The home investigation: at least two investigators, none related, the family's signature."""
    APPLICATION_FLOW.check_access(actor, application, "investigate")
    people = {u.pk: u for u in investigators}
    _check_investigators(application, people)
    if visited_on > timezone.localdate():
        raise DomainError("future", _("That date is in the future."))
    if not findings.strip():
        raise DomainError("findings_missing", _("Write what the investigation found."))
    if signature is None and not signed_on_screen:
        raise DomainError(
            "signature_missing", _("The family's signature is needed (a photo or on screen).")
        )
    with atomic_action():
        application = lock(application)
        APPLICATION_FLOW.check_status(application, "investigate")
        investigation = Investigation.objects.create(
            application=application,
            visited_on=visited_on,
            findings=findings.strip(),
            family_signature=signature,
            family_signed_on_screen=signed_on_screen,
            recorded_by=actor,
        )
        investigation.investigators.set(people.values())
        application.status = Status.INVESTIGATED
        application.save(update_fields=["status"])
        audit_case(actor, "investigated", application, investigators=len(people))
    return investigation


def record_checks(
    *, actor: Any, application: Application, results: list[tuple[str, str, bool]]
) -> Application:
    """The information checks, per source (tax, housing, vehicles, bank, social insurance)."""
    APPLICATION_FLOW.check_access(actor, application, "checks")
    if not results or any(
        not source.strip() or not result.strip() for source, result, _ok in results
    ):
        raise DomainError("checks_missing", _("Record each source and its result."))
    with atomic_action():
        application = lock(application)
        APPLICATION_FLOW.check_status(application, "checks")
        InfoCheck.objects.bulk_create(
            InfoCheck(
                application=application,
                source=s.strip()[:100],
                result=r.strip(),
                consistent=ok,
                recorded_by=actor,
            )
            for s, r, ok in results
        )
        application.status = Status.CHECKED
        application.save(update_fields=["status"])
        audit_case(actor, "checked", application, sources=len(results))
    return application


# --- 特困: the self-care assessment -----------------------------------------------------------


def assess_self_care(
    *,
    actor: Any,
    application: Application,
    resident: Resident,
    done: dict[str, bool],
    assessed_on: dt.date | None = None,
) -> Assessment:
    """Record which of the six activities a member does unaided; the level follows from the
    count (特困人员认定办法). Assessed again before the opinion, the later one stands."""
    APPLICATION_FLOW.check_access(actor, application, "assess")
    if application.programme.kind != ProgrammeKind.TEKUN:
        raise DomainError(
            "assessment_not_needed", _("Only extreme poverty support assesses self-care.")
        )
    day = assessed_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("date_future", _("An assessment cannot be dated in the future."))
    if set(done) - {key for key, _label in ACTIVITIES}:
        raise DomainError("activity_unknown", _("Unknown activity."))
    done = {key: bool(done.get(key, False)) for key, _label in ACTIVITIES}
    with atomic_action():
        application = lock(application)
        APPLICATION_FLOW.check_status(application, "assess")
        if not application.members.filter(resident=resident).exists():
            raise DomainError(
                "not_member", _("%(name)s is not in this application."), name=resident.name
            )
        level = self_care_level(done)
        assessment, _created = Assessment.objects.update_or_create(
            application=application,
            resident=resident,
            defaults={"done": done, "level": level, "assessed_on": day, "assessed_by": actor},
        )
        audit_case(actor, "assessed", application, level=level, resident=resident.pk)
    return assessment


# --- the deadline, and reading the case -----------------------------------------------------


def extend(*, actor: Any, application: Application, reason: str) -> Application:
    """Once, to 45 working days, with a reason."""
    APPLICATION_FLOW.check_access(actor, application, "extend")
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    with atomic_action():
        application = lock(application)
        if application.extended_reason:
            raise DomainError("extended", _("The process can be extended only once."))
        APPLICATION_FLOW.check_status(application, "extend")
        if application.accepted_at is None:
            raise DomainError("step_order", _("Only an accepted open case can be extended."))
        application.extended_reason = reason.strip()[:300]
        application.process_due = add_working_days(application.accepted_at, 45).at
        application.save(update_fields=["extended_reason", "process_due"])
        audit_case(actor, "extended", application)
    return application


def open_case(*, actor: Any, application: Application) -> Application:
    """Opening a case shows the household's income and findings: every view is audited."""
    APPLICATION_FLOW.check_access(actor, application, "view")
    with atomic_action():
        audit_case(actor, "viewed", application)
    return application
