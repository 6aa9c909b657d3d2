"""Background tasks of the registry."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_task(job_id: int) -> None:
    from linli.people.importing import run_import_job

    run_import_job(job_id)
