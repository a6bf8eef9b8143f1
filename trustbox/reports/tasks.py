"""Background work through Django's tasks API (the django-tasks backport, database backend).

`python -m trustbox db_worker` runs what is queued; the page reads the Job's progress.
"""

from __future__ import annotations

from django_tasks import task

from trustbox.reports import jobs


@task()
def documents_make(job_id: int) -> None:
    """Make the documents of one job (a school's report, or a district's)."""
    jobs.job_run(job_id=job_id)
