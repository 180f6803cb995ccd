"""Background work of the membership statistics: the summary table's refresh, queued after imports.

Safe to run twice or late (it rebuilds the provinces and dates whose counted rows changed,
whoever changed them, and nothing else), so it is the one
task that may be retried; `tochuc report_counts --stale`, scheduled every few minutes,
catches up with whatever a failed run left.
"""

from django_tasks import task

from tochuc.core import audit

from . import counts


@task()
def refresh_summary() -> int:
    """Rebuild the stale parts of the summary table; returns how many were rebuilt."""
    with counts.build_session():
        rebuilt = [(on, parts) for on, parts in counts.refresh() if parts]
    if rebuilt:
        audit.record("tochuc.job.summary_refreshed", parts=[[str(on), n] for on, n in rebuilt])
    return len(rebuilt)
