"""Ballot screens: preparing and running a ballot, the voter's ballot paper and receipt, the
tellers' paper entry, and the public bulletin anyone can recount from."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.ballots import actions
from linli.ballots.bulletin import (
    bulletin_bytes,
    find_receipt,
    paper_disagreements,
    published_bulletin,
)
from linli.ballots.content import describe
from linli.ballots.forms import BallotForm, FollowUpForm, ReceiptForm, ResidentForm, VoteForm
from linli.ballots.models import Ballot, Candidate, CastBallot, Kind, RollEntry, Status
from linli.ballots.workflow import BALLOT_FLOW
from linli.core.access import has_role
from linli.core.errors import DomainError
from linli.core.models import Community, Role
from linli.core.roles import (
    BALLOT_COUNTERS,
    BALLOT_DESK,
    BALLOT_ORGANISERS,
    BALLOT_PAPER_DESK,
    BALLOT_TELLERS,
    WORKERS,
)
from linli.core.views_helpers import community_view
from linli.people.models import Resident


def _ballot(community: Community, pk: int) -> Ballot:
    return get_object_or_404(Ballot.objects.select_related("community"), community=community, pk=pk)


@community_view(*BALLOT_DESK)
def ballot_list(request: HttpRequest, community: Community) -> HttpResponse:
    return render(
        request,
        "ballots/list.html",
        {
            "community": community,
            "ballots": Ballot.objects.filter(community=community)[:100],
            "can_create": has_role(request.user, community, *BALLOT_ORGANISERS),
        },
    )


@community_view(*BALLOT_ORGANISERS)
def ballot_new(request: HttpRequest, community: Community) -> HttpResponse:
    form = BallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = actions.create_ballot(
                actor=request.user,
                community=community,
                data=actions.BallotInput(
                    kind=data["kind"],
                    title=data["title"],
                    electorate=data["electorate"],
                    candidates=tuple(data["candidates"].splitlines()),
                    choose=data["choose"],
                    excellent_share=data["excellent_share"],
                    nominators_needed=data["nominators_needed"],
                ),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("ballots:detail", community.code, ballot.pk)
    return render(
        request,
        "ballots/new.html",
        {"community": community, "form": form},
        status=400 if form.errors else 200,
    )


@community_view(*BALLOT_DESK)
def ballot_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    ballot = _ballot(community, pk)
    roll = RollEntry.objects.filter(ballot=ballot)
    candidates = list(ballot.candidates.all())
    counted = ballot.status in (Status.COUNTED, Status.PUBLISHED)
    return render(
        request,
        "ballots/detail.html",
        {
            "community": community,
            "ballot": ballot,
            "candidates": candidates,
            "registered": roll.count(),
            "voted": roll.filter(voted=True).count(),
            "on_paper": roll.filter(on_paper=True).count(),
            # The steps this person may take now: the buttons and forms shown.
            "allowed": BALLOT_FLOW.available(request.user, ballot),
            "pending_sheets": paper_disagreements(ballot) if ballot.status == Status.CLOSED else [],
            "resident_form": ResidentForm(),
            "follow_up_form": FollowUpForm(ballot=ballot) if counted else None,
            "follow_ups": ballot.follow_ups.select_related("candidate"),
            "results": _results(ballot, candidates) if counted else None,
        },
    )


def _results(ballot: Ballot, candidates: list[Candidate]) -> dict[str, object]:
    """Rows for the results table, by candidate name."""
    totals = ballot.results
    names = {str(c.pk): c.name for c in candidates}
    rows: list[tuple[str, object]] = []
    if ballot.kind == Kind.APPRAISAL:
        groups = [
            (group, [(names.get(pk, pk), grades) for pk, grades in per.items()])
            for group, per in sorted(totals["grades"].items())
        ]
        return {"totals": totals, "groups": groups}
    if ballot.kind != Kind.OPINION:
        rows = [(names.get(pk, pk), n) for pk, n in totals["votes"].items()]
        elected = [names[c] for c in totals.get("elected", [])]
        tied = [names[c] for c in totals.get("tied", [])]
        return {"totals": totals, "rows": rows, "elected": elected, "tied": tied}
    return {"totals": totals}


def _step_done(
    request: HttpRequest, community: Community, ballot: Ballot, step: Callable[..., Ballot]
) -> HttpResponse:
    """Take a step from a button on the ballot's page, and go back there with the outcome."""
    try:
        step(actor=request.user, ballot=ballot)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("ballots:detail", community.code, ballot.pk)


@require_POST
@community_view(*BALLOT_ORGANISERS)
def open_ballot(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _step_done(request, community, _ballot(community, pk), actions.open_ballot)


@require_POST
@community_view(*BALLOT_ORGANISERS)
def close_ballot(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _step_done(request, community, _ballot(community, pk), actions.close_ballot)


@require_POST
@community_view(*BALLOT_COUNTERS)
def count_ballot(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _step_done(request, community, _ballot(community, pk), actions.count_ballot)


@require_POST
@community_view(*BALLOT_COUNTERS)
def publish_results(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _step_done(request, community, _ballot(community, pk), actions.publish_results)


@require_POST
@community_view(*BALLOT_PAPER_DESK)
def paper_out(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Hand a paper sheet to a voter without a phone."""
    ballot = _ballot(community, pk)
    form = ResidentForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("who_missing", _("Name the voter."))
        resident = Resident.objects.filter(community=community).named_once(form.cleaned_data["q"])
        actions.hand_out_paper(actor=request.user, ballot=ballot, resident=resident)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s votes on paper.") % {"name": resident.name})
    return redirect("ballots:detail", community.code, ballot.pk)


@require_POST
@community_view(*WORKERS)
def nominate(request: HttpRequest, community: Community, pk: int, candidate: int) -> HttpResponse:
    ballot = _ballot(community, pk)
    nominee = get_object_or_404(Candidate, ballot=ballot, pk=candidate)
    form = ResidentForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("who_missing", _("Name the nominator."))
        resident = Resident.objects.filter(community=community).named_once(form.cleaned_data["q"])
        actions.nominate(actor=request.user, candidate=nominee, resident=resident)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Nomination recorded."))
    return redirect("ballots:detail", community.code, ballot.pk)


@community_view(*BALLOT_TELLERS)
def paper(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """A teller types in a paper sheet; a second teller types the same sheet independently."""
    ballot = _ballot(community, pk)
    form = VoteForm(request.POST or None, ballot=ballot, paper=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_paper(
                actor=request.user,
                ballot=ballot,
                sheet=form.cleaned_data["sheet"],
                content=form.content(),
                spoiled=form.cleaned_data["spoiled"],
                group=form.cleaned_data.get("group") or "all",
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sheet entered."))
            return redirect("ballots:paper", community.code, ballot.pk)
    return render(
        request,
        "ballots/paper.html",
        {
            "community": community,
            "ballot": ballot,
            "form": form,
            "pending": paper_disagreements(ballot),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@community_view(*BALLOT_TELLERS)
def paper_withdraw(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """A teller takes back their reading of a sheet not yet counted."""
    ballot = _ballot(community, pk)
    try:
        actions.withdraw_paper(
            actor=request.user, ballot=ballot, sheet=request.POST.get("sheet", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your reading was withdrawn."))
    return redirect("ballots:paper", community.code, ballot.pk)


@require_POST
@community_view(*BALLOT_ORGANISERS)
def follow_up(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    ballot = _ballot(community, pk)
    form = FollowUpForm(request.POST, ballot=ballot)
    try:
        if not form.is_valid():
            raise DomainError(
                "follow_up_invalid", _("Choose an action and write what was decided.")
            )
        data = form.cleaned_data
        actions.record_follow_up(
            actor=request.user,
            ballot=ballot,
            candidate=get_object_or_404(Candidate, ballot=ballot, pk=data["candidate"]),
            action=data["action"],
            note=data["note"],
            deadline=data["deadline"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect("ballots:detail", community.code, ballot.pk)


# --- voters ---------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The ballots a resident is on the roll of."""
    entries = (
        RollEntry.objects.filter(resident__user_id=request.user.pk or 0)
        .select_related("ballot__community")
        .order_by("-ballot__created_at")[:50]
    )
    return render(request, "ballots/mine.html", {"entries": entries})


@community_view(Role.RESIDENT)
def vote(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The ballot paper. The receipt is shown once, in the answer to the vote, and kept
    nowhere with the voter's name."""
    ballot = _ballot(community, pk)
    form = VoteForm(request.POST or None, ballot=ballot)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = actions.cast_ballot(actor=request.user, ballot=ballot, content=form.content())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request,
                "ballots/receipt.html",
                {"community": community, "ballot": ballot, "receipt": receipt},
            )
    entry = RollEntry.objects.filter(ballot=ballot, resident__user_id=request.user.pk or 0).first()
    return render(
        request,
        "ballots/vote.html",
        {"community": community, "ballot": ballot, "form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


def bulletin(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Public after the count: every counted ballot by receipt, and the totals."""
    community = get_object_or_404(Community, code=code)
    ballot = _ballot(community, pk)
    if ballot.status not in (Status.COUNTED, Status.PUBLISHED):
        raise Http404
    form = ReceiptForm(request.GET or None)
    found: CastBallot | None = None
    searched = False
    if form.is_valid():
        searched = True
        found = find_receipt(ballot, form.cleaned_data["receipt"])
    cast = [
        (c, describe(ballot, c.content) if not c.spoiled else "")
        for c in CastBallot.objects.filter(ballot=ballot).order_by("receipt")
    ]
    return render(
        request,
        "ballots/bulletin.html",
        {
            "community": community,
            "ballot": ballot,
            "cast": cast,
            "results": _results(ballot, list(ballot.candidates.all())),
            "form": form,
            "found": found,
            "found_text": describe(ballot, found.content) if found and not found.spoiled else "",
            "searched": searched,
        },
    )


def bulletin_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The bulletin as JSON, to recount with `linli ballots recount FILE`."""
    community = get_object_or_404(Community, code=code)
    ballot = _ballot(community, pk)
    if ballot.status not in (Status.COUNTED, Status.PUBLISHED):
        raise Http404
    response = HttpResponse(
        bulletin_bytes(published_bulletin(ballot)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="ballot-{ballot.pk}-bulletin.json"'
    return response
