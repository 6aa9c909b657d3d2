"""Paper batches: started by staff of an open campaign, with 1 to 500 sheets; a refusal writes
nothing."""

from __future__ import annotations

import pytest

from linli.core.errors import AccessDenied, DomainError
from linli.core.models import AuditEvent
from linli.evaluations import actions
from linli.evaluations.models import PaperBatch, Response, RollEntry
from tests.evaluations.helpers import closed, make
from tests.world import World


def _written() -> tuple[int, int]:
    return PaperBatch.objects.count(), AuditEvent.objects.count()


def test_starting_a_batch_is_refused_with_nothing_written(world: World) -> None:
    staff = world.users["staff"]
    draft = make(world)
    opened = actions.open_campaign(actor=world.users["leader"], campaign=make(world, title="开"))
    done = closed(world, title="结束")
    before = _written()
    for role in ("supervisor", "welfare_reviewer", "resident", "outsider"):
        with pytest.raises(AccessDenied) as denied:
            actions.start_batch(actor=world.users[role], campaign=opened, sheets=5)
        assert denied.value.code == "access_denied", role
    for sheets in (0, 501, -1):
        with pytest.raises(DomainError) as bad:
            actions.start_batch(actor=staff, campaign=opened, sheets=sheets)
        assert bad.value.code == "sheets_invalid", sheets
    for campaign in (draft, done):
        with pytest.raises(DomainError) as wrong:
            actions.start_batch(actor=staff, campaign=campaign, sheets=5)
        assert wrong.value.code == "campaign_state", campaign.status
    assert _written() == before
    batch = actions.start_batch(actor=staff, campaign=opened, sheets=500)
    assert (batch.declared_sheets, batch.entered_by, batch.checked) == (500, staff, False)


def test_handing_out_paper_is_refused_with_nothing_written(world: World) -> None:
    staff, wang = world.users["staff"], world.residents["wang"]
    draft = make(world)
    with pytest.raises(DomainError) as early:
        actions.hand_out_paper(actor=staff, campaign=draft, resident=wang)
    assert early.value.code == "campaign_state"
    opened = actions.open_campaign(actor=world.users["leader"], campaign=draft)
    with pytest.raises(AccessDenied):
        actions.hand_out_paper(actor=world.users["supervisor"], campaign=opened, resident=wang)
    assert not RollEntry.objects.filter(answered=True).exists()
    actions.hand_out_paper(actor=staff, campaign=opened, resident=wang)
    assert RollEntry.objects.get(resident=wang).answered is True
    assert not Response.objects.exists()  # the sheet comes back in a batch
