"""Workflows: one table per status field saying which step may start from which status and who
may take it, and one answer to "may this person take this step on this object now?".

The action asks it before changing anything (`flow.check`, a refusal with a code), the view
asks it which buttons to show (`flow.available`), and the permission matrix compares its roles
with the views' — so a button, a link and the action never disagree.

    APPEAL_FLOW = Workflow("appeal", [
        Step("accept", sources=(Status.RECEIVED,), target=Status.ACCEPTED, roles=WORKERS),
        ...
    ])
    APPEAL_FLOW.check(actor, appeal, "accept")     # in the action
    APPEAL_FLOW.available(request.user, appeal)    # in the view: {"accept", "dispute", ...}
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from linli.core import access
from linli.core.errors import AccessDenied, DomainError

Guard = Callable[[Any, Any], bool]
ROLE_REFUSED = _("Your role does not allow this in this community.")
WRONG_STATUS = _("This step is not possible now: the record is “%(status)s”.")


@dataclass(frozen=True)
class Step:
    """One step of a workflow."""

    name: str
    # Statuses the step may start from; empty means any status.
    sources: tuple[str, ...]
    # Roles (in the object's community) that may take it; administrators always may.
    roles: tuple[str, ...]
    # The status it leads to ("" when the status does not change): for the state diagrams.
    target: str = ""
    # A further condition on (user, obj), e.g. "not excluded from this case", "the handler".
    guard: Guard | None = None
    # The refusal when the guard says no.
    guard_message: str | Promise = field(default=_("You may not take this step on this record."))
    # True when the guard is about the person (refuse as access denied, 403), False when it is
    # about the record (refuse as a domain error, a message on the page).
    guard_is_access: bool = True


class Workflow:
    """The steps of one status field, and the answers every layer shares."""

    def __init__(
        self,
        name: str,
        steps: Iterable[Step],
        *,
        status: str = "status",
        community: Callable[[Any], Any] = operator.attrgetter("community"),
        refusal_code: str = "wrong_status",
        refusal_message: str | Promise = WRONG_STATUS,
    ) -> None:
        self.name = name
        self.status = status
        self.community_of = community
        # Each app words the refusal of a step at the wrong moment for its own records.
        self.refusal_code = refusal_code
        self.refusal_message = refusal_message
        self.steps: dict[str, Step] = {}
        for step in steps:
            if step.name in self.steps:
                raise ValueError(f"{name}: step {step.name!r} defined twice")
            self.steps[step.name] = step

    def step(self, name: str) -> Step:
        try:
            return self.steps[name]
        except KeyError:
            raise KeyError(f"{self.name} has no step {name!r}") from None

    def allows(self, obj: Any, name: str) -> bool:
        """Whether the step may start from the object's status (whoever asks)."""
        sources = self.step(name).sources
        return not sources or getattr(obj, self.status) in sources

    def permits(self, user: Any, obj: Any, name: str) -> bool:
        """Whether the person's role (and the step's guard) lets them take it, status aside."""
        step = self.step(name)
        if not access.has_role(user, self.community_of(obj), *step.roles):
            return False
        return step.guard is None or step.guard(user, obj)

    def can(self, user: Any, obj: Any, name: str) -> bool:
        """The one answer: this person may take this step on this object now."""
        return self.allows(obj, name) and self.permits(user, obj, name)

    def available(self, user: Any, obj: Any) -> frozenset[str]:
        """Every step this person may take on this object now (the buttons to show)."""
        return frozenset(name for name in self.steps if self.can(user, obj, name))

    def check(self, user: Any, obj: Any, name: str) -> None:
        """Refuse unless `can`: AccessDenied for the person, DomainError for the record."""
        self.check_access(user, obj, name)
        self.check_status(obj, name)

    def check_access(self, user: Any, obj: Any, name: str) -> None:
        """Refuse the person (their role, or the step's guard), status aside: an action asks
        this before reading or writing anything, and the status later, on the locked row, since
        the copy in hand may be stale."""
        step = self.step(name)
        if not access.has_role(user, self.community_of(obj), *step.roles):
            raise AccessDenied("access_denied", ROLE_REFUSED)
        if step.guard is not None and not step.guard(user, obj):
            if step.guard_is_access:
                raise AccessDenied("access_denied", step.guard_message)
            raise DomainError("not_allowed", step.guard_message)

    def check_status(self, obj: Any, name: str) -> None:
        """Refuse a step that may not start from the object's current status."""
        if not self.allows(obj, name):
            raise DomainError(
                self.refusal_code, self.refusal_message, status=self.status_label(obj)
            )

    def status_label(self, obj: Any) -> str:
        display = getattr(obj, f"get_{self.status}_display", None)
        return str(display()) if callable(display) else str(getattr(obj, self.status))

    def transitions(self) -> list[tuple[str, str, str]]:
        """(from status, step, to status) for every step with a target: the state diagram."""
        return [
            (source, step.name, step.target)
            for step in self.steps.values()
            if step.target
            for source in step.sources
        ]


# Every workflow defined by an app registers here, so tests can walk them all.
REGISTRY: dict[str, Workflow] = {}


def register(flow: Workflow) -> Workflow:
    if flow.name in REGISTRY and REGISTRY[flow.name] is not flow:
        raise ValueError(f"workflow {flow.name!r} registered twice")
    REGISTRY[flow.name] = flow
    return flow
