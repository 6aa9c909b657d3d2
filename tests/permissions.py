"""Every view's permission-matrix case, gathered from the apps, and the "nothing changed" check.

`test_permission_matrix.py` runs every case × every role and fails if a URL pattern has no case.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session

from linli.people.models import ImportJob
from tests.appeals.permission_cases import CASES as APPEALS
from tests.ballots.permission_cases import CASES as BALLOTS
from tests.care.permission_cases import CASES as CARE
from tests.dashboard.permission_cases import CASES as DASHBOARD
from tests.digest import table_digests
from tests.evaluations.permission_cases import CASES as EVALUATIONS
from tests.matrix import EDITORS, EVERYONE, STAFF_READERS, Case
from tests.meetings.permission_cases import CASES as MEETINGS
from tests.notices.permission_cases import CASES as NOTICES
from tests.welfare.permission_cases import CASES as WELFARE
from tests.world import World


def _zhang(world: World) -> list[Any]:
    return ["xfl", world.residents["zhang"].pk]


def _job(world: World) -> list[Any]:
    job = ImportJob.objects.create(
        community=world.community,
        created_by=world.users["staff"],
        file_name="x.xlsx",
        idempotency_key="perm",
        status=ImportJob.Status.DONE,
    )
    return ["xfl", job.pk]


def _resident_form(world: World) -> dict[str, Any]:
    zhang = world.residents["zhang"]
    return {
        "name": "张三丰",
        "id_number": zhang.id_number,
        "building": "3",
        "entrance": "2",
        "room": "501",
        "relation": "head",
    }


CASES: list[Case] = [
    Case("workbench", "GET", STAFF_READERS | {"outsider"}, args=lambda w: []),
    Case("people:my_household", "GET", EVERYONE, args=lambda w: []),
    Case("people:community", "GET", STAFF_READERS),
    Case("people:residents", "GET", STAFF_READERS),
    Case("people:resident", "GET", STAFF_READERS, args=_zhang),
    Case(
        "people:household",
        "GET",
        STAFF_READERS,
        args=lambda w: ["xfl", w.residents["zhang"].household_id],
    ),
    Case("people:resident_create", "GET", EDITORS),
    Case(
        "people:resident_create",
        "POST",
        EDITORS,
        data=lambda w: {**_resident_form(w), "name": "新人", "id_number": "11010519491231002X"},
    ),
    Case("people:resident_edit", "POST", EDITORS, args=_zhang, data=_resident_form),
    Case(
        "people:resident_move_out",
        "POST",
        EDITORS,
        args=_zhang,
        data=lambda w: {"on": "2026-01-01", "reason": "迁出"},
    ),
    Case(
        "people:reveal",
        "POST",
        {"staff", "leader", "welfare_reviewer", "admin", "resident"},
        args=lambda w: ["xfl", w.residents["zhang"].pk, "id_number"],
    ),
    Case("people:import", "GET", EDITORS),
    Case("people:import_template", "GET", EDITORS),
    Case("people:import_job", "GET", EDITORS, args=_job),
    Case("people:export", "GET", {"staff", "leader", "welfare_reviewer", "admin"}),
    Case("people:export", "POST", {"leader", "admin"}, data=lambda w: {"full": "1"}),
    Case("audit_log", "GET", {"leader", "admin"}),
    Case(
        "large_font",
        "POST",
        EVERYONE | {"anonymous"},
        args=lambda w: [],
        data=lambda w: {"large_font": "1"},
        public=True,
    ),
    Case(
        "set_language",
        "POST",
        EVERYONE | {"anonymous"},
        args=lambda w: [],
        data=lambda w: {"language": "en"},
        public=True,
    ),
]

CASES += [*NOTICES, *APPEALS, *MEETINGS, *BALLOTS, *EVALUATIONS, *CARE, *WELFARE, *DASHBOARD]

# URL names that need no case: framework pages and public entry points.
EXEMPT = {"home", "login", "logout", "healthz"}


def snapshot() -> dict[str, str]:
    """Every row of every table except sessions, as one digest per table read in one query:
    a denied request must leave all of it alone."""
    return table_digests(exclude={Session._meta.db_table})
