"""Welfare screens: applying (staff for a household, or a resident for their own), the case
page with each step, declaring relatives, the register of recipients. Someone excluded from a
case gets 404 for it: they cannot see beyond the flag."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Case, Count, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.access import has_role
from linli.core.errors import DomainError
from linli.core.models import Community, Role
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

DESK = (Role.WELFARE_REVIEWER, Role.LEADER, Role.STAFF, Role.SUPERVISOR)
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
                    if has_role(request.user, community, *DESK):
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


@community_view(Role.WELFARE_REVIEWER, Role.LEADER, Role.STAFF)
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


@community_view(*DESK)
def application_list(request: HttpRequest, community: Community) -> HttpResponse:
    return render(
        request,
        "welfare/list.html",
        {
            "community": community,
            "applications": visible_applications(request.user, community).select_related(
                "programme", "applicant"
            )[:200],
        },
    )


def _case(request: HttpRequest, community: Community, pk: int) -> Application:
    """A case the user may see: 404 when excluded from it."""
    case: Application = get_object_or_404(
        visible_applications(request.user, community).select_related(
            "programme", "applicant", "household", "reviewer", "decider"
        ),
        pk=pk,
    )
    return case


@community_view(*DESK)
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
            "reviewer": has_role(request.user, community, Role.WELFARE_REVIEWER, Role.LEADER),
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


@require_POST
@community_view(Role.WELFARE_REVIEWER, Role.LEADER, Role.STAFF)
def step(request: HttpRequest, community: Community, pk: int, action: str) -> HttpResponse:
    application = _case(request, community, pk)
    user = request.user
    try:
        if action == "materials":
            form: Any = MaterialsForm(
                request.POST, names=list(application.materials.values_list("name", flat=True))
            )
            if form.is_valid() and form.cleaned_data["provided"]:
                actions.provide_materials(
                    actor=user, application=application, names=form.cleaned_data["provided"]
                )
            missing = actions.check_materials(actor=user, application=application)
            if missing:
                messages.error(
                    request,
                    _("Still missing, all of it: %(names)s.") % {"names": "、".join(missing)},
                )
            else:
                messages.success(request, _("Materials complete: accepted."))
            return redirect("welfare:detail", community.code, application.pk)
        if action == "investigate":
            excluded = list(application.excluded_staff.values_list("pk", flat=True))
            form = InvestigationForm(
                request.POST, request.FILES, community=community, excluded=excluded
            )
            _require_valid(form, "form_invalid", _("Please check what you entered."))
            d = form.cleaned_data
            actions.record_investigation(
                actor=user,
                application=application,
                investigators=list(d["investigators"]),
                visited_on=d["visited_on"],
                findings=d["findings"],
                signature=d["signature"],
                signed_on_screen=d["signed_on_screen"],
            )
        elif action == "checks":
            form = ChecksForm(request.POST)
            _require_valid(form, "form_invalid", _("Please check what you entered."))
            results = []
            for line in form.cleaned_data["results"].splitlines():
                parts = [p.strip() for p in line.replace("｜", "|").split("|")]
                if len(parts) == 3:
                    results.append(
                        (parts[0], parts[1], parts[2].lower() in {"yes", "是", "一致", "y"})
                    )
            actions.record_checks(actor=user, application=application, results=results)
        elif action == "opinion":
            one_off = application.programme.kind == ProgrammeKind.TEMPORARY
            form = OpinionForm(request.POST, one_off=one_off)
            amount = None
            if one_off:
                if form.is_valid() or "amount" not in form.errors:
                    amount = form.cleaned_data.get("amount")
                else:
                    raise DomainError(
                        "amount_missing",
                        _("Temporary relief needs the amount the opinion proposes."),
                    )
            actions.give_opinion(
                actor=user,
                application=application,
                opinion=form.data.get("opinion", ""),
                amount=amount,
            )
        elif action == "assess":
            form = AssessmentForm(request.POST, members=_member_choices(application))
            _require_valid(form, "form_invalid", _("Please check what you entered."))
            d = form.cleaned_data
            member = application.members.select_related("resident").get(resident=d["resident"])
            actions.assess_self_care(
                actor=user,
                application=application,
                resident=member.resident,
                done=dict.fromkeys(d["done"], True),
                assessed_on=d["assessed_on"],
            )
        elif action == "pay_first":
            form = EmergencyForm(request.POST, prefix="emergency")
            _require_valid(form, "form_invalid", _("Please check what you entered."))
            actions.pay_first(
                actor=user,
                application=application,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        elif action == "objection":
            actions.handle_objection(
                actor=user, application=application, note=request.POST.get("note", "")
            )
        elif action == "decide":
            form = DecisionForm(request.POST)
            _require_valid(form, "reasons_missing", _("A decision needs its reasons."))
            actions.decide(
                actor=user,
                application=application,
                approve=form.cleaned_data["approve"],
                reasons=form.cleaned_data["reasons"],
                irregular_income=form.cleaned_data["irregular_income"],
            )
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("welfare:detail", community.code, application.pk)


@community_view(*DESK)
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


@community_view(Role.WELFARE_REVIEWER, Role.LEADER, Role.SUPERVISOR)
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
        visible_benefits(request.user, community).select_related(
            "programme", "application__applicant", "household"
        ),
        pk=pk,
    )
    return benefit


@community_view(Role.WELFARE_REVIEWER, Role.LEADER, Role.SUPERVISOR)
def benefit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """One household's benefit: its history, the review, changes reported, suspension, end."""
    found = _benefit(request, community, pk)
    actions.open_case(actor=request.user, application=found.application)
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
            "reviewer": has_role(request.user, community, Role.WELFARE_REVIEWER, Role.LEADER),
        },
    )


@require_POST
@community_view(Role.WELFARE_REVIEWER, Role.LEADER)
def benefit_step(request: HttpRequest, community: Community, pk: int, action: str) -> HttpResponse:
    found = _benefit(request, community, pk)
    try:
        if action == "review":
            form: Any = ReviewForm(request.POST, prefix="review")
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
        elif action == "state":
            form = BenefitStateForm(request.POST, prefix="state")
            _require_valid(form, "reason_missing", _("Please give a reason."))
            actions.change_benefit(
                actor=request.user,
                benefit=found,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"],
            )
        elif action == "report":
            form = ChangeReportForm(request.POST, prefix="report")
            _require_valid(form, "note_missing", _("Please say what has changed."))
            actions.report_change(actor=request.user, benefit=found, note=form.cleaned_data["note"])
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("welfare:benefit", community.code, found.pk)


@community_view(Role.WELFARE_REVIEWER, Role.LEADER, Role.SUPERVISOR)
def register_export(request: HttpRequest, community: Community) -> FileResponse:
    buffer = io.BytesIO()
    actions.export_register(actor=request.user, community=community, out=buffer)
    buffer.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(
        buffer, as_attachment=True, filename=f"{community.name}-救助对象台账-{stamp}.xlsx"
    )
