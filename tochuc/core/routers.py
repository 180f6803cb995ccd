"""Reports on a PostgreSQL streaming replica (optional; off unless REPORTS_DATABASE_URL).

At national scale the heavy reads are the reports (a national breakdown counted live
scans millions of rows). With `REPORTS_DATABASE_URL` set, settings add a "reports"
database (a hot-standby replica of the primary) and this router; code that wraps a
read in `reading_reports()` then sends its queries there, and everything else — every
write, every other read, migrations — stays on the primary. A replica is read-only, and
what it shows lags the primary by the replication delay (usually under a second); the
summary table's freshness check reads the audit log on the same replica, so a report is
consistent with itself.

Entering `reading_reports()` asks the replica how far behind it is (one query). A replica
that cannot be reached (stopped, network down; the connect timeout is short) is not used:
the report is read on the primary instead, and the `ReplicaState` it yields says so, as it
says when the lag is above `REPORTS_REPLICA_MAX_LAG` seconds; the report page shows either
as a notice (`notice()`). Nested blocks keep the outer block's choice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _

REPORTS_ALIAS = "reports"
logger = logging.getLogger(__name__)

# Seconds behind the primary: none when everything received has been replayed, else the
# age of the last replayed transaction (NULL before the first one).
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
        ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
    END
"""


@dataclass(frozen=True)
class ReplicaState:
    """Where a report was read: `alias`; `lag` seconds behind the primary (None: unknown or
    no replica); `fallback`: a replica is configured but could not be reached."""

    alias: str | None = None  # None: no replica configured, the router leaves reads alone
    lag: float | None = None
    fallback: bool = False

    @property
    def lagging(self) -> bool:
        return self.lag is not None and self.lag > settings.REPORTS_REPLICA_MAX_LAG

    def notice(self) -> str:
        """The notice for the report page ("" when there is nothing to say)."""
        if self.fallback:
            return _(
                "Máy chủ cơ sở dữ liệu dành cho báo cáo (bản sao) đang không truy cập được; "
                "báo cáo này được lập trên máy chủ chính nên có thể chậm hơn."
            )
        if self.lagging:
            return _(
                "Số liệu báo cáo được đọc từ bản sao cơ sở dữ liệu, đang chậm khoảng "
                "%(seconds)s giây so với máy chủ chính: thay đổi gần đây có thể chưa có."
            ) % {"seconds": f"{self.lag:.0f}"}
        return ""


_NO_REPLICA = ReplicaState()
_current: ContextVar[ReplicaState | None] = ContextVar("reading_reports", default=None)


def replica_configured() -> bool:
    return REPORTS_ALIAS in settings.DATABASES


def replica_lag(alias: str = REPORTS_ALIAS) -> float | None:
    """Seconds the replica at `alias` is behind (0 when it has replayed all it received);
    raises DatabaseError when it cannot be reached."""
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        (lag,) = cursor.fetchone()
    return None if lag is None else float(lag)


def _probe() -> ReplicaState:
    if not replica_configured():
        return _NO_REPLICA
    try:
        lag = replica_lag()
    except DatabaseError:
        logger.warning("reports replica unreachable; reading the report on the primary")
        if REPORTS_ALIAS in connections:
            connections[REPORTS_ALIAS].close()  # a dead connection is not reused
        return ReplicaState(alias=DEFAULT_DB_ALIAS, fallback=True)
    return ReplicaState(alias=REPORTS_ALIAS, lag=lag)


@contextmanager
def reading_reports() -> Iterator[ReplicaState]:
    """Reads inside go to the reports replica, when one is configured and reachable."""
    state = _current.get() or _probe()
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        state = _current.get()
        return state.alias if state else None

    def db_for_write(self, model, **hints) -> str | None:
        return None  # the primary, always

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the primary's rows: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPORTS_ALIAS else None
