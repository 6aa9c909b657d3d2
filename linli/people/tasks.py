"""Background tasks of the registry."""

from __future__ import annotations

from django_tasks import task

from linli.people.imports import run_import_job


@task()
def run_import_task(job_id: int) -> None:
    run_import_job(job_id)
