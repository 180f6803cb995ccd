"""Background work of the membership statistics: the summary table's refresh, queued after imports.

Safe to run twice or late (it rebuilds the provinces and dates whose counted rows changed,
whoever changed them, and nothing else), so it is the one
task that may be retried; `tochuc report_counts --stale`, scheduled every few minutes,
catches up with whatever a failed run left.
"""

from django.db import transaction
from django_tasks import task

from tochuc.core import audit
from tochuc.core.tasks import warm_home_panels

from . import counts, flows


@task()
def refresh_summary() -> int:
    """Rebuild the stale parts of the summary table; returns how many were rebuilt."""
    rebuilt = [(on, parts) for on, parts in counts.refresh() if parts]
    movement = flows.refresh()  # the movement summary's stale provinces
    if movement:
        rebuilt.append(("movement", movement))
    if rebuilt:
        audit.record("tochuc.job.summary_refreshed", parts=[[str(on), n] for on, n in rebuilt])
        warm_home_panels.call()  # the panels of the provinces rebuilt, from the new summary
    return len(rebuilt)


def refresh_after_commit(*args, **kwargs) -> None:
    """Queue the refresh once the caller's transaction commits (a hook of a restructuring
    or a correction: the refresh then rebuilds just the provinces and dates it changed)."""
    connection = transaction.get_connection()
    if not any(func is _enqueue for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_enqueue)  # once per transaction, however many hooks fire


def _enqueue() -> None:
    refresh_summary.enqueue()
