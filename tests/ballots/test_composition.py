"""Ballot actions and transactions: the results and their notice commit together, once; a cast
never joins another transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from linli.ballots import actions
from linli.ballots.models import Ballot, CastBallot, Status
from linli.core import audit
from linli.core.errors import DomainError
from linli.notices.models import Notice
from tests.ballots.helpers import grades, opened
from tests.world import World


class AuditDown(Exception):
    pass


def counted(world: World) -> Ballot:
    b = opened(world)
    actions.cast_ballot(actor=world.users["resident"], ballot=b, content=grades(b, 0))
    actions.close_ballot(actor=world.users["leader"], ballot=b)
    return actions.count_ballot(actor=world.users["leader"], ballot=b)


def test_a_failure_after_the_notice_leaves_the_ballot_counted_and_no_notice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = counted(world)
    record = audit.record

    def failing(**kwargs: Any) -> None:
        if kwargs["code"] == "ballots.published":
            raise AuditDown
        record(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(AuditDown):
        actions.publish_results(actor=world.users["leader"], ballot=b)
    b.refresh_from_db()
    assert (b.status, b.notice_id) == (Status.COUNTED, None)
    assert not Notice.objects.exists()

    monkeypatch.setattr(audit, "record", record)
    published = actions.publish_results(actor=world.users["leader"], ballot=b)
    assert published.status == Status.PUBLISHED
    assert Notice.objects.get().pk == published.notice_id


def test_a_second_publish_is_refused_and_makes_no_second_notice(world: World) -> None:
    b = counted(world)
    first = actions.publish_results(actor=world.users["teller"], ballot=b)
    with pytest.raises(DomainError) as again:
        actions.publish_results(actor=world.users["leader"], ballot=b)  # the stale copy
    assert again.value.code == "ballot_state"
    assert list(Notice.objects.values_list("pk", flat=True)) == [first.notice_id]
    assert Ballot.objects.get(pk=b.pk).status == Status.PUBLISHED


def test_a_cast_never_joins_another_transaction(world: World) -> None:
    """The vote and the record that its voter voted commit apart, or the audit trail could
    name who cast which ballot."""
    b = opened(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.cast_ballot(actor=world.users["resident"], ballot=b, content=grades(b))
    assert not CastBallot.objects.filter(ballot=b).exists()
