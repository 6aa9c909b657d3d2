"""Meeting screens: planning, the secretary's page in session (sign-in, opinions, votes),
the minutes; the liaison's invitations; the resident's meetings and code sign-in; petitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.access import grants, has_role
from linli.core.errors import DomainError
from linli.core.models import Community, Role, User
from linli.core.roles import READERS, WORKERS
from linli.core.views_helpers import community_view, new_idempotency_key
from linli.meetings import actions, quorum
from linli.meetings.accountability import organisation_records
from linli.meetings.forms import (
    ClassifyForm,
    CloseForm,
    CodeForm,
    ConfirmForm,
    GuestForm,
    MeetingForm,
    OpinionForm,
    PetitionForm,
    ReasonForm,
    ResolutionForm,
    SearchForm,
)
from linli.meetings.models import (
    Handling,
    Invitation,
    Meeting,
    Opinion,
    Petition,
)
from linli.meetings.workflow import MEETING_FLOW, OPINION_FLOW, PETITION_FLOW
from linli.people.models import Resident


def _meeting(community: Community, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("community", "chair", "petition"), community=community, pk=pk
    )


@community_view(*READERS)
def meeting_list(request: HttpRequest, community: Community) -> HttpResponse:
    meetings = Meeting.objects.filter(community=community).order_by("-starts_at")[:200]
    petitions = Petition.objects.filter(community=community).exclude(status="convened")
    return render(
        request,
        "meetings/list.html",
        {
            "community": community,
            "meetings": meetings,
            "petitions": petitions,
            "can_edit": has_role(request.user, community, *WORKERS),
        },
    )


@community_view(*WORKERS)
def meeting_new(request: HttpRequest, community: Community) -> HttpResponse:
    if request.method == "POST":
        form = MeetingForm(request.POST, community=community)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = actions.plan_meeting(
                    actor=request.user,
                    community=community,
                    idempotency_key=data["idempotency_key"],
                    data=actions.MeetingInput(
                        kind=data["kind"],
                        body=data["body"],
                        topic=data["topic"],
                        starts_at=data["starts_at"],
                        place=data["place"],
                        agenda=tuple(data["agenda"].splitlines()),
                        organisations=tuple(data["organisations"]),
                        invite_tag=data["invite_tag"].code if data["invite_tag"] else "",
                        invite_grid=data["invite_grid"],
                        invite_building=data["invite_building"],
                        petition=data["petition"],
                    ),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Planned; the invitations were sent."))
                return redirect("meetings:detail", community.code, meeting.pk)
    else:
        form = MeetingForm(
            initial={"idempotency_key": new_idempotency_key(), "kind": "forum"},
            community=community,
        )
    return render(
        request,
        "meetings/new.html",
        {"community": community, "form": form},
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest, community: Community, meeting: Meeting, **extra: Any
) -> HttpResponse:
    present = quorum.present_count(meeting)
    opinions = meeting.opinions.select_related(
        "speaker_resident", "speaker_organisation", "organisation", "appeal", "category"
    )
    context = {
        "community": community,
        "meeting": meeting,
        # The steps this person may take now: the forms and buttons to show.
        "allowed": MEETING_FLOW.available(request.user, meeting),
        "attendance": meeting.attendance.select_related("resident", "organisation"),
        "present": present,
        "quorate": quorum.quorate(present, meeting.body_size),
        "report": meeting.report.all(),
        "opinions": opinions,
        "resolutions": meeting.resolutions.all(),
        "invitations": meeting.invitations.select_related("organisation"),
        "search_form": SearchForm(prefix="find"),
        "guest_form": GuestForm(meeting=meeting, prefix="guest"),
        "opinion_form": OpinionForm(
            initial={"idempotency_key": new_idempotency_key(), "handling": Handling.FOLLOW_UP},
            community=community,
            prefix="opinion",
        ),
        "classify_forms": [
            (o, ClassifyForm(community=community, prefix=f"o{o.pk}"))
            for o in opinions
            if OPINION_FLOW.allows(o, "follow_up")
        ],
        "resolution_form": ResolutionForm(
            prefix="vote", initial={"idempotency_key": new_idempotency_key()}
        ),
        "close_form": CloseForm(prefix="close"),
    }
    context.update(extra)
    return render(
        request, "meetings/detail.html", context, status=400 if extra.get("errors") else 200
    )


@community_view(*READERS)
def meeting_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _detail(request, community, _meeting(community, pk))


@require_POST
@community_view(*WORKERS)
def search(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Find members of the body to sign in (a POST: names and phones stay out of URLs)."""
    meeting = _meeting(community, pk)
    form = SearchForm(request.POST, prefix="find")
    found: list[Resident] = []
    if form.is_valid():
        signed = meeting.attendance.filter(resident__isnull=False).values("resident")
        found = list(
            quorum.body_members(meeting)
            .search(form.cleaned_data["q"])
            .exclude(pk__in=signed)
            .select_related("household__entrance__building")[:20]
        )
    return _detail(request, community, meeting, search_form=form, found=found, searched=True)


@require_POST
@community_view(*WORKERS)
def sign_in(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    try:
        if request.POST.get("user"):
            user = get_object_or_404(User, pk=request.POST["user"])
            actions.sign_in(actor=request.user, meeting=meeting, user=user)
        else:
            resident = get_object_or_404(
                Resident, pk=request.POST.get("resident"), community=community
            )
            attendance = actions.sign_in(actor=request.user, meeting=meeting, resident=resident)
            messages.success(request, _("%(name)s signed in.") % {"name": attendance.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:detail", community.code, meeting.pk)


@require_POST
@community_view(*WORKERS)
def guest(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    form = GuestForm(request.POST, meeting=meeting, prefix="guest")
    if form.is_valid():
        try:
            actions.sign_in(
                actor=request.user,
                meeting=meeting,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("meetings:detail", community.code, meeting.pk)
    return _detail(request, community, meeting, guest_form=form, errors=True)


@require_POST
@community_view(*WORKERS)
def leave(request: HttpRequest, community: Community, pk: int, attendance: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    record = get_object_or_404(meeting.attendance, pk=attendance)
    try:
        actions.sign_out(actor=request.user, attendance=record)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:detail", community.code, meeting.pk)


@community_view(*READERS)
def count(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """htmx, every few seconds: members present and whether the meeting is quorate."""
    meeting = _meeting(community, pk)
    present = quorum.present_count(meeting)
    return render(
        request,
        "meetings/_count.html",
        {
            "meeting": meeting,
            "present": present,
            "quorate": quorum.quorate(present, meeting.body_size),
        },
    )


@require_POST
@community_view(*WORKERS)
def opinion(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    form = OpinionForm(request.POST, community=community, prefix="opinion")
    if form.is_valid():
        data = form.cleaned_data
        speaker = None
        if data["speaker"]:
            try:
                speaker = Resident.objects.filter(community=community).named_once(data["speaker"])
            except DomainError as exc:
                form.add_error("speaker", exc.message)
        if not form.errors:
            try:
                actions.record_opinion(
                    actor=request.user,
                    meeting=meeting,
                    idempotency_key=data["idempotency_key"],
                    data=actions.OpinionInput(
                        text=data["text"],
                        handling=data["handling"],
                        category=data["category"],
                        organisation=data["organisation"],
                        speaker_resident=speaker,
                        speaker_organisation=None if speaker else data["organisation"],
                        answer=data["answer"],
                        anonymous=data["anonymous"],
                    ),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Recorded."))
                return redirect("meetings:detail", community.code, meeting.pk)
    return _detail(request, community, meeting, opinion_form=form, errors=True)


@require_POST
@community_view(*WORKERS)
def classify(request: HttpRequest, community: Community, pk: int, opinion: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    record = get_object_or_404(Opinion, meeting=meeting, pk=opinion)
    form = ClassifyForm(request.POST, community=community, prefix=f"o{record.pk}")
    if form.is_valid():
        try:
            actions.classify_opinion(
                actor=request.user,
                opinion=record,
                handling=form.cleaned_data["handling"],
                category=form.cleaned_data["category"],
                organisation=form.cleaned_data["organisation"],
                answer=form.cleaned_data["answer"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("meetings:detail", community.code, meeting.pk)
    forms = [(record, form)]
    return _detail(request, community, meeting, classify_forms=forms, errors=True)


@require_POST
@community_view(*WORKERS)
def resolution(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    form = ResolutionForm(request.POST, prefix="vote")
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = actions.record_resolution(
                actor=request.user,
                meeting=meeting,
                text=data["text"],
                votes_for=data["votes_for"],
                against=data["against"],
                abstain=data["abstain"],
                idempotency_key=data["idempotency_key"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Passed.") if result.passed else _("Not passed."))
            return redirect("meetings:detail", community.code, meeting.pk)
    return _detail(request, community, meeting, resolution_form=form, errors=True)


def _done(request: HttpRequest, meeting: Meeting, step: Callable[[], Any]) -> HttpResponse:
    """Take a step of the meeting; a refusal is a message on the meeting's page."""
    try:
        step()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("meetings:detail", meeting.community.code, meeting.pk)


@require_POST
@community_view(*MEETING_FLOW.step("open").roles)
def open_meeting(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    return _done(
        request, meeting, lambda: actions.open_meeting(actor=request.user, meeting=meeting)
    )


@require_POST
@community_view(*MEETING_FLOW.step("close").roles)
def close_meeting(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    form = CloseForm(request.POST, prefix="close")
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    return _done(
        request,
        meeting,
        lambda: actions.close_meeting(actor=request.user, meeting=meeting, summary=summary),
    )


@require_POST
@community_view(*MEETING_FLOW.step("cancel").roles)
def cancel_meeting(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(community, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(
        request,
        meeting,
        lambda: actions.cancel_meeting(actor=request.user, meeting=meeting, reason=reason),
    )


@require_POST
@community_view(*MEETING_FLOW.step("approve_minutes").roles)
def approve_minutes(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The chair or a leader approves the minutes (the action refuses anyone else)."""
    meeting = _meeting(community, pk)
    return _done(
        request, meeting, lambda: actions.approve_minutes(actor=request.user, meeting=meeting)
    )


@community_view(*READERS)
def minutes(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The minutes on an A4 page, to print and sign."""
    meeting = _meeting(community, pk)
    return render(
        request,
        "meetings/minutes.html",
        {
            "community": community,
            "meeting": meeting,
            "attendance": meeting.attendance.select_related("organisation"),
            "report": meeting.report.all(),
            "opinions": meeting.opinions.select_related("organisation", "appeal"),
            "resolutions": meeting.resolutions.all(),
            "agenda": meeting.agenda.all(),
        },
    )


@community_view(*READERS)
def organisations(request: HttpRequest, community: Community) -> HttpResponse:
    """What each organisation was asked at meetings and how it answered."""
    return render(
        request,
        "meetings/organisations.html",
        {"community": community, "records": organisation_records(community)},
    )


# --- liaisons -------------------------------------------------------------------------------


def _liaison_organisations(request: HttpRequest) -> list[int]:
    ids = [
        g.organisation_id
        for g in grants(request.user)
        if g.role == Role.LIAISON and g.organisation_id
    ]
    if not ids:
        raise Http404
    return ids


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    ids = _liaison_organisations(request)
    items = (
        Invitation.objects.filter(organisation_id__in=ids)
        .select_related("meeting__community", "organisation")
        .order_by("-meeting__starts_at")[:100]
    )
    confirmable = {i.pk for i in items if MEETING_FLOW.allows(i.meeting, "confirm_invitation")}
    return render(
        request,
        "meetings/invitations.html",
        {"invitations": items, "confirmable": confirmable, "form": ConfirmForm()},
    )


@require_POST
@login_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    ids = _liaison_organisations(request)
    invitation = get_object_or_404(Invitation, pk=pk, organisation_id__in=ids)
    form = ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("attendees_missing", _("Please name who will attend."))
        actions.confirm_invitation(
            actor=request.user, invitation=invitation, attendees=form.cleaned_data["attendees"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Confirmed."))
    return redirect("meetings:invitations")


# --- residents ------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A resident's coming meetings, and the code box to sign in at the door."""
    return render(
        request,
        "meetings/mine.html",
        {
            "meetings": Meeting.objects.coming_for_resident(request.user).order_by("starts_at")[
                :20
            ],
            "form": CodeForm(),
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
def join(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            attendance = actions.sign_in_with_code(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(
                request,
                _("You are signed in: %(topic)s.") % {"topic": attendance.meeting.topic},
            )
            return redirect("meetings:mine")
    return render(
        request,
        "meetings/mine.html",
        {
            "meetings": Meeting.objects.coming_for_resident(request.user).order_by("starts_at")[
                :20
            ],
            "form": form,
            "now": timezone.now(),
        },
        status=400,
    )


# --- petitions ------------------------------------------------------------------------------


@community_view(*READERS, Role.RESIDENT)
def petitions(request: HttpRequest, community: Community) -> HttpResponse:
    form = PetitionForm(request.POST or None, initial={"idempotency_key": new_idempotency_key()})
    if request.method == "POST" and form.is_valid():
        try:
            petition = actions.start_petition(
                actor=request.user,
                community=community,
                basis=form.cleaned_data["basis"],
                subject=form.cleaned_data["subject"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Started. Others can now sign."))
            return redirect("meetings:petition", community.code, petition.pk)
    thresholds: dict[str, int] = {}
    items = []
    for p in Petition.objects.filter(community=community)[:50]:
        if p.threshold is None and p.basis not in thresholds:
            thresholds[p.basis] = quorum.threshold(community, p.basis)
        items.append((p, quorum.petition_count(p), p.threshold or thresholds[p.basis]))
    return render(
        request,
        "meetings/petitions.html",
        {"community": community, "form": form, "items": items},
        status=400 if form.errors else 200,
    )


@community_view(*READERS, Role.RESIDENT)
def petition(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    item = get_object_or_404(Petition, community=community, pk=pk)
    signed = Resident.objects.filter(
        user_id=request.user.pk or 0, community=community, status="active"
    ).first()
    return render(
        request,
        "meetings/petition.html",
        {
            "community": community,
            "petition": item,
            "count": quorum.petition_count(item),
            "needed": item.threshold or quorum.threshold(community, item.basis),
            "has_signed": signed is not None and item.signatures.filter(resident=signed).exists(),
            "is_resident": signed is not None,
            "allowed": PETITION_FLOW.available(request.user, item),
            "search_form": SearchForm(),
            "meetings": item.meetings.all(),
        },
    )


@require_POST
@community_view(*PETITION_FLOW.step("sign").roles)
def sign(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    item = get_object_or_404(Petition, community=community, pk=pk)
    try:
        actions.sign_petition(actor=request.user, petition=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: your signature is counted."))
    return redirect("meetings:petition", community.code, item.pk)


@require_POST
@community_view(*PETITION_FLOW.step("sign_on_paper").roles)
def paper(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Staff enter a signature given on paper: the resident named exactly once."""
    item = get_object_or_404(Petition, community=community, pk=pk)
    form = SearchForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("who_missing", _("Name the resident who signed."))
        signer = Resident.objects.filter(community=community).named_once(form.cleaned_data["q"])
        actions.sign_petition(actor=request.user, petition=item, resident=signer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signature entered."))
    return redirect("meetings:petition", community.code, item.pk)
