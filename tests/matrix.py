"""The permission-matrix harness: a `Case` is one view and method with the roles it lets in.

Each app lists its views' cases in `tests/<app>/permission_cases.py`; `tests/permissions.py`
gathers them and `test_permission_matrix.py` runs every case × every role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tests.world import ROLES, World

STAFF_READERS = {"staff", "leader", "welfare_reviewer", "supervisor", "admin"}
EDITORS = {"staff", "leader", "admin"}
EVERYONE = set(ROLES) - {"anonymous"}
PUBLIC = EVERYONE | {"anonymous"}


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    allowed: set[str]
    args: Callable[[World], list[Any]] = lambda w: ["xfl"]
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    # Roles that are let in but sent elsewhere, e.g. to their own community.
    headers: dict[str, str] = field(default_factory=dict)
    public: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name}"

    def url(self, world: World) -> str:
        return reverse(self.url_name, args=self.args(world))
