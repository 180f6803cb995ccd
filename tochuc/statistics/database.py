"""What the builds of the two summaries (counts.py: the counts at a date; flows.py: the movement
by month) share on the database: the session settings of a build and the scratch tables.

One policy for the settings, `BUILD_SESSION`, set by each build itself for its own
transaction (`set_build_session`: SET LOCAL), whoever calls it — `tochuc report_counts`,
the refresh job, a bench — and gone when it ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# PostgreSQL settings of a build: the national grouping (5.6 million affiliations joined
# with their members, every row unfolded into one pair per dimension; 11 million events by
# organization and month) hashes in memory instead of spilling to disk, without JIT
# compilation (seconds of compiling for a query planned once).
BUILD_SESSION = {"work_mem": "256MB", "hash_mem_multiplier": "2", "jit": "off"}


def set_build_session() -> None:
    """PostgreSQL: `BUILD_SESSION` for the rest of the current transaction (SET LOCAL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, value in BUILD_SESSION.items():
            cursor.execute(f"SET LOCAL {name} = '{value}'")


def analyze(model) -> None:
    """PostgreSQL: fresh planner statistics for `model`'s table after a whole build. Until
    autovacuum comes by (or never, where it is off) the planner would take the freshly
    filled summary for empty and read it whole for one organization's rows."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def settings(values: dict[str, str]) -> Iterator[None]:
    """PostgreSQL: `values` for the statements of this block only (then as they were)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name, value in values.items():
            cursor.execute("SELECT current_setting(%s)", [name])
            before[name] = cursor.fetchone()[0]
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield
        for name, value in before.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def scratch(name: str) -> str:
    """The name of one of a build's scratch tables (create it `SCRATCH`). PostgreSQL: a plain
    (unlogged) table of this session's own, created and dropped inside the build's
    transaction — parallel workers cannot read a temporary table, and the grouping is
    spread over them."""
    if connection.vendor != "postgresql":
        return name
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return f"{name}_{cursor.fetchone()[0]}"


def scratch_kind() -> str:
    """How a scratch table is created: `CREATE {scratch_kind()} TABLE …`."""
    return "UNLOGGED" if connection.vendor == "postgresql" else "TEMPORARY"
