"""Every state change of a ballot: preparing, opening (the roll is frozen), casting, paper
sheets read by two tellers, closing, counting, publishing, follow-ups.

What no action ever writes: who cast which ballot, or when in the day. The audit trail says
that a voter voted, never what or with which receipt. Reads live beside: `electorate.py` (who
votes), `content.py` (what a ballot may say), `bulletin.py` (what the count makes public).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.ballots.bulletin import bulletin, bulletin_bytes, paper_disagreements, results_text
from linli.ballots.content import check_content
from linli.ballots.electorate import party_members, voters
from linli.ballots.models import (
    Ballot,
    Candidate,
    CastBallot,
    Electorate,
    FollowUp,
    Group,
    Kind,
    Nomination,
    PaperEntry,
    RollEntry,
    Status,
)
from linli.ballots.tally import tally
from linli.ballots.workflow import BALLOT_FLOW
from linli.core import audit
from linli.core.access import require_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community
from linli.core.roles import BALLOT_ORGANISERS
from linli.core.transactions import atomic_action, in_caller_transaction
from linli.notices.actions import publish_notice
from linli.notices.models import NoticeKind
from linli.people.models import Resident

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _audit(actor: Any, code: str, ballot: Ballot, **data: Any) -> None:
    audit.record(
        actor=actor,
        code=f"ballots.{code}",
        community=ballot.community,
        target=ballot,
        data={"title": ballot.title, **data},
    )


def _lock(ballot: Ballot, step: str) -> Ballot:
    """The ballot, locked, and refused unless the step may start from its status now."""
    locked = Ballot.objects.select_for_update().select_related("community").get(pk=ballot.pk)
    BALLOT_FLOW.check_status(locked, step)
    return locked


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))


# --- preparing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotInput:
    kind: str
    title: str
    electorate: str
    candidates: tuple[str, ...]
    choose: int = 1
    excellent_share: str = "1/3"
    nominators_needed: int | None = None


def _check_ballot(data: BallotInput) -> list[str]:
    """The candidates' names, once the ballot's settings are checked."""
    if data.kind not in Kind.values or data.electorate not in Electorate.values:
        raise DomainError("kind_unknown", _("Unknown kind of ballot or electorate."))
    names = [n.strip() for n in data.candidates if n.strip()]
    if not data.title.strip():
        raise DomainError("title_missing", _("A title is needed."))
    if not names:
        raise DomainError("candidates_missing", _("Name at least one candidate."))
    if len(set(names)) != len(names):
        raise DomainError("candidates_repeated", _("A name appears twice."))
    if data.kind == Kind.OPINION and len(names) != 1:
        raise DomainError("one_subject", _("An opinion ballot is about one prospective member."))
    if data.kind in (Kind.RECOMMENDATION, Kind.ELECTION) and not 1 <= data.choose <= len(names):
        raise DomainError("choose_invalid", _("Choose between 1 and the number of candidates."))
    if data.excellent_share not in ("1/2", "1/3", "1/4", "1/5"):
        raise DomainError("share_invalid", _("Choose a share: 1/2, 1/3, 1/4 or 1/5."))
    return names


def create_ballot(*, actor: Any, community: Community, data: BallotInput) -> Ballot:
    """A draft ballot with its candidates (a name each, linked to the resident of that name
    when there is exactly one)."""
    require_role(actor, community, *BALLOT_ORGANISERS)
    names = _check_ballot(data)
    needed = data.nominators_needed
    if needed is None:
        needed = 5 if data.electorate == Electorate.HOUSEHOLDS else 10
    with atomic_action():
        ballot = Ballot.objects.create(
            community=community,
            kind=data.kind,
            title=data.title.strip()[:200],
            electorate=data.electorate,
            choose=data.choose,
            excellent_share=data.excellent_share,
            nominators_needed=needed,
            created_by=actor,
        )
        for position, name in enumerate(names):
            matches = list(Resident.objects.filter(community=community, name=name).active()[:2])
            Candidate.objects.create(
                ballot=ballot,
                name=name[:50],
                resident=matches[0] if len(matches) == 1 else None,
                position=position,
            )
        _audit(actor, "created", ballot, candidates=len(names))
    return ballot


def nominate(*, actor: Any, candidate: Candidate, resident: Resident) -> Nomination:
    """Staff record a voter's nomination of an election candidate (from the signed form)."""
    ballot = candidate.ballot
    BALLOT_FLOW.check_access(actor, ballot, "nominate")
    if ballot.kind != Kind.ELECTION:
        raise DomainError("not_election", _("Only election candidates are nominated."))
    if not voters(ballot).filter(pk=resident.pk).exists():
        raise DomainError(
            "not_voter", _("%(name)s is not a voter of this ballot."), name=resident.name
        )
    with atomic_action():
        locked = _lock(ballot, "nominate")
        try:
            # A savepoint: a nomination already there is a refusal, not a broken transaction.
            with transaction.atomic():
                nomination = Nomination.objects.create(candidate=candidate, resident=resident)
        except IntegrityError:
            raise DomainError(
                "already_nominated",
                _("%(name)s has already nominated this candidate."),
                name=resident.name,
            ) from None
        _audit(actor, "nominated", locked, candidate=candidate.name)
    return nomination


def _check_competitive(ballot: Ballot) -> None:
    """An election has more candidates than seats, each with enough nominators."""
    candidates = list(ballot.candidates.all())
    if len(candidates) <= ballot.choose:
        raise DomainError("not_competitive", _("An election needs more candidates than seats."))
    short = [c.name for c in candidates if c.nominations.count() < ballot.nominators_needed]
    if short:
        raise DomainError(
            "nominators_missing",
            _("Not enough nominators (%(n)s needed): %(names)s."),
            n=ballot.nominators_needed,
            names="、".join(short),
        )


def open_ballot(*, actor: Any, ballot: Ballot) -> Ballot:
    """Freeze the roll and open for voting."""
    BALLOT_FLOW.check_access(actor, ballot, "open")
    with atomic_action():
        ballot = _lock(ballot, "open")
        if ballot.kind == Kind.ELECTION:
            _check_competitive(ballot)
        party = party_members(ballot)
        split = ballot.electorate == Electorate.PARTY_AND_REPRESENTATIVES
        roll = [
            RollEntry(
                ballot=ballot,
                resident_id=pk,
                group=(Group.PARTY if pk in party else Group.REPRESENTATIVES)
                if split
                else Group.ALL,
            )
            for pk in voters(ballot).values_list("pk", flat=True)
        ]
        if not roll:
            raise DomainError("roll_empty", _("Nobody is eligible to vote."))
        RollEntry.objects.bulk_create(roll, batch_size=2000)
        ballot.status = Status.OPEN
        ballot.opened_at = timezone.now()
        ballot.save(update_fields=["status", "opened_at"])
        _audit(actor, "opened", ballot, voters=len(roll))
    return ballot


# --- voting ---------------------------------------------------------------------------------


def _insert_cast(
    ballot: Ballot, group: str, content: Any, *, on_paper: bool, receipt: str, spoiled: bool = False
) -> CastBallot:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return CastBallot.objects.create(
                    ballot=ballot,
                    receipt=receipt,
                    group=group,
                    content=content,
                    spoiled=spoiled,
                    on_paper=on_paper,
                    day=timezone.localdate(),
                )
        except IntegrityError:
            if on_paper:
                raise
            receipt = new_receipt()
    raise DomainError("receipt_clash", _("Please try again."))  # pragma: no cover


def _hold_open(ballot: Ballot) -> str:
    """Read the ballot's status and keep it from closing until this transaction ends; casts
    do not wait for each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status FROM ballots_ballot WHERE id = %s FOR SHARE",
                [ballot.pk],
            )
            row = cursor.fetchone()
        return str(row[0]) if row else ""
    return str(Ballot.objects.filter(pk=ballot.pk).values_list("status", flat=True).first())


def cast_ballot(*, actor: Any, ballot: Ballot, content: Any) -> str:
    """A voter on the roll casts their ballot once; the receipt is theirs to check it with."""
    resident = Resident.objects.filter(
        user_id=getattr(actor, "pk", None) or 0, community=ballot.community_id, status="active"
    ).first()
    if resident is None:
        raise AccessDenied("access_denied", _("Only residents of this community vote here."))
    if in_caller_transaction():
        # The ballot and the record that this voter voted must commit apart (see below), so
        # a cast never joins another action's transaction.
        raise RuntimeError("cast_ballot runs only at the entry point (a view, a test)")
    candidates = list(ballot.candidates.all())
    clean = check_content(ballot, content, candidates)
    with atomic_action():
        if _hold_open(ballot) != Status.OPEN:
            raise DomainError("ballot_closed", _("Voting is not open."))
        entry = RollEntry.objects.filter(ballot=ballot, resident=resident).first()
        if entry is None:
            raise DomainError("not_on_roll", _("You are not on this ballot's roll."))
        # The one place a vote is claimed: at most one transaction can flip this row.
        claimed = RollEntry.objects.filter(pk=entry.pk, voted=False, on_paper=False).update(
            voted=True
        )
        if claimed != 1:
            if entry.on_paper:
                raise DomainError("on_paper", _("You were given a paper ballot."))
            raise DomainError("already_voted", _("You have already voted."))
        cast = _insert_cast(ballot, entry.group, clean, on_paper=False, receipt=new_receipt())
    # That the voter voted is audited in a transaction of its own, so that no row written
    # with the ballot (same transaction id, same moment) names the voter.
    with atomic_action():
        audit.record(
            actor=actor,
            code="ballots.voted",
            community=ballot.community,
            target=ballot,
            data={"title": ballot.title},
        )
    return cast.receipt


def hand_out_paper(*, actor: Any, ballot: Ballot, resident: Resident) -> RollEntry:
    """A voter without a phone takes a paper sheet: marked as voting on paper, so they cannot
    also vote online."""
    BALLOT_FLOW.check_access(actor, ballot, "hand_out_paper")
    with atomic_action():
        locked = _lock(ballot, "hand_out_paper")
        claimed = RollEntry.objects.filter(ballot=ballot, resident=resident, voted=False).update(
            voted=True, on_paper=True
        )
        if claimed != 1:
            on_roll = RollEntry.objects.filter(ballot=ballot, resident=resident).exists()
            if not on_roll:
                raise DomainError(
                    "not_on_roll", _("%(name)s is not on the roll."), name=resident.name
                )
            raise DomainError("already_voted", _("%(name)s has already voted."), name=resident.name)
        _audit(actor, "paper_handed_out", locked)
    return RollEntry.objects.get(ballot=ballot, resident=resident)


def _check_sheet(ballot: Ballot, sheet: str, group: str) -> str:
    """The sheet's number as typed, once it and the voters' group make sense."""
    sheet = sheet.strip().upper()
    if not sheet or len(sheet) > 14:  # the receipt is "P-" + the sheet number, 16 at most
        raise DomainError("sheet_missing", _("Type the sheet's number."))
    split = ballot.electorate == Electorate.PARTY_AND_REPRESENTATIVES
    if (
        group not in Group.values
        or (split and group == Group.ALL)
        or (not split and group != Group.ALL)
    ):
        raise DomainError("group_missing", _("Say which group's sheet this is."))
    return sheet


def _refuse_counted_sheet(ballot: Ballot, sheet: str) -> None:
    if CastBallot.objects.filter(ballot=ballot, receipt=f"P-{sheet}").exists():
        raise DomainError("sheet_counted", _("Sheet %(sheet)s is already counted."), sheet=sheet)


def enter_paper(
    *,
    actor: Any,
    ballot: Ballot,
    sheet: str,
    content: Any,
    spoiled: bool = False,
    group: str = Group.ALL,
) -> PaperEntry:
    """A teller's reading of a paper sheet, after voting closed. When two tellers' readings of
    a sheet agree, the sheet is counted; when they differ, neither counts until corrected."""
    BALLOT_FLOW.check_access(actor, ballot, "enter_paper")
    sheet = _check_sheet(ballot, sheet, group)
    candidates = list(ballot.candidates.all())
    clean = {} if spoiled else check_content(ballot, content, candidates)
    with atomic_action():
        locked = _lock(ballot, "enter_paper")
        _refuse_counted_sheet(ballot, sheet)
        entry, _created = PaperEntry.objects.update_or_create(
            ballot=ballot,
            sheet=sheet,
            teller=actor,
            defaults={"content": {"group": group, "content": clean}, "spoiled": spoiled},
        )
        other = PaperEntry.objects.filter(ballot=ballot, sheet=sheet).exclude(teller=actor).first()
        if other is not None and other.spoiled == spoiled and other.content == entry.content:
            on_paper = RollEntry.objects.filter(ballot=ballot, on_paper=True).count()
            counted = CastBallot.objects.filter(ballot=ballot, on_paper=True).count()
            if counted >= on_paper:
                raise DomainError(
                    "too_many_sheets",
                    _("More sheets than paper ballots handed out (%(n)s)."),
                    n=on_paper,
                )
            _insert_cast(ballot, group, clean, on_paper=True, receipt=f"P-{sheet}", spoiled=spoiled)
        _audit(actor, "paper_entered", locked, sheet=sheet)
    return entry


def withdraw_paper(*, actor: Any, ballot: Ballot, sheet: str) -> None:
    """A teller takes back their own reading of a sheet that is not counted (a misread
    number, a sheet that was not one of this ballot's)."""
    BALLOT_FLOW.check_access(actor, ballot, "withdraw_paper")
    sheet = sheet.strip().upper()
    with atomic_action():
        locked = _lock(ballot, "withdraw_paper")
        _refuse_counted_sheet(ballot, sheet)
        deleted, _rows = PaperEntry.objects.filter(
            ballot=ballot, sheet=sheet, teller=actor
        ).delete()
        if not deleted:
            raise DomainError(
                "sheet_unknown", _("You have not entered sheet %(sheet)s."), sheet=sheet
            )
        _audit(actor, "paper_withdrawn", locked, sheet=sheet)


# --- closing, counting, publishing ----------------------------------------------------------


def close_ballot(*, actor: Any, ballot: Ballot) -> Ballot:
    """Close the voting: no more casts; the tellers may type in the paper sheets."""
    BALLOT_FLOW.check_access(actor, ballot, "close")
    with atomic_action():
        ballot = _lock(ballot, "close")
        ballot.status = Status.CLOSED
        ballot.closed_at = timezone.now()
        ballot.save(update_fields=["status", "closed_at"])
        _audit(actor, "closed", ballot)
    return ballot


def count_ballot(*, actor: Any, ballot: Ballot) -> Ballot:
    """Count once voting is closed and every paper sheet is reconciled."""
    BALLOT_FLOW.check_access(actor, ballot, "count")
    with atomic_action():
        ballot = _lock(ballot, "count")
        pending = paper_disagreements(ballot)
        if pending:
            raise DomainError(
                "paper_pending",
                _("Paper sheets not yet reconciled by two tellers: %(sheets)s."),
                sheets="、".join(pending),
            )
        data = bulletin(ballot)
        totals = tally(data)
        data["totals"] = totals
        ballot.results = totals
        ballot.bulletin_sha256 = hashlib.sha256(bulletin_bytes(data)).hexdigest()
        ballot.status = Status.COUNTED
        ballot.save(update_fields=["results", "bulletin_sha256", "status"])
        _audit(actor, "counted", ballot, cast=totals["cast"], sha256=ballot.bulletin_sha256)
    return ballot


def publish_results(*, actor: Any, ballot: Ballot) -> Ballot:
    """Publish the results on the notice board (for an opinion on a prospective member, as
    the party-development public notice with its period)."""
    BALLOT_FLOW.check_access(actor, ballot, "publish")
    with atomic_action():
        # The lock and the status make a second click wait, then find the results published.
        ballot = _lock(ballot, "publish")
        kind = (
            NoticeKind.PARTY_DEVELOPMENT
            if ballot.kind == Kind.OPINION
            else NoticeKind.BALLOT_RESULTS
        )
        ballot.notice = publish_notice(
            actor=actor,
            community=ballot.community,
            kind=kind,
            title=gettext("Results: %(title)s") % {"title": ballot.title},
            body=results_text(ballot),
            source=ballot,
            digests=[ballot.bulletin_sha256],
        )
        ballot.status = Status.PUBLISHED
        ballot.save(update_fields=["status", "notice"])
        _audit(actor, "published", ballot)
    return ballot


def record_follow_up(
    *,
    actor: Any,
    ballot: Ballot,
    candidate: Candidate,
    action: str,
    note: str,
    deadline: dt.date | None = None,
) -> FollowUp:
    """The branch's decision on an appraised member, after the count."""
    BALLOT_FLOW.check_access(actor, ballot, "follow_up")
    if ballot.kind != Kind.APPRAISAL or candidate.ballot_id != ballot.pk:
        raise DomainError("not_appraised", _("Follow-ups are for members appraised here."))
    BALLOT_FLOW.check_status(ballot, "follow_up")
    if action not in FollowUp.Action.values or not note.strip():
        raise DomainError("follow_up_invalid", _("Choose an action and write what was decided."))
    if action == FollowUp.Action.CORRECT and (deadline is None or deadline < timezone.localdate()):
        raise DomainError("deadline_missing", _("Correction needs a deadline that is not past."))
    with atomic_action():
        follow_up = FollowUp.objects.create(
            ballot=ballot,
            candidate=candidate,
            action=action,
            note=note.strip(),
            deadline=deadline,
            recorded_by=actor,
        )
        _audit(actor, "follow_up", ballot, candidate=candidate.name)
    return follow_up
