"""Is the process that runs a background job still alive? Asked from any machine.

A worker holds a lock named after the job for as long as it runs it; the operating
system (SQLite: a file lock under VAR_DIR, one machine) or the database server
(PostgreSQL: a session advisory lock, any machine) releases it when the process dies,
kill -9 included. A job marked running whose lock is free has lost its worker.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

LOCK_CLASS = 0x7463  # "tc": the first key of the advisory locks taken here
_held: set[tuple[str, int]] = set()  # by this process (a session's own lock looks free to it)


def _lock_file(name: str, number: int) -> Path:
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}-{number}.lock"


@contextlib.contextmanager
def held(name: str, number: int) -> Iterator[None]:
    """Hold the lock of job `number` of kind `name` while the block runs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, number])
        _held.add((name, number))
        try:
            yield
        finally:
            _held.discard((name, number))
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, number])
        return
    descriptor = os.open(_lock_file(name, number), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        _held.add((name, number))
        yield
    finally:
        _held.discard((name, number))
        os.close(descriptor)  # releases the lock


def abandoned(name: str, number: int) -> bool:
    """Whether nobody holds the lock of job `number` (its worker, if any, is gone)."""
    if (name, number) in _held:
        return False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, number])
            free = cursor.fetchone()[0]
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, number])
        return bool(free)
    path = _lock_file(name, number)
    if not path.exists():
        return True
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
    return True


def forget(name: str, number: int) -> None:
    if connection.vendor != "postgresql":
        _lock_file(name, number).unlink(missing_ok=True)
