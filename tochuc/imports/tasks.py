"""The import job as a task of the queue (`tochuc db_worker` runs it; see jobs.py)."""

from django_tasks import task

from . import jobs


@task()
def run_import_job(job_id: int, run: int) -> str:
    """Check or write an uploaded file: run `run` of job `job_id`, once."""
    return jobs.work(job_id=job_id, run=run)
