"""Reports on a PostgreSQL streaming replica (optional; off unless REPORTS_DATABASE_URL).

At national scale the heavy reads are the reports (a national breakdown counted live
scans millions of rows). With `REPORTS_DATABASE_URL` set, settings add a "reports"
database (a hot-standby replica of the primary) and this router; code that wraps a
read in `reading_reports()` then sends its queries there, and everything else — every
write, every other read, migrations — stays on the primary. A replica is read-only, and
what it shows lags the primary by the replication delay (usually under a second); the
summary table's freshness check reads the audit log on the same replica, so a report is
consistent with itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPORTS_ALIAS = "reports"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def reading_reports() -> Iterator[None]:
    """Reads inside go to the reports replica, when one is configured."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def replica_configured() -> bool:
    return REPORTS_ALIAS in settings.DATABASES


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _reading_reports.get() and replica_configured():
            return REPORTS_ALIAS
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return None  # the primary, always

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the primary's rows: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPORTS_ALIAS else None
