"""The transaction of an action: its own at the entry point, the caller's when composed.

Every action writes inside `with atomic_action():`. Called from a view, the CLI, the tick or a
test, it opens a durable transaction that commits when the action returns. Called from inside
another action (a welfare decision publishing its notice, a meeting recording an opinion as an
appeal), it joins the caller's transaction without a savepoint, so the two commit together or
not at all: no compensating undo is ever needed. This is Zulip's rule for its `do_*`
functions — durability only at the entry point.

A refusal raised inside a joined action marks the whole transaction for rollback: the caller
cannot carry on as if nothing happened. A caller that means to survive an inner refusal (a
loop over many items) wraps the inner call in its own `transaction.atomic()` savepoint.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, transaction


def in_caller_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether an action called now runs inside someone else's transaction.

    The atomic blocks a test case wraps around each test do not count: inside it an action
    still behaves as at the entry point (Django lets a durable block open there)."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return False
    # `atomic_blocks` and `_from_testcase` are how Django itself tells a test's wrapper apart
    # from real work when it checks durability (django.db.transaction.Atomic.__enter__).
    blocks = getattr(connection, "atomic_blocks", [])
    return not all(getattr(block, "_from_testcase", False) for block in blocks)


def atomic_action(using: str = DEFAULT_DB_ALIAS, *, savepoint: bool = False) -> transaction.Atomic:
    """The transaction an action writes in: durable at the entry point, the caller's when
    one action calls another.

    `savepoint=True` is for an action that turns a unique-constraint clash into a refusal (two
    clerks registering the same person): joined to a caller, its block gets a savepoint, so
    the clash rolls back only this action and its refusal can still look up what clashed."""
    if in_caller_transaction(using):
        return transaction.atomic(using=using, savepoint=savepoint)
    return transaction.atomic(using=using, durable=True)
