"""Welfare screens: applying (staff for a household, or a resident for their own), the case
page with each step, declaring relatives, the register of recipients. Someone excluded from a
case gets 404 for it: they cannot see beyond the flag."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Case, Count, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.access import has_role
from linli.core.errors import DomainError
from linli.core.models import Community, Role
from linli.core.roles import (
    WELFARE_INTAKE,
    WELFARE_READERS,
    WELFARE_REGISTER_READERS,
    WELFARE_REVIEWERS,
)
from linli.core.views_helpers import community_view, new_idempotency_key
from linli.people.models import Household, Resident
from linli.welfare import actions
from linli.welfare.benefits import calculation_for
from linli.welfare.exclusion import visible_applications, visible_benefits
from linli.welfare.forms import (
    ApplicationForm,
    AssessmentForm,
    BenefitStateForm,
    ChangeReportForm,
    ChecksForm,
    DecisionForm,
    EmergencyForm,
    InvestigationForm,
    MaterialsForm,
    ObjectionForm,
    OpinionForm,
    RelativeForm,
    ReviewForm,
)
from linli.welfare.models import Application, Benefit, Kinship, ProgrammeKind
from linli.welfare.workflow import APPLICATION_FLOW, BENEFIT_FLOW

INCOME_FIELDS = (
    "wages",
    "business",
    "property_income",
    "transfers",
    "other",
    "deductions",
    "assets",
)


def _members_form(household: Household, data: Any = None) -> forms.Form:
    """One row of income fields per member of the household (monthly, yuan)."""
    form = forms.Form(data)
    labels = {
        "wages": _("Wages"),
        "business": _("Business income"),
        "property_income": _("Property income"),
        "transfers": _("Net transfers"),
        "other": _("Other income"),
        "deductions": _("Allowed deductions"),
        "assets": _("Assets"),
    }
    for resident in Resident.objects.filter(household=household).active().order_by("pk"):
        for name in INCOME_FIELDS:
            form.fields[f"m{resident.pk}-{name}"] = forms.DecimalField(
                label=f"{resident.name} · {labels[name]}",
                max_digits=12,
                decimal_places=2,
                initial=Decimal("0"),
                required=False,
            )
    return form


def _find_household(community: Community, query: str) -> Household | None:
    matches = list(
        Resident.objects.filter(community=community)
        .active()
        .search(query)
        .exclude(household=None)[:20]
    )
    households = {r.household_id for r in matches if r.household_id is not None}
    if len(households) != 1:
        return None
    return Household.objects.get(pk=households.pop())


def _apply(
    request: HttpRequest, community: Community, household: Household | None, template: str
) -> HttpResponse:
    form = ApplicationForm(
        request.POST or None,
        community=community,
        initial={"idempotency_key": new_idempotency_key()},
    )
    if household is not None:
        form.fields["household"].required = False
    members_form = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = household or _find_household(community, data["household"])
        if found is None:
            form.add_error("household", _("Name one household exactly."))
        else:
            members_form = _members_form(found, request.POST if "members" in request.POST else None)
            if "members" in request.POST and members_form.is_valid():
                residents = list(Resident.objects.filter(household=found).active().order_by("pk"))
                inputs = tuple(
                    actions.MemberInput(
                        r,
                        **{
                            name: members_form.cleaned_data.get(f"m{r.pk}-{name}") or Decimal("0")
                            for name in INCOME_FIELDS
                        },
                    )
                    for r in residents
                )
                head = next((r for r in residents if r.relation_to_head == "head"), residents[0])
                try:
                    application = actions.submit_application(
                        actor=request.user,
                        community=community,
                        idempotency_key=data["idempotency_key"],
                        data=actions.ApplicationInput(
                            programme=data["programme"],
                            household=found,
                            applicant=head,
                            members=inputs,
                            reason=data["reason"],
                            pledge_signed=data["pledge_signed"],
                            consent_to_checks=data["consent_to_checks"],
                            agent_name=data["agent_name"],
                            agent_authorised=data["agent_authorised"],
                        ),
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Application received."))
                    if has_role(request.user, community, *WELFARE_READERS):
                        return redirect("welfare:detail", community.code, application.pk)
                    return redirect("welfare:mine", community.code)
    return render(
        request,
        template,
        {
            "community": community,
            "form": form,
            "members_form": members_form,
            "household": household,
        },
        status=400 if form.errors else 200,
    )


@community_view(*WELFARE_INTAKE)
def new(request: HttpRequest, community: Community) -> HttpResponse:
    """Staff take an application for a household met in person."""
    return _apply(request, community, None, "welfare/new.html")


@community_view(Role.RESIDENT)
def apply(request: HttpRequest, community: Community) -> HttpResponse:
    """A resident applies for their own household."""
    own = Resident.objects.filter(
        user_id=request.user.pk or 0, community=community, status="active"
    ).first()
    if own is None or own.household is None:
        raise Http404
    return _apply(request, community, own.household, "welfare/new.html")


@community_view(Role.RESIDENT)
def mine(request: HttpRequest, community: Community) -> HttpResponse:
    """A resident's household's applications, with everything still missing."""
    own = Resident.objects.filter(
        user_id=request.user.pk or 0, community=community, status="active"
    ).first()
    applications = (
        Application.objects.filter(household=own.household)
        .select_related("programme")
        .prefetch_related("materials")
        if own and own.household
        else Application.objects.none()
    )
    benefits = (
        Benefit.objects.filter(household=own.household)
        .exclude(state=Benefit.State.ENDED)
        .select_related("programme")
        if own and own.household
        else Benefit.objects.none()
    )
    return render(
        request,
        "welfare/mine.html",
        {
            "community": community,
            # Only a resident of the community applies (an administrator looking has no household).
            "can_apply": own is not None and own.household is not None,
            "applications": applications,
            # One form per benefit, each with its own prefix (and so its own field ids).
            "benefits": [(b, ChangeReportForm(prefix=f"b{b.pk}")) for b in benefits],
        },
    )


@require_POST
@community_view(Role.RESIDENT)
def report_change(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The household reports a change in its circumstances."""
    own = Resident.objects.filter(
        user_id=request.user.pk or 0, community=community, status="active"
    ).first()
    benefit = get_object_or_404(
        Benefit.objects.select_related("application"),
        pk=pk,
        household_id=own.household_id if own else 0,
    )
    form = ChangeReportForm(request.POST, prefix=f"b{benefit.pk}")
    try:
        if not form.is_valid():
            raise DomainError("note_missing", _("Please say what has changed."))
        actions.report_change(actor=request.user, benefit=benefit, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reported. The community will review your benefit."))
    return redirect("welfare:mine", community.code)


@community_view(*WELFARE_READERS)
def application_list(request: HttpRequest, community: Community) -> HttpResponse:
    return render(
        request,
        "welfare/list.html",
        {
            "community": community,
            "applications": visible_applications(request.user, community).select_related(
                "programme", "applicant"
            )[:200],
            # Only the links this person may follow.
            "may_take": has_role(request.user, community, *WELFARE_INTAKE),
            "may_read_register": has_role(request.user, community, *WELFARE_REGISTER_READERS),
        },
    )


def _case(request: HttpRequest, community: Community, pk: int) -> Application:
    """A case the user may see: 404 when excluded from it."""
    case: Application = get_object_or_404(
        visible_applications(request.user, community)
        .select_related("community", "programme", "applicant", "household", "reviewer", "decider")
        # The workflow's exclusion guard reads it for every step it answers.
        .prefetch_related("excluded_staff"),
        pk=pk,
    )
    return case


@community_view(*WELFARE_READERS)
def detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    application = actions.open_case(actor=request.user, application=_case(request, community, pk))
    excluded = list(application.excluded_staff.values_list("pk", flat=True))
    return render(
        request,
        "welfare/detail.html",
        {
            "community": community,
            "application": application,
            "calc": calculation_for(application),
            "members": application.members.select_related("resident"),
            "materials": application.materials.all(),
            "investigations": application.investigations.prefetch_related("investigators"),
            "checks": application.checks.all(),
            "materials_form": MaterialsForm(
                names=[m.name for m in application.materials.filter(provided=False)]
            ),
            "investigation_form": InvestigationForm(
                community=community, excluded=excluded, initial={"visited_on": timezone.localdate()}
            ),
            "checks_form": ChecksForm(),
            "opinion_form": OpinionForm(
                one_off=application.programme.kind == ProgrammeKind.TEMPORARY
            ),
            "assessments": application.assessments.select_related("resident", "assessed_by"),
            "assessment_form": AssessmentForm(
                members=_member_choices(application),
                initial={"assessed_on": timezone.localdate()},
            ),
            "emergency_form": EmergencyForm(prefix="emergency"),
            "objection_form": ObjectionForm(),
            "decision_form": DecisionForm(),
            # The steps this person may take now: the forms to show.
            "allowed": APPLICATION_FLOW.available(request.user, application),
        },
    )


def _require_valid(form: forms.Form, code: str, message: str) -> None:
    """A form that does not validate is refused like the action would refuse it."""
    if not form.is_valid():
        raise DomainError(code, message)


def _member_choices(application: Application) -> list[tuple[int, str]]:
    return [
        (m.resident_id, m.resident.name) for m in application.members.select_related("resident")
    ]


CaseStep = Callable[[HttpRequest, Community, Application], str | None]


def case_step(step: str) -> Callable[[CaseStep], Callable[..., HttpResponseBase]]:
    """A POST that takes one step of a case: the step's roles (from the workflow), the case
    (404 when excluded from it), the action's refusal as a message, back to the case page."""

    def decorate(act: CaseStep) -> Callable[..., HttpResponseBase]:
        @require_POST
        @community_view(*APPLICATION_FLOW.step(step).roles)
        @functools.wraps(act)
        def view(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
            application = _case(request, community, pk)
            try:
                done = act(request, community, application)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, done or _("Done."))
            return redirect("welfare:detail", community.code, application.pk)

        return view

    return decorate


@case_step("materials")
def materials(request: HttpRequest, community: Community, application: Application) -> str:
    """The materials handed in are ticked, then the check: complete, or everything missing."""
    form = MaterialsForm(
        request.POST, names=list(application.materials.values_list("name", flat=True))
    )
    if form.is_valid() and form.cleaned_data["provided"]:
        actions.provide_materials(
            actor=request.user, application=application, names=form.cleaned_data["provided"]
        )
    missing = actions.check_materials(actor=request.user, application=application)
    if missing:
        # Recorded (the household is told); said as a refusal: the case is not accepted.
        raise DomainError(
            "materials_missing",
            _("Still missing, all of it: %(names)s."),
            names="、".join(missing),
        )
    return _("Materials complete: accepted.")


@case_step("investigate")
def investigate(request: HttpRequest, community: Community, application: Application) -> None:
    excluded = list(application.excluded_staff.values_list("pk", flat=True))
    form = InvestigationForm(request.POST, request.FILES, community=community, excluded=excluded)
    _require_valid(form, "form_invalid", _("Please check what you entered."))
    d = form.cleaned_data
    actions.record_investigation(
        actor=request.user,
        application=application,
        investigators=list(d["investigators"]),
        visited_on=d["visited_on"],
        findings=d["findings"],
        signature=d["signature"],
        signed_on_screen=d["signed_on_screen"],
    )


@case_step("checks")
def checks(request: HttpRequest, community: Community, application: Application) -> None:
    form = ChecksForm(request.POST)
    _require_valid(form, "form_invalid", _("Please check what you entered."))
    actions.record_checks(actor=request.user, application=application, results=form.parsed())


@case_step("opinion")
def opinion(request: HttpRequest, community: Community, application: Application) -> None:
    one_off = application.programme.kind == ProgrammeKind.TEMPORARY
    form = OpinionForm(request.POST, one_off=one_off)
    amount = None
    if one_off:
        if form.is_valid() or "amount" not in form.errors:
            amount = form.cleaned_data.get("amount")
        else:
            raise DomainError(
                "amount_missing", _("Temporary relief needs the amount the opinion proposes.")
            )
    actions.give_opinion(
        actor=request.user,
        application=application,
        opinion=form.data.get("opinion", ""),
        amount=amount,
    )


@case_step("assess")
def assess(request: HttpRequest, community: Community, application: Application) -> None:
    form = AssessmentForm(request.POST, members=_member_choices(application))
    _require_valid(form, "form_invalid", _("Please check what you entered."))
    d = form.cleaned_data
    member = application.members.select_related("resident").get(resident=d["resident"])
    actions.assess_self_care(
        actor=request.user,
        application=application,
        resident=member.resident,
        done=dict.fromkeys(d["done"], True),
        assessed_on=d["assessed_on"],
    )


@case_step("pay_first")
def pay_first(request: HttpRequest, community: Community, application: Application) -> None:
    form = EmergencyForm(request.POST, prefix="emergency")
    _require_valid(form, "form_invalid", _("Please check what you entered."))
    actions.pay_first(
        actor=request.user,
        application=application,
        amount=form.cleaned_data["amount"],
        reason=form.cleaned_data["reason"],
    )


@case_step("objection")
def objection(request: HttpRequest, community: Community, application: Application) -> None:
    form = ObjectionForm(request.POST)
    _require_valid(form, "reasons_missing", _("Say what the objection was and what follows."))
    actions.handle_objection(
        actor=request.user, application=application, note=form.cleaned_data["note"]
    )


@case_step("decide")
def decide(request: HttpRequest, community: Community, application: Application) -> None:
    form = DecisionForm(request.POST)
    _require_valid(form, "reasons_missing", _("A decision needs its reasons."))
    actions.decide(
        actor=request.user,
        application=application,
        approve=form.cleaned_data["approve"],
        reasons=form.cleaned_data["reasons"],
        irregular_income=form.cleaned_data["irregular_income"],
    )


@community_view(*WELFARE_READERS)
def relatives(request: HttpRequest, community: Community) -> HttpResponse:
    """Staff declare their close relatives living in the community."""
    form = RelativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            relative = Resident.objects.filter(community=community).named_once(
                form.cleaned_data["resident"]
            )
            actions.declare_relative(
                actor=request.user, resident=relative, relation=form.cleaned_data["relation"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Declared."))
            return redirect("welfare:relatives", community.code)
    return render(
        request,
        "welfare/relatives.html",
        {
            "community": community,
            "form": form,
            "declared": Kinship.objects.filter(staff_id=request.user.pk or 0).select_related(
                "resident"
            ),
        },
        status=400 if form.errors else 200,
    )


@community_view(*WELFARE_REGISTER_READERS)
def register(request: HttpRequest, community: Community) -> HttpResponse:
    """Households receiving a benefit, with the next review."""
    benefits = (
        visible_benefits(request.user, community)
        .select_related("programme", "application__applicant")
        .annotate(
            waiting=Count(
                "changes",
                filter=Q(changes__kind="reported", changes__handled_by_review=None),
            )
        )
        # Paid benefits first (the most overdue review on top), the ended ones last.
        .order_by(
            Case(When(state=Benefit.State.ENDED, then=Value(1)), default=Value(0)),
            "next_review_on",
            "pk",
        )
    )
    return render(
        request,
        "welfare/register.html",
        {"community": community, "benefits": benefits, "today": timezone.localdate()},
    )


def _benefit(request: HttpRequest, community: Community, pk: int) -> Benefit:
    """A benefit the user may see: 404 when excluded from its case."""
    benefit: Benefit = get_object_or_404(
        visible_benefits(request.user, community)
        .select_related(
            "programme", "application__applicant", "application__community", "household"
        )
        .prefetch_related("application__excluded_staff"),
        pk=pk,
    )
    return benefit


@community_view(*WELFARE_REGISTER_READERS)
def benefit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """One household's benefit: its history, the review, changes reported, suspension, end."""
    found = _benefit(request, community, pk)
    actions.open_case(actor=request.user, application=found.application)
    allowed = BENEFIT_FLOW.available(request.user, found)
    return render(
        request,
        "welfare/benefit.html",
        {
            "community": community,
            "benefit": found,
            "changes": found.changes.select_related("by"),
            "waiting": found.changes.filter(kind="reported", handled_by_review=None).count(),
            "overdue": found.next_review_on < timezone.localdate(),
            # Prefixed: the three forms share a page and field names.
            "review_form": ReviewForm(
                prefix="review", initial={"irregular_income": found.irregular_income}
            ),
            "state_form": BenefitStateForm(prefix="state"),
            "report_form": ChangeReportForm(prefix="report"),
            # The steps this person may take now: the forms to show.
            "allowed": allowed,
            "may_change_state": bool(allowed & {"suspend", "resume", "end"}),
        },
    )


BenefitStep = Callable[[HttpRequest, Benefit], None]


def benefit_step(act: BenefitStep) -> Callable[..., HttpResponseBase]:
    """A POST on a benefit by a reviewer or the leader (404 when excluded from its case), the
    action's refusal as a message, back to the benefit's page."""

    @require_POST
    @community_view(*WELFARE_REVIEWERS)
    @functools.wraps(act)
    def view(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
        found = _benefit(request, community, pk)
        try:
            act(request, found)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done."))
        return redirect("welfare:benefit", community.code, found.pk)

    return view


@benefit_step
def benefit_review(request: HttpRequest, found: Benefit) -> None:
    form = ReviewForm(request.POST, prefix="review")
    _require_valid(form, "form_invalid", _("Please check what you entered."))
    d = form.cleaned_data
    actions.review_benefit(
        actor=request.user,
        benefit=found,
        outcome=d["outcome"],
        note=d["note"],
        new_amount=d["new_amount"],
        irregular_income=d["irregular_income"],
    )


@benefit_step
def benefit_state(request: HttpRequest, found: Benefit) -> None:
    form = BenefitStateForm(request.POST, prefix="state")
    _require_valid(form, "reason_missing", _("Please give a reason."))
    actions.change_benefit(
        actor=request.user,
        benefit=found,
        state=form.cleaned_data["state"],
        reason=form.cleaned_data["reason"],
    )


@benefit_step
def benefit_report(request: HttpRequest, found: Benefit) -> None:
    """A reviewer records a change the household reported in person."""
    form = ChangeReportForm(request.POST, prefix="report")
    _require_valid(form, "note_missing", _("Please say what has changed."))
    actions.report_change(actor=request.user, benefit=found, note=form.cleaned_data["note"])


@community_view(*WELFARE_REGISTER_READERS)
def register_export(request: HttpRequest, community: Community) -> FileResponse:
    buffer = io.BytesIO()
    actions.export_register(actor=request.user, community=community, out=buffer)
    buffer.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(
        buffer, as_attachment=True, filename=f"{community.name}-救助对象台账-{stamp}.xlsx"
    )
