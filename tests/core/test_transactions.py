"""Actions compose: durable at the entry point, the caller's transaction when nested."""

from __future__ import annotations

import pytest
from django.db import transaction

from linli.core import audit
from linli.core.access import SYSTEM
from linli.core.errors import DomainError
from linli.core.models import AuditEvent, CalendarOverride
from linli.core.transactions import atomic_action, in_caller_transaction
from tests.world import World


def _write(note: str) -> None:
    with atomic_action():
        override = CalendarOverride.objects.create(
            date=f"2030-01-0{len(note)}", is_working_day=True, note=note
        )
        audit.record(actor=SYSTEM, code="core.calendar_override_set", target=override, data={})


@pytest.mark.django_db
def test_an_action_called_from_a_test_or_view_is_the_entry_point() -> None:
    assert not in_caller_transaction()
    with atomic_action():
        assert transaction.get_connection().in_atomic_block
        assert in_caller_transaction()  # anything called now joins


def _two_then_refuse() -> None:
    with atomic_action():
        _write("a")
        _write("bb")
        raise DomainError("late", "refused after both wrote")


def _carry_on_after_a_refusal() -> None:
    with atomic_action():
        _write("a")
        try:
            with atomic_action():
                raise DomainError("inner", "refused")
        except DomainError:
            pass
        CalendarOverride.objects.count()  # the transaction is marked for rollback


def _fail_after_the_action() -> None:
    with transaction.atomic():
        _write("a")
        raise RuntimeError("the caller fails after the action returned")


@pytest.mark.django_db
def test_a_nested_action_commits_with_its_caller_or_not_at_all() -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        _two_then_refuse()
    assert CalendarOverride.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_refusal_inside_a_joined_action_dooms_the_callers_transaction() -> None:
    """No savepoint: the caller cannot carry on as if the inner action had not failed."""
    with pytest.raises(transaction.TransactionManagementError):
        _carry_on_after_a_refusal()
    assert CalendarOverride.objects.count() == 0


@pytest.mark.django_db
def test_nesting_inside_a_plain_atomic_block_joins_it(world: World) -> None:
    with pytest.raises(RuntimeError):
        _fail_after_the_action()
    assert CalendarOverride.objects.count() == 0
