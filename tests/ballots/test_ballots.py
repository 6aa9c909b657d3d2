"""Secret ballots: eligibility, one ballot each, secrecy, paper sheets, counting, recount."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.utils import timezone

from linli.ballots import actions
from linli.ballots.bulletin import (
    bulletin_bytes,
    find_receipt,
    paper_disagreements,
    published_bulletin,
)
from linli.ballots.models import CastBallot, RollEntry
from linli.ballots.tally import tally
from linli.core.access import SYSTEM
from linli.core.actions import grant_role
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from linli.notices.models import Notice
from tests.ballots.helpers import ballot, grades, opened, voter
from tests.world import World, make_user


def test_the_roll_is_frozen_when_the_ballot_opens(world: World) -> None:
    b = opened(world)
    assert RollEntry.objects.filter(ballot=b).count() == 3  # the three adults of 幸福里
    late = voter(world)
    with pytest.raises(DomainError) as refused:
        actions.cast_ballot(actor=late.user, ballot=b, content=grades(b))
    assert refused.value.code == "not_on_roll"
    party = opened(world, electorate="party")
    assert list(
        RollEntry.objects.filter(ballot=party).values_list("resident__name", flat=True)
    ) == ["张三"]


def test_one_ballot_per_voter_and_what_a_ballot_may_say(world: World) -> None:
    b = opened(world)
    zhang = world.users["resident"]
    with pytest.raises(DomainError) as too_many:
        actions.cast_ballot(actor=zhang, ballot=b, content=grades(b, 0, 1, 2))
    assert too_many.value.code == "too_many_excellent"  # 6 members, at most 1/3: 2
    partial = grades(b)
    partial.popitem()
    with pytest.raises(DomainError) as missing:
        actions.cast_ballot(actor=zhang, ballot=b, content=partial)
    assert missing.value.code == "grades_missing"
    receipt = actions.cast_ballot(actor=zhang, ballot=b, content=grades(b, 0, 1))
    assert len(receipt) == 10
    with pytest.raises(DomainError) as twice:
        actions.cast_ballot(actor=zhang, ballot=b, content=grades(b))
    assert twice.value.code == "already_voted"
    assert CastBallot.objects.filter(ballot=b).count() == 1
    with pytest.raises(AccessDenied):
        actions.cast_ballot(actor=world.users["staff"], ballot=b, content=grades(b))
    recommend = opened(world, kind="recommendation", choose=2, candidates=("甲", "乙", "丙"))
    ids = [c.pk for c in recommend.candidates.all()]
    with pytest.raises(DomainError) as over:
        actions.cast_ballot(actor=zhang, ballot=recommend, content=ids)
    assert over.value.code == "too_many"
    with pytest.raises(DomainError) as stranger:
        actions.cast_ballot(actor=zhang, ballot=recommend, content=[ids[0], 999999])
    assert stranger.value.code == "candidate_unknown"


def test_a_ballot_holds_nothing_that_names_or_times_its_voter(world: World) -> None:
    b = opened(world)
    receipt = actions.cast_ballot(actor=world.users["resident"], ballot=b, content=grades(b, 0))
    fields = {f.name: f for f in CastBallot._meta.get_fields()}
    assert isinstance(fields["id"], models.UUIDField)
    related = {f.related_model for f in fields.values() if f.is_relation}
    assert related == {apps.get_model("ballots", "Ballot")}
    assert not any(isinstance(f, models.DateTimeField) for f in fields.values())
    roll_fields = RollEntry._meta.get_fields()
    assert not any(isinstance(f, models.DateTimeField | models.DateField) for f in roll_fields)
    # The receipt appears in no other table: not the roll, not the audit trail.
    for model in apps.get_models():
        if model is CastBallot:
            continue
        text = json.dumps(list(model.objects.values()), default=str)
        assert receipt not in text, model
    voted = AuditEvent.objects.get(code="ballots.voted")
    assert set(voted.data) == {"title"}
    # No count exists before the count.
    assert b.results == {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_casts_by_one_voter_count_once(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database locks whole tables: run on PostgreSQL")
    b = opened(world)
    zhang = world.users["resident"]
    results: list[str] = []
    barrier = threading.Barrier(8)

    def cast() -> None:
        try:
            barrier.wait()
            actions.cast_ballot(actor=zhang, ballot=b, content=grades(b))
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert CastBallot.objects.filter(ballot=b).count() == 1
    assert RollEntry.objects.get(ballot=b, resident__user=zhang).voted


def test_paper_ballots_are_read_by_two_tellers(world: World) -> None:
    teller, leader = world.users["teller"], world.users["leader"]
    second = make_user("teller2")
    grant_role(actor=SYSTEM, user=second, role="teller", community=world.community)
    b = opened(world)
    wang = world.residents["wang"]
    actions.hand_out_paper(actor=world.users["staff"], ballot=b, resident=wang)
    with pytest.raises(DomainError):
        actions.hand_out_paper(actor=world.users["staff"], ballot=b, resident=wang)
    with pytest.raises(DomainError) as still_open:
        actions.enter_paper(actor=teller, ballot=b, sheet="001", content=grades(b))
    assert still_open.value.code == "ballot_state"
    actions.close_ballot(actor=leader, ballot=b)
    actions.enter_paper(actor=teller, ballot=b, sheet="001", content=grades(b, 0))
    actions.enter_paper(actor=second, ballot=b, sheet="001", content=grades(b, 1))  # misread
    assert paper_disagreements(b) == ["001"]
    with pytest.raises(DomainError) as pending:
        actions.count_ballot(actor=leader, ballot=b)
    assert pending.value.code == "paper_pending"
    actions.enter_paper(actor=second, ballot=b, sheet="001", content=grades(b, 0))  # corrected
    assert paper_disagreements(b) == []
    actions.enter_paper(actor=teller, ballot=b, sheet="002", content={}, spoiled=True)
    with pytest.raises(DomainError) as extra:
        actions.enter_paper(actor=second, ballot=b, sheet="002", content={}, spoiled=True)
    assert extra.value.code == "too_many_sheets"  # one paper ballot was handed out
    actions.withdraw_paper(actor=teller, ballot=b, sheet="002")
    counted = actions.count_ballot(actor=leader, ballot=b)
    assert (counted.results["cast"], counted.results["voted"]) == (1, 1)
    first = str(b.candidates.first().pk)  # type: ignore[union-attr]
    assert counted.results["grades"]["all"][first]["excellent"] == 1


def test_count_publish_and_recount_from_the_file(world: World, tmp_path: Path) -> None:
    b = opened(world)
    actions.cast_ballot(actor=world.users["resident"], ballot=b, content=grades(b, 0, 1))
    with pytest.raises(DomainError):
        actions.count_ballot(actor=world.users["leader"], ballot=b)  # still open
    actions.close_ballot(actor=world.users["leader"], ballot=b)
    b = actions.count_ballot(actor=world.users["leader"], ballot=b)
    b = actions.publish_results(actor=world.users["leader"], ballot=b)
    notice = Notice.objects.get(pk=b.notice_id)
    assert notice.kind == "ballot_results"
    assert "党员甲" in notice.body
    assert b.bulletin_sha256 in notice.body
    data = bulletin_bytes(published_bulletin(b))
    assert hashlib.sha256(data).hexdigest() == b.bulletin_sha256
    path = tmp_path / "bulletin.json"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("ballots", "recount", str(path), stdout=out)
    assert "Recount matches" in out.getvalue()
    tampered = json.loads(data)
    tampered["ballots"][0]["content"] = grades(b)
    path.write_text(json.dumps(tampered), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ballots", "recount", str(path), stdout=io.StringIO())
    receipt = tampered["ballots"][0]["receipt"]
    assert find_receipt(b, receipt.lower()) is not None


def test_an_opinion_on_a_prospective_member_goes_to_public_notice(world: World) -> None:
    b = opened(world, kind="opinion", candidates=("入党积极分子王某",))
    actions.cast_ballot(
        actor=world.users["resident"], ballot=b, content={"opinion": "agree", "comment": "表现好"}
    )
    actions.close_ballot(actor=world.users["leader"], ballot=b)
    b = actions.count_ballot(actor=world.users["leader"], ballot=b)
    assert b.results["opinions"] == {"agree": 1, "disagree": 0, "abstain": 0}
    assert b.results["comments"] == ["表现好"]
    b = actions.publish_results(actor=world.users["leader"], ballot=b)
    notice = Notice.objects.get(pk=b.notice_id)
    assert notice.kind == "party_development"
    assert notice.period_ends_at is not None


def test_elections_need_nominators_and_more_candidates_than_seats(world: World) -> None:
    b = ballot(
        world, kind="election", choose=1, candidates=("候选人甲", "候选人乙"), nominators_needed=1
    )
    with pytest.raises(DomainError) as short:
        actions.open_ballot(actor=world.users["leader"], ballot=b)
    assert short.value.code == "nominators_missing"
    first, second = b.candidates.all()
    actions.nominate(actor=world.users["staff"], candidate=first, resident=world.residents["wang"])
    actions.nominate(
        actor=world.users["staff"], candidate=second, resident=world.residents["zhang"]
    )
    with pytest.raises(DomainError):
        actions.nominate(
            actor=world.users["staff"], candidate=first, resident=world.residents["wang"]
        )
    actions.open_ballot(actor=world.users["leader"], ballot=b)
    one_seat = ballot(world, kind="election", choose=1, candidates=("独一",), nominators_needed=1)
    with pytest.raises(DomainError) as uncontested:
        actions.open_ballot(actor=world.users["leader"], ballot=one_seat)
    assert uncontested.value.code == "not_competitive"


def _election(votes: list[list[int]], registered: int, seats: int = 2) -> dict[str, object]:
    return tally(
        {
            "kind": "election",
            "choose": seats,
            "registered": registered,
            "voted": len(votes),
            "candidates": [{"id": i, "name": str(i)} for i in (1, 2, 3, 4)],
            "ballots": [
                {"receipt": str(n), "group": "all", "content": v, "spoiled": False}
                for n, v in enumerate(votes)
            ],
        }
    )


def test_election_rules_at_their_edges() -> None:
    # Exactly half of the registered voters voted: not valid.
    assert _election([[1], [1]], registered=4)["turnout_valid"] is False
    assert _election([[1], [1], [1]], registered=4)["turnout_valid"] is True
    # Exactly half of the valid ballots is not enough to be elected.
    result = _election([[1, 2], [1, 3], [1, 2], [4]], registered=5)
    assert result["elected"] == ["1"]  # 4 of 4... 1 has 3 of 4; 2 has 2 of 4: not elected
    assert result["unfilled"] == 1
    # A tie for the last seat leaves it unfilled and is reported.
    tie = _election([[1, 2], [1, 3], [1, 2], [1, 3], [2, 3]], registered=5)
    assert tie["elected"] == ["1"]
    assert sorted(tie["tied"]) == ["2", "3"]  # type: ignore[arg-type]
    assert tie["unfilled"] == 1


def test_follow_ups_after_an_appraisal(world: World) -> None:
    b = opened(world)
    actions.close_ballot(actor=world.users["leader"], ballot=b)
    b = actions.count_ballot(actor=world.users["leader"], ballot=b)
    member = b.candidates.first()
    assert member is not None
    with pytest.raises(DomainError):
        actions.record_follow_up(
            actor=world.users["leader"],
            ballot=b,
            candidate=member,
            action="correct",
            note="限期整改",
        )
    done = actions.record_follow_up(
        actor=world.users["leader"],
        ballot=b,
        candidate=member,
        action="correct",
        note="限期整改",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    assert done.pk
