"""The registry's workflows: a resident's status (living here, moved away, deceased) and an
import job's, with who may take each step.

The actions refuse with them (moving out keeps its code `not_active`); a resident's page shows
only the buttons they allow. An import job's steps are taken by the worker on behalf of the
person who uploaded it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.roles import REGISTRY_EDITORS, REVEALERS
from linli.core.workflow import Step, Workflow, register
from linli.people.models import ImportJob, ResidentStatus

JobStatus = ImportJob.Status

RESIDENT_FLOW = register(
    Workflow(
        "people_resident",
        [
            # Corrections to the record, whatever the status: the history stays right.
            Step("update", sources=(), roles=REGISTRY_EDITORS),
            # Moved away or died (the target says which); the record and its history stay.
            Step(
                "move_out",
                sources=(ResidentStatus.ACTIVE,),
                roles=REGISTRY_EDITORS,
                target=ResidentStatus.MOVED_OUT,
            ),
            # An import listing someone registered as away: they live here again.
            Step(
                "return",
                sources=(ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED),
                roles=REGISTRY_EDITORS,
                target=ResidentStatus.ACTIVE,
            ),
            # A sensitive field in full, audited (a resident may also see their own).
            Step("reveal", sources=(), roles=REVEALERS),
        ],
        refusal_code="not_active",
        refusal_message=_("This resident is no longer registered as living here."),
    )
)

_RUNNING = (JobStatus.PENDING, JobStatus.VALIDATING, JobStatus.IMPORTING)

IMPORT_FLOW = register(
    Workflow(
        "people_import",
        [
            # Checked again from the start if a worker stopped half-way (nothing was written).
            Step("check", sources=_RUNNING, roles=REGISTRY_EDITORS, target=JobStatus.VALIDATING),
            Step(
                "import",
                sources=(JobStatus.VALIDATING,),
                roles=REGISTRY_EDITORS,
                target=JobStatus.IMPORTING,
            ),
            Step(
                "finish",
                sources=(JobStatus.IMPORTING,),
                roles=REGISTRY_EDITORS,
                target=JobStatus.DONE,
            ),
            # A bad row or file (report kept), or an uploader who may no longer import.
            Step(
                "reject",
                sources=(JobStatus.VALIDATING, JobStatus.IMPORTING),
                roles=REGISTRY_EDITORS,
                target=JobStatus.REJECTED,
            ),
            Step("fail", sources=_RUNNING, roles=REGISTRY_EDITORS, target=JobStatus.FAILED),
        ],
    )
)
