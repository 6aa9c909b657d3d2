"""The demo: the meetings held with the utilities and the next one planned, and the `demo`
command loading every app's demo once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from linli.appeals.demo import load_demo_appeals
from linli.ballots.models import Ballot
from linli.care.models import ReliefCampaign, Visit, VisitPolicy
from linli.core.audit import verify
from linli.evaluations.models import Campaign
from linli.meetings.demo import load_demo_meetings
from linli.meetings.models import Handling, Meeting
from linli.people.demo import load_demo
from linli.welfare.models import Application


@pytest.mark.django_db
def test_the_demo_meetings() -> None:
    community, _created = load_demo()
    load_demo_appeals(community)
    assert load_demo_meetings(community) == 2
    held = Meeting.objects.get(status="published")
    assert held.notice is not None
    assert held.attendance.count() == 14
    assert {o.handling for o in held.opinions.all()} == {Handling.ON_THE_SPOT, Handling.FOLLOW_UP}
    assert Meeting.objects.filter(status="planned").count() == 1
    assert load_demo_meetings(community) == 0
    assert verify().ok


@pytest.mark.django_db
def test_the_demo_command_loads_every_app_once() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Demo loaded: 幸福里社区" in out.getvalue()
    assert "shuji" in out.getvalue()
    assert Meeting.objects.count() == 2
    assert Ballot.objects.get().status == "draft"
    assert Campaign.objects.get().status == "open"
    assert VisitPolicy.objects.count() == 5
    assert Visit.objects.exists()
    assert ReliefCampaign.objects.get().status == "draft"
    statuses = dict(Application.objects.values_list("programme__kind", "status"))
    assert statuses == {"dibao": "on_notice", "tekun": "accepted", "temporary": "materials_missing"}
    assert Application.objects.get(programme__kind="temporary").emergency_amount == 1000
    again = io.StringIO()
    call_command("demo", stdout=again)
    assert "Demo already loaded: 幸福里社区" in again.getvalue()
    assert Meeting.objects.count() == 2
    assert Application.objects.count() == 3
    assert verify().ok
