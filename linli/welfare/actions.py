"""Every step of a welfare application, in the order the 办法 fixes, with the anti-favouritism
rules enforced here rather than promised: related staff are excluded from every step,
investigators, reviewer and decider are different people, and nothing skips a step."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.core import audit
from linli.core.access import require_role
from linli.core.calendar import add_working_days
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, Role, RoleAssignment, User
from linli.core.transactions import atomic_action
from linli.people.models import Household, Resident
from linli.welfare.models import (
    ACTIVITIES,
    OPEN_STATUSES,
    Application,
    Assessment,
    Benefit,
    BenefitChange,
    InfoCheck,
    Investigation,
    Kinship,
    Material,
    Member,
    Programme,
    ProgrammeKind,
    Relation,
    SelfCare,
    Status,
    self_care_level,
)

REVIEWERS = (Role.WELFARE_REVIEWER, Role.LEADER)
INTAKE = (Role.WELFARE_REVIEWER, Role.LEADER, Role.STAFF)
EDGE_FACTOR = Decimal("1.5")
MAX_MONTHLY_INCOME = Decimal("1000000")
CENT = Decimal("0.01")


def _audit(actor: Any, code: str, application: Application, **data: Any) -> None:
    audit.record(
        actor=actor,
        code=f"welfare.{code}",
        community=application.community,
        target=application,
        data={"number": application.pk, **data},
    )


# --- the benefit ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Calculation:
    members: int
    total_income: Decimal
    per_capita: Decimal
    standard: Decimal
    amount: Decimal
    edge: bool
    # 特困: the care standards added for each member's self-care level.
    care: Decimal = Decimal("0")
    unassessed: int = 0
    kind: str = ProgrammeKind.DIBAO
    # Temporary relief before the opinion: no amount proposed yet.
    pending: bool = False

    @property
    def working(self) -> str:
        if self.kind == ProgrammeKind.TEKUN:
            text = gettext(
                "Basic living standard %(std)s × %(n)s members + care standards %(care)s = "
                "%(amount)s yuan a month."
            ) % {"std": self.standard, "n": self.members, "care": self.care, "amount": self.amount}
            if self.unassessed:
                text += " " + gettext(
                    "%(n)s members not yet assessed for self-care (no care standard counted)."
                ) % {"n": self.unassessed}
            return text
        if self.kind == ProgrammeKind.TEMPORARY and self.pending:
            return gettext(
                "Household income %(total)s ÷ %(n)s members = %(per)s per person; the "
                "preliminary opinion will propose the one-off amount."
            ) % {"total": self.total_income, "n": self.members, "per": self.per_capita}
        if self.kind == ProgrammeKind.TEMPORARY:
            return gettext(
                "Household income %(total)s ÷ %(n)s members = %(per)s per person; one-off relief "
                "of %(amount)s yuan, as the preliminary opinion proposes."
            ) % {
                "total": self.total_income,
                "n": self.members,
                "per": self.per_capita,
                "amount": self.amount,
            }
        return gettext(
            "Household income %(total)s ÷ %(n)s members = %(per)s per person; standard %(std)s; "
            "benefit (%(std)s − %(per)s) × %(n)s = %(amount)s yuan a month."
        ) % {
            "total": self.total_income,
            "n": self.members,
            "per": self.per_capita,
            "std": self.standard,
            "amount": self.amount,
        }


def calculate(standard: Decimal, incomes: list[Decimal]) -> Calculation:
    """Per-capita income and the benefit: (standard − per-capita income) × members, never
    below zero; an edge household has per-capita income from the standard up to 1.5 × it."""
    n = len(incomes)
    if n == 0:
        raise DomainError("members_missing", _("The household has no members."))
    total = sum(incomes, Decimal("0"))
    per_capita = (total / n).quantize(CENT, ROUND_HALF_UP)
    amount = max(Decimal("0"), (standard - per_capita) * n).quantize(CENT, ROUND_HALF_UP)
    edge = standard <= per_capita < standard * EDGE_FACTOR
    return Calculation(n, total, per_capita, standard, amount, edge)


def care_standard(programme: Programme, level: str) -> Decimal:
    return {
        SelfCare.ABLE: programme.care_able,
        SelfCare.PARTIAL: programme.care_partial,
        SelfCare.FULL: programme.care_full,
    }[SelfCare(level)]


def calculate_tekun(programme: Programme, incomes: list[Decimal], levels: list[str]) -> Calculation:
    """特困: the basic living standard for each member supported, plus the care standard of
    each assessed member's self-care level; income is shown, not deducted."""
    base = calculate(programme.monthly_standard, incomes)
    care = sum((care_standard(programme, level) for level in levels), Decimal("0"))
    amount = (programme.monthly_standard * base.members + care).quantize(CENT, ROUND_HALF_UP)
    return replace(
        base,
        amount=amount,
        edge=False,
        care=care,
        unassessed=base.members - len(levels),
        kind=ProgrammeKind.TEKUN,
    )


def calculation_for(application: Application) -> Calculation:
    programme = application.programme
    incomes = [m.income for m in application.members.all()]
    if programme.kind == ProgrammeKind.TEKUN:
        levels = list(application.assessments.values_list("level", flat=True))
        return calculate_tekun(programme, incomes, levels)
    base = calculate(programme.monthly_standard, incomes)
    if programme.kind == ProgrammeKind.TEMPORARY:
        return replace(
            base,
            amount=application.proposed_amount or Decimal("0"),
            kind=ProgrammeKind.TEMPORARY,
            pending=application.proposed_amount is None,
        )
    return base


# --- who may act on a case ------------------------------------------------------------------


def related_staff(
    community: Community, residents: list[Resident], household: Household
) -> set[int]:
    """Staff and committee members who must stay out of a case: a member is their declared
    close relative, or they live in the household or at its address themselves."""
    staff = set(
        RoleAssignment.objects.filter(community=community)
        .exclude(role__in=[Role.RESIDENT, Role.LIAISON])
        .values_list("user_id", flat=True)
    )
    related = set(
        Kinship.objects.filter(resident__in=residents, staff_id__in=staff).values_list(
            "staff_id", flat=True
        )
    )
    same_place = Q(household=household)
    if household.entrance_id:
        same_place |= Q(
            household__entrance_id=household.entrance_id, household__room=household.room
        )
    related |= set(
        Resident.objects.filter(same_place, user_id__in=staff, status="active").values_list(
            "user_id", flat=True
        )
    )
    return related


def _check_actor(actor: Any, application: Application, *roles: str) -> None:
    """The role for the step, and not excluded from this case."""
    require_role(actor, application.community, *roles)
    if application.excluded_staff.filter(pk=getattr(actor, "pk", 0)).exists():
        raise AccessDenied(
            "excluded",
            _("You are related to this household and take no part in its case."),
        )


def visible_applications(user: Any, community: Community) -> Any:
    """What a member of staff may open: every case but those they are excluded from."""
    return Application.objects.filter(community=community).exclude(excluded_staff=user)


def visible_benefits(user: Any, community: Community) -> Any:
    """The benefits a member of staff may see: none of a case they are excluded from."""
    return Benefit.objects.filter(household__community=community).exclude(
        application__excluded_staff=getattr(user, "pk", None) or 0
    )


def _case_staff(application: Application, *roles: str) -> list[User]:
    """Who holds one of `roles` in the case's community, less those excluded from it."""
    return list(
        User.objects.filter(roles__role__in=roles, roles__community=application.community)
        .exclude(pk__in=application.excluded_staff.values("pk"))
        .distinct()
    )


def _tell_household(application: Application, code: str, data: dict[str, Any]) -> None:
    """Notify the household's members who have accounts (in the caller's transaction)."""
    from linli.core.notify import notify

    users = list(
        User.objects.filter(resident__household=application.household_id, resident__status="active")
    )
    notify(users=users, code=code, community=application.community, data=data, url="")


def _step(application: Application, *allowed: str) -> None:
    if application.status not in allowed:
        raise DomainError(
            "step_order",
            _("This step cannot be taken while the application is “%(status)s”."),
            status=application.get_status_display(),
        )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("community", "programme", "household")
        .get(pk=application.pk)
    )


# --- declaring relatives --------------------------------------------------------------------


def declare_relative(*, actor: Any, resident: Resident, relation: str) -> Kinship:
    """Staff and committee members declare their close relatives living in the community."""
    if (
        not RoleAssignment.objects.filter(user=actor, community=resident.community)
        .exclude(role__in=[Role.RESIDENT, Role.LIAISON])
        .exists()
    ):
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
                _audit(actor, "registered_separately", application, staff=1)
        audit.record(
            actor=actor,
            code="welfare.relative_declared",
            community=resident.community,
            target=resident,
            data={"relation": relation},
        )
    return kinship


# --- application ----------------------------------------------------------------------------


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


def submit_application(
    *, actor: Any, community: Community, data: ApplicationInput, idempotency_key: str
) -> Application:
    """A household applies (itself, through staff, or through an agent with authorisation).
    Related staff are found and excluded at once; the case is registered separately."""
    existing = Application.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    own = Resident.objects.filter(
        user_id=getattr(actor, "pk", None) or 0, household=data.household, status="active"
    ).exists()
    if not own:
        require_role(actor, community, *INTAKE)
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
    residents = [m.resident for m in data.members]
    if not residents or data.applicant not in residents:
        raise DomainError(
            "members_missing", _("List the household's members, the applicant among them.")
        )
    if len({r.pk for r in residents}) != len(residents):
        raise DomainError("member_twice", _("A member is listed twice."))
    for member in data.members:
        if member.resident.community_id != community.pk or member.resident.status != "active":
            raise DomainError(
                "member_elsewhere", _("%(name)s does not live here."), name=member.resident.name
            )
        amounts = [
            member.wages,
            member.business,
            member.property_income,
            member.transfers,
            member.other,
            member.deductions,
            member.assets,
        ]
        if any(a < 0 for a in amounts):
            raise DomainError(
                "income_negative",
                _("%(name)s: amounts cannot be negative."),
                name=member.resident.name,
            )
        if any(a > MAX_MONTHLY_INCOME for a in amounts[:6]):
            raise DomainError(
                "income_absurd",
                _("%(name)s: a monthly amount over a million is not plausible."),
                name=member.resident.name,
            )
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
    related = related_staff(community, residents, household)
    with atomic_action():
        application = Application.objects.create(
            community=community,
            programme=programme,
            household=household,
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
            for name in programme.materials
        )
        _audit(actor, "submitted", application, flagged=bool(related))
        if related:
            audit.record(
                actor=actor,
                code="welfare.registered_separately",
                community=community,
                target=application,
                data={"number": application.pk, "staff": len(related)},
            )
    return application


def check_materials(*, actor: Any, application: Application) -> list[str]:
    """The materials check: every missing item listed at once (一次性告知); complete: accepted,
    with the investigation due within 3 working days and the whole process within 30."""
    _check_actor(actor, application, *REVIEWERS)
    with atomic_action():
        application = _lock(application)
        _step(application, Status.SUBMITTED, Status.MATERIALS_MISSING)
        missing = list(application.materials.filter(provided=False).values_list("name", flat=True))
        if missing:
            application.status = Status.MATERIALS_MISSING
            application.save(update_fields=["status"])
            _audit(actor, "materials_missing", application, missing="、".join(missing))
            _tell_household(
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
        _audit(actor, "accepted", application)
    return []


def provide_materials(*, actor: Any, application: Application, names: list[str]) -> Application:
    """Missing materials handed in (by the household or staff receiving them)."""
    own = Resident.objects.filter(
        user_id=getattr(actor, "pk", None) or 0, household=application.household_id
    ).exists()
    if not own:
        _check_actor(actor, application, *INTAKE)
    with atomic_action():
        application = _lock(application)
        _step(application, Status.SUBMITTED, Status.MATERIALS_MISSING)
        unknown = set(names) - set(application.materials.values_list("name", flat=True))
        if unknown:
            raise DomainError(
                "material_unknown",
                _("Not a material of this programme: %(names)s."),
                names="、".join(sorted(unknown)),
            )
        application.materials.filter(name__in=names).update(provided=True)
        _audit(actor, "materials_provided", application, materials="、".join(names))
    return application


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
    _check_actor(actor, application, *REVIEWERS, Role.STAFF)
    people = {u.pk: u for u in investigators}
    if len(people) < 2:
        raise DomainError(
            "investigators_missing", _("A home investigation needs at least two investigators.")
        )
    excluded = set(application.excluded_staff.values_list("pk", flat=True))
    if excluded & set(people):
        raise DomainError(
            "investigator_related", _("An investigator is related to this household.")
        )
    staff = set(
        RoleAssignment.objects.filter(community=application.community)
        .exclude(role__in=[Role.RESIDENT, Role.LIAISON])
        .values_list("user_id", flat=True)
    )
    if not set(people) <= staff:
        raise DomainError(
            "investigator_elsewhere", _("Investigators must be staff of this community.")
        )
    if visited_on > timezone.localdate():
        raise DomainError("future", _("That date is in the future."))
    if not findings.strip():
        raise DomainError("findings_missing", _("Write what the investigation found."))
    if signature is None and not signed_on_screen:
        raise DomainError(
            "signature_missing", _("The family's signature is needed (a photo or on screen).")
        )
    with atomic_action():
        application = _lock(application)
        _step(application, Status.ACCEPTED)
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
        _audit(actor, "investigated", application, investigators=len(people))
    return investigation


def record_checks(
    *, actor: Any, application: Application, results: list[tuple[str, str, bool]]
) -> Application:
    """The information checks, per source (tax, housing, vehicles, bank, social insurance)."""
    _check_actor(actor, application, *REVIEWERS)
    if not results or any(
        not source.strip() or not result.strip() for source, result, _ok in results
    ):
        raise DomainError("checks_missing", _("Record each source and its result."))
    with atomic_action():
        application = _lock(application)
        _step(application, Status.INVESTIGATED)
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
        _audit(actor, "checked", application, sources=len(results))
    return application


def _investigators(application: Application) -> set[int]:
    return set(
        User.objects.filter(
            pk__in=Investigation.objects.filter(application=application).values("investigators")
        ).values_list("pk", flat=True)
    )


def _reviewers(application: Application) -> set[int]:
    """Everyone who gave a preliminary opinion on the case, in any round (from the audit trail)."""
    from linli.core.models import AuditEvent

    found = set(
        AuditEvent.objects.filter(
            code="welfare.opinion",
            target_type=Application._meta.label_lower,
            target_id=str(application.pk),
        ).values_list("actor_id", flat=True)
    )
    if application.reviewer_id:
        found.add(application.reviewer_id)
    return {pk for pk in found if pk is not None}


def give_opinion(
    *, actor: Any, application: Application, opinion: str, amount: Decimal | None = None
) -> Application:
    """The preliminary opinion, by someone who did not investigate; then the public notice.
    The amount is calculated, except for temporary relief, where the opinion proposes it."""
    _check_actor(actor, application, *REVIEWERS)
    if not opinion.strip():
        raise DomainError("reasons_missing", _("The opinion needs its reasons."))
    if getattr(actor, "pk", None) in _investigators(application):
        raise DomainError(
            "same_person", _("An investigator cannot also give the preliminary opinion.")
        )
    programme = application.programme
    if programme.kind == ProgrammeKind.TEMPORARY:
        if amount is None or not amount.is_finite() or amount <= 0:
            raise DomainError(
                "amount_missing", _("Temporary relief needs the amount the opinion proposes.")
            )
        if amount > MAX_MONTHLY_INCOME:
            raise DomainError("amount_absurd", _("An amount over a million is not plausible."))
    with atomic_action():
        # Under the case's lock: no assessment can change the amount between here and the
        # notice, which publishes the amount stored now.
        application = _lock(application)
        _step(application, Status.CHECKED)
        if programme.kind == ProgrammeKind.TEKUN:
            assessed = set(application.assessments.values_list("resident_id", flat=True))
            missing = [
                m.resident.name
                for m in application.members.select_related("resident")
                if m.resident_id not in assessed
            ]
            if missing:
                raise DomainError(
                    "assessment_missing",
                    _("Assess the self-care of %(names)s first."),
                    names="、".join(missing),
                )
        if (
            programme.kind == ProgrammeKind.TEMPORARY
            and amount is not None
            and application.emergency_amount
            and amount < application.emergency_amount
        ):
            raise DomainError(
                "amount_below_paid",
                _(
                    "The relief proposed includes the %(paid)s yuan already paid in the "
                    "emergency; it cannot be less."
                ),
                paid=application.emergency_amount,
            )
        calc = calculation_for(application)
        application.status = Status.REVIEWED
        application.reviewer = actor
        application.opinion = opinion.strip()
        application.proposed_amount = (
            amount.quantize(CENT, ROUND_HALF_UP)
            if programme.kind == ProgrammeKind.TEMPORARY and amount is not None
            else calc.amount
        )
        application.save(update_fields=["status", "reviewer", "opinion", "proposed_amount"])
        _audit(actor, "opinion", application)
        # The notice joins this transaction: the opinion and its notice stand or fall together.
        notice = _publish(actor, application, calc.members)
        application.status = Status.ON_NOTICE
        application.notice = notice
        application.notice_ends_at = notice.period_ends_at
        application.save(update_fields=["status", "notice", "notice_ends_at"])
        _audit(actor, "on_notice", application)
    return application


def _publish(actor: Any, application: Application, members: int) -> Any:
    """The notice: name, household size and the amount the opinion proposed (stored), said
    to be monthly or paid once."""
    from linli.notices.actions import publish_notice
    from linli.notices.models import NoticeKind

    one_off = application.programme.kind == ProgrammeKind.TEMPORARY
    return publish_notice(
        actor=actor,
        community=application.community,
        kind=NoticeKind.WELFARE,
        title=gettext("Public notice: %(programme)s applications")
        % {"programme": application.programme.name},
        body=gettext("The amount is paid once.") if one_off else gettext("The amount is monthly."),
        entries=[
            {
                "name": application.applicant.name,
                "household_size": str(members),
                "amount": str(application.proposed_amount),
            }
        ],
        source=application,
    )


def handle_objection(*, actor: Any, application: Application, note: str) -> Application:
    """An objection during the notice: back to a new household investigation (then opinion and
    notice again); the open objections are answered with what follows."""
    from linli.notices.actions import answer_objection
    from linli.notices.models import open_objections_for

    _check_actor(actor, application, *REVIEWERS)
    if not note.strip():
        raise DomainError("reasons_missing", _("Say what the objection was and what follows."))
    with atomic_action():
        application = _lock(application)
        _step(application, Status.ON_NOTICE, Status.NOTICE_DONE)
        # Answered in the same transaction as the case goes back: both or neither.
        for objection in open_objections_for(application):
            answer_objection(actor=actor, objection=objection, answer=note.strip())
        application.status = Status.ACCEPTED
        application.investigation_due = add_working_days(timezone.now(), 3).at
        application.save(update_fields=["status", "investigation_due"])
        _audit(actor, "reinvestigation", application, note=note.strip()[:200])
    return application


def decide(
    *,
    actor: Any,
    application: Application,
    approve: bool,
    reasons: str,
    irregular_income: bool = False,
) -> Application:
    """The decision, with written reasons, by someone who neither investigated nor reviewed,
    after the notice period, with no objection open."""
    from linli.notices.models import open_objections_for

    _check_actor(actor, application, *REVIEWERS)
    if not reasons.strip():
        raise DomainError("reasons_missing", _("A decision needs its reasons."))
    actor_pk = getattr(actor, "pk", None)
    if (
        actor_pk in _investigators(application)
        or actor_pk in _reviewers(application)
        or actor_pk == application.emergency_paid_by_id
    ):
        raise DomainError(
            "same_person",
            _("The decider cannot have investigated, reviewed or paid first on this case."),
        )
    if open_objections_for(application).exists():
        raise DomainError("objection_open", _("An objection to the notice is still open."))
    now = timezone.now()
    with atomic_action():
        application = _lock(application)
        _step(application, Status.ON_NOTICE, Status.NOTICE_DONE)
        if application.notice_ends_at and now < application.notice_ends_at:
            raise DomainError("notice_running", _("The 7-day public notice has not ended."))
        application.decider = actor
        application.decision_reasons = reasons.strip()
        application.decided_at = now
        if approve and application.programme.kind == ProgrammeKind.TEMPORARY:
            # One-off relief: the amount the opinion proposed, paid once; no monthly benefit.
            application.status = Status.APPROVED
        elif approve:
            # The amount that was on public notice, not one recomputed since.
            amount = application.proposed_amount or calculation_for(application).amount
            application.status = Status.APPROVED
            today = timezone.localdate(now)
            starts = _months_later(today.replace(day=1), 1)  # payment starts next month
            review = _months_later(starts, 6 if irregular_income else 12)
            Benefit.objects.create(
                application=application,
                household=application.household,
                programme=application.programme,
                monthly_amount=amount,
                starts_on=starts,
                next_review_on=review,
                irregular_income=irregular_income,
            )
        else:
            application.status = Status.REFUSED
        application.save(update_fields=["status", "decider", "decision_reasons", "decided_at"])
        _audit(actor, "approved" if approve else "refused", application)
        _tell_household(
            application,
            "welfare.decided",
            {
                "result": str(application.get_status_display()),
                "reasons": application.decision_reasons,
            },
        )
    return application


def extend(*, actor: Any, application: Application, reason: str) -> Application:
    """Once, to 45 working days, with a reason."""
    _check_actor(actor, application, Role.LEADER)
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    with atomic_action():
        application = _lock(application)
        if application.extended_reason:
            raise DomainError("extended", _("The process can be extended only once."))
        if not application.accepted_at or not application.is_open:
            raise DomainError("step_order", _("Only an accepted open case can be extended."))
        application.extended_reason = reason.strip()[:300]
        application.process_due = add_working_days(application.accepted_at, 45).at
        application.save(update_fields=["extended_reason", "process_due"])
        _audit(actor, "extended", application)
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
    _check_actor(actor, application, *INTAKE)
    if application.programme.kind != ProgrammeKind.TEKUN:
        raise DomainError(
            "assessment_not_needed", _("Only extreme poverty support assesses self-care.")
        )
    day = assessed_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("date_future", _("An assessment cannot be dated in the future."))
    unknown = set(done) - {key for key, _label in ACTIVITIES}
    if unknown:
        raise DomainError("activity_unknown", _("Unknown activity."))
    done = {key: bool(done.get(key, False)) for key, _label in ACTIVITIES}
    with atomic_action():
        application = _lock(application)
        _step(application, Status.ACCEPTED, Status.INVESTIGATED, Status.CHECKED)
        if not application.members.filter(resident=resident).exists():
            raise DomainError(
                "not_member", _("%(name)s is not in this application."), name=resident.name
            )
        level = self_care_level(done)
        assessment, _created = Assessment.objects.update_or_create(
            application=application,
            resident=resident,
            defaults={
                "done": done,
                "level": level,
                "assessed_on": day,
                "assessed_by": actor,
            },
        )
        _audit(actor, "assessed", application, level=level, resident=resident.pk)
    return assessment


# --- 临时救助: paid first in an emergency ---------------------------------------------------------


def pay_first(*, actor: Any, application: Application, amount: Decimal, reason: str) -> Application:
    """先行救助: temporary relief that cannot wait is paid at once, up to the programme's local
    limit, by a leader or reviewer who is not related; the procedure then documents it."""
    from linli.core.notify import notify

    _check_actor(actor, application, *REVIEWERS)
    programme = application.programme
    if programme.kind != ProgrammeKind.TEMPORARY or programme.emergency_limit <= 0:
        raise DomainError("no_emergency", _("This programme does not pay before the procedure."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Say why it cannot wait."))
    if not amount.is_finite() or amount <= 0:
        raise DomainError("amount_missing", _("Please give the amount paid."))
    if amount > programme.emergency_limit:
        raise DomainError(
            "over_limit",
            _(
                "More than %(limit)s yuan cannot be paid before the procedure; the case goes "
                "through the full review."
            ),
            limit=programme.emergency_limit,
        )
    with atomic_action():
        application = _lock(application)
        if not application.is_open:
            raise DomainError("step_order", _("The case has already been decided."))
        if application.emergency_paid_at is not None:
            raise DomainError("paid_already", _("Emergency relief was already paid on this case."))
        application.emergency_amount = amount.quantize(CENT, ROUND_HALF_UP)
        application.emergency_reason = reason.strip()[:300]
        application.emergency_paid_at = timezone.now()
        application.emergency_paid_by = actor
        application.save(
            update_fields=[
                "emergency_amount",
                "emergency_reason",
                "emergency_paid_at",
                "emergency_paid_by",
            ]
        )
        _audit(actor, "paid_first", application, amount=str(application.emergency_amount))
        _tell_household(
            application, "welfare.paid_first", {"amount": str(application.emergency_amount)}
        )
        notify(
            users=_case_staff(application, Role.LEADER),
            code="welfare.paid_first_staff",
            community=application.community,
            data={"number": application.pk, "amount": str(application.emergency_amount)},
            url="",
        )
    return application


# --- after approval -------------------------------------------------------------------------


def _check_benefit_actor(actor: Any, benefit: Benefit) -> Application:
    application = benefit.application
    _check_actor(actor, application, *REVIEWERS)
    return application


def _months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def report_change(*, actor: Any, benefit: Benefit, note: str) -> BenefitChange:
    """The household reports a change (income, members, address), itself or through staff;
    it waits for a review to deal with it."""
    from linli.core.notify import notify

    application = benefit.application
    own = Resident.objects.filter(
        user_id=getattr(actor, "pk", None) or 0, household=benefit.household_id, status="active"
    ).exists()
    if not own:
        _check_actor(actor, application, *INTAKE)
    if not note.strip():
        raise DomainError("note_missing", _("Please say what has changed."))
    if len(note) > 2000:
        raise DomainError("note_long", _("Please keep it under %(limit)s characters."), limit=2000)
    with atomic_action():
        locked = Benefit.objects.select_for_update().get(pk=benefit.pk)
        if locked.state == Benefit.State.ENDED:
            raise DomainError("benefit_ended", _("This benefit has ended."))
        change = BenefitChange.objects.create(
            benefit=locked, kind=BenefitChange.Kind.REPORTED, note=note.strip(), by=actor
        )
        _audit(actor, "change_reported", application, change=change.pk)
        notify(
            users=_case_staff(application, *REVIEWERS),
            code="welfare.change_reported",
            community=application.community,
            data={"number": application.pk},
            url="",
        )
    return change


def review_benefit(
    *,
    actor: Any,
    benefit: Benefit,
    outcome: str,
    note: str,
    new_amount: Decimal | None = None,
    irregular_income: bool | None = None,
) -> BenefitChange:
    """The periodic review (yearly, or every 6 months where income is irregular), which also
    deals with every change the household reported: the benefit continues, is adjusted from
    next month, is suspended or ends; the next review is scheduled."""
    application = _check_benefit_actor(actor, benefit)
    if outcome not in BenefitChange.Outcome.values:
        raise DomainError("outcome_unknown", _("Unknown outcome."))
    if not note.strip():
        raise DomainError("note_missing", _("Say what the review found."))
    if outcome == BenefitChange.Outcome.ADJUST:
        if new_amount is None or not new_amount.is_finite() or new_amount <= 0:
            raise DomainError("amount_missing", _("Give the new monthly amount."))
        if new_amount > MAX_MONTHLY_INCOME:
            raise DomainError("amount_absurd", _("An amount over a million is not plausible."))
    today = timezone.localdate()
    with atomic_action():
        locked = Benefit.objects.select_for_update().get(pk=benefit.pk)
        if locked.state == Benefit.State.ENDED:
            raise DomainError("benefit_ended", _("This benefit has ended."))
        old = locked.monthly_amount
        if irregular_income is not None:
            locked.irregular_income = irregular_income
        if outcome == BenefitChange.Outcome.ADJUST and new_amount is not None:
            locked.monthly_amount = new_amount.quantize(CENT, ROUND_HALF_UP)
        if outcome == BenefitChange.Outcome.SUSPEND:
            locked.state = Benefit.State.SUSPENDED
        elif outcome == BenefitChange.Outcome.END:
            locked.state = Benefit.State.ENDED
        elif locked.state == Benefit.State.SUSPENDED:
            # Continued or adjusted: the benefit is paid again.
            _require_no_other_active(locked)
            locked.state = Benefit.State.ACTIVE
        locked.next_review_on = _months_later(today, 6 if locked.irregular_income else 12)
        locked.save(update_fields=["irregular_income", "monthly_amount", "state", "next_review_on"])
        review = BenefitChange.objects.create(
            benefit=locked,
            kind=BenefitChange.Kind.REVIEW,
            outcome=outcome,
            note=note.strip(),
            old_amount=old,
            new_amount=locked.monthly_amount,
            by=actor,
        )
        BenefitChange.objects.filter(
            benefit=locked, kind=BenefitChange.Kind.REPORTED, handled_by_review=None
        ).update(handled_by_review=review)
        _audit(
            actor,
            "benefit_reviewed",
            application,
            outcome=outcome,
            old=str(old),
            new=str(locked.monthly_amount),
        )
        _tell_household(
            application,
            "welfare.benefit_reviewed",
            {
                "programme": application.programme.name,
                "outcome": str(BenefitChange.Outcome(outcome).label),
                "amount": str(locked.monthly_amount),
            },
        )
    return review


def change_benefit(*, actor: Any, benefit: Benefit, state: str, reason: str) -> Benefit:
    """Suspend, end or resume a benefit between reviews, with the reason."""
    application = _check_benefit_actor(actor, benefit)
    if state not in Benefit.State.values:
        raise DomainError("state_unknown", _("Unknown state."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Please give a reason."))
    with atomic_action():
        locked = Benefit.objects.select_for_update().get(pk=benefit.pk)
        if locked.state == Benefit.State.ENDED:
            raise DomainError("benefit_ended", _("This benefit has ended."))
        if locked.state == state:
            raise DomainError(
                "state_same",
                _("The benefit is already “%(state)s”."),
                state=locked.get_state_display(),
            )
        if state == Benefit.State.ACTIVE:
            _require_no_other_active(locked)
        locked.state = state
        locked.save(update_fields=["state"])
        BenefitChange.objects.create(
            benefit=locked,
            kind=state,
            note=reason.strip(),
            old_amount=locked.monthly_amount,
            new_amount=locked.monthly_amount,
            by=actor,
        )
        _audit(actor, f"benefit_{state}", application, reason=reason.strip()[:200])
        _tell_household(
            application,
            "welfare.benefit_changed",
            {
                "programme": application.programme.name,
                "state": str(locked.get_state_display()),
                "reason": reason.strip()[:200],
            },
        )
    return locked


def _require_no_other_active(benefit: Benefit) -> None:
    if (
        Benefit.objects.filter(
            household=benefit.household_id,
            programme=benefit.programme_id,
            state=Benefit.State.ACTIVE,
        )
        .exclude(pk=benefit.pk)
        .exists()
    ):
        raise DomainError(
            "benefit_twice",
            _("The household already receives this programme under another approval."),
        )


def tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Once a day, the leaders hear of cases past a deadline and of reviews that are due."""
    from linli.core.models import Notification
    from linli.core.notify import notify

    now = now or timezone.now()
    today = timezone.localdate(now)
    late_cases = Application.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(status=Status.ACCEPTED, investigation_due__lt=now) | Q(process_due__lt=now)
    )
    reviews = Benefit.objects.filter(
        Q(state=Benefit.State.ACTIVE, next_review_on__lt=today)
        | Q(
            state__in=[Benefit.State.ACTIVE, Benefit.State.SUSPENDED],
            changes__kind=BenefitChange.Kind.REPORTED,
            changes__handled_by_review=None,
        )
    ).distinct()
    sent = 0
    communities = set(late_cases.values_list("community_id", flat=True)) | set(
        reviews.values_list("household__community_id", flat=True)
    )
    for community in Community.objects.filter(pk__in=communities):
        cases = late_cases.filter(community=community).count()
        due = reviews.filter(household__community=community).count()
        leaders = list(User.objects.filter(roles__role=Role.LEADER, roles__community=community))
        for leader in leaders:
            if Notification.objects.filter(
                user=leader, code="welfare.overdue", data__day=today.isoformat()
            ).exists():
                continue
            notify(
                users=[leader],
                code="welfare.overdue",
                community=community,
                data={"cases": cases, "reviews": due, "day": today.isoformat()},
                url="",
            )
            sent += 1
    return {"welfare_escalated": sent}


def open_case(*, actor: Any, application: Application) -> Application:
    """Opening a case shows the household's income and findings: every view is audited."""
    _check_actor(
        actor, application, Role.WELFARE_REVIEWER, Role.LEADER, Role.STAFF, Role.SUPERVISOR
    )
    with atomic_action():
        _audit(actor, "viewed", application)
    return application


def export_register(*, actor: Any, community: Community, out: Any) -> int:
    """The recipients ledger (台账) as xlsx for the subdistrict and the civil-affairs office;
    the export is audited."""
    from openpyxl import Workbook

    require_role(actor, community, Role.WELFARE_REVIEWER, Role.LEADER, Role.SUPERVISOR)
    benefits = (
        visible_benefits(actor, community)
        .select_related("programme", "application__applicant", "household__entrance__building")
        .annotate(size=Count("application__members"))
        .order_by("programme_id", "pk")
    )
    book = Workbook()
    sheet = book.create_sheet(gettext("Recipients"), 0)
    book.remove(book.worksheets[1])
    sheet.append(
        [
            gettext("Programme"),
            gettext("Applicant"),
            gettext("Address"),
            gettext("Household size"),
            gettext("Monthly amount (yuan)"),
            gettext("From"),
            gettext("Next review"),
            gettext("Status"),
        ]
    )
    rows = 0
    for benefit in benefits:
        sheet.append(
            [
                benefit.programme.name,
                benefit.application.applicant.name,
                benefit.household.short_address,
                benefit.size,
                float(benefit.monthly_amount),
                benefit.starts_on.isoformat(),
                benefit.next_review_on.isoformat(),
                str(benefit.get_state_display()),
            ]
        )
        rows += 1
    # Relief paid once: temporary relief granted, and every emergency payment made first.
    one_off = book.create_sheet(gettext("One-off relief"))
    one_off.append(
        [
            gettext("Programme"),
            gettext("Applicant"),
            gettext("Address"),
            gettext("Paid first (yuan)"),
            gettext("Paid first on"),
            gettext("Granted (yuan)"),
            gettext("Still to pay (yuan)"),
            gettext("Decided on"),
            gettext("Status"),
        ]
    )
    grants = (
        Application.objects.filter(community=community)
        .filter(
            Q(emergency_paid_at__isnull=False)
            | Q(programme__kind=ProgrammeKind.TEMPORARY, status=Status.APPROVED)
        )
        .exclude(excluded_staff=actor)
        .select_related("programme", "applicant", "household__entrance__building")
        .order_by("pk")
    )
    one_off_rows = 0
    for application in grants:
        granted = (
            application.programme.kind == ProgrammeKind.TEMPORARY
            and application.status == Status.APPROVED
        )
        paid_first = application.emergency_amount or Decimal("0")
        # The grant includes what was paid first: only the rest is still to pay.
        balance = (application.proposed_amount or Decimal("0")) - paid_first if granted else None
        one_off.append(
            [
                application.programme.name,
                application.applicant.name,
                application.household.short_address,
                float(application.emergency_amount) if application.emergency_amount else None,
                timezone.localdate(application.emergency_paid_at).isoformat()
                if application.emergency_paid_at
                else None,
                float(application.proposed_amount or 0) if granted else None,
                float(balance) if balance is not None else None,
                timezone.localdate(application.decided_at).isoformat()
                if application.decided_at
                else None,
                str(application.get_status_display()),
            ]
        )
        one_off_rows += 1
    book.save(out)
    with atomic_action():
        audit.record(
            actor=actor,
            code="welfare.register_exported",
            community=community,
            data={"rows": rows, "one_off": one_off_rows},
        )
    return rows
