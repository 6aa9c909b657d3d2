"""A decision and what it publishes or answers commit together or not at all: a failure after
the public notice leaves neither the opinion nor the notice, a failure after the objections are
answered leaves them open and the case on notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from linli.core import audit
from linli.notices.actions import file_objection
from linli.notices.models import Notice, Objection, open_objections_for
from linli.welfare import actions
from linli.welfare.models import Application
from tests.welfare.test_programmes_and_benefits import accepted, checked
from tests.welfare.test_welfare import people
from tests.world import World


class Boom(Exception):
    pass


def fail_on(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """Make the audit of one event fail, as anything after the publish could."""
    record = audit.record

    def failing(**kwargs: Any) -> Any:
        if kwargs.get("code") == code:
            raise Boom(code)
        return record(**kwargs)

    monkeypatch.setattr(audit, "record", failing)


def test_a_failure_after_the_notice_leaves_neither_opinion_nor_notice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    who = people(world)
    application = checked(world, accepted(world, "dibao"), who)
    assert application.status == "checked"
    notices = Notice.objects.count()
    fail_on(monkeypatch, "welfare.on_notice")
    with pytest.raises(Boom):
        actions.give_opinion(actor=who["reviewer"], application=application, opinion="同意")
    application.refresh_from_db()
    assert application.status == "checked"
    assert (application.opinion, application.reviewer_id, application.notice_id) == ("", None, None)
    assert Notice.objects.count() == notices
    assert not Notice.objects.for_source(application).exists()
    # Nothing was left half done: the opinion can be given again, and publishes once.
    monkeypatch.undo()
    on_notice = actions.give_opinion(actor=who["reviewer"], application=application, opinion="同意")
    assert on_notice.status == "on_notice"
    assert Notice.objects.for_source(application).count() == 1


def test_a_failure_after_answering_the_objections_leaves_them_open(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    who = people(world)
    application = checked(world, accepted(world, "dibao"), who)
    application = actions.give_opinion(
        actor=who["reviewer"], application=application, opinion="同意"
    )
    file_objection(
        actor=world.users["resident"],
        notice=Notice.objects.get(pk=application.notice_id),
        reason="该户有私家车",
        idempotency_key="obj-composed",
    )
    Application.objects.filter(pk=application.pk).update(
        notice_ends_at=timezone.now() - dt.timedelta(days=1)
    )
    fail_on(monkeypatch, "welfare.reinvestigation")
    with pytest.raises(Boom):
        actions.handle_objection(actor=who["reviewer"], application=application, note="重新调查")
    application.refresh_from_db()
    assert application.status == "on_notice"
    assert open_objections_for(application).count() == 1
    assert Objection.objects.get().answer == ""
