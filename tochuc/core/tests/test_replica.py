"""Reports on a real PostgreSQL hot standby (tochuc/core/routers.py; docs/van-hanh.md).

On the PostgreSQL run a second cluster is made on a free loopback port as a streaming hot
standby of the test cluster (Debian's postgresql-common: pg_createcluster, then
pg_basebackup -R), after pytest-django has made the test database on the primary, and is
dropped at the end. Missing tools, rights or a primary that refuses replication fail these
tests: they are skipped only on the SQLite run. The primary gets a replication line in its
pg_hba.conf when it lacks one (appended once, then a reload; no restart).
"""

from __future__ import annotations

import copy
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tochuc.core.routers import REPORTS_ALIAS, reading_reports
from tochuc.reports import registry
from tochuc.reports.periods import at
from tochuc.reports.tests.fixtures import people_2025

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="a streaming replica needs PostgreSQL"),
    # Committed writes (a standby sees nothing else). The "reports" alias exists only while
    # this module runs (`reports_alias`, made before each test case's set-up checks it).
    pytest.mark.django_db(transaction=True, databases=["default", REPORTS_ALIAS]),
]
REPLICATION_LINE = "host replication all 127.0.0.1/32 trust  # tochuc: reports replica test"
REPORT = {"bao_cao": "membership", "to_chuc": "T01.X01", "ngay": "31/12/2025"}
# The standby's own configuration: a hot standby on loopback, trusted; a throwaway, so no
# fsync (its start would otherwise sync every file of the base backup: seconds more).
CONFIG = {
    "postgresql.conf": "listen_addresses = '127.0.0.1'\nhot_standby = on\nfsync = off\n",
    "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
    "pg_ident.conf": "",
}
WAIT = 20  # seconds, at most, for the standby to catch up
START_WAIT = 90  # seconds, at most, for it to open for reads (usually one or two)


def run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode:
        pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(condition, what: str, *, wait: float = WAIT, why=lambda: "") -> None:
    deadline = time.monotonic() + wait
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"the standby did not {what} within {wait:.0f} s{why()}")
        time.sleep(0.05)


@dataclass
class Standby:
    version: str
    name: str
    port: int
    primary: dict  # the test database's connection settings

    def connect(self, port: int | None = None, **options):
        p = self.primary
        return psycopg.connect(
            host=p["HOST"] or "127.0.0.1", port=port or self.port, user=p["USER"],
            password=p["PASSWORD"] or None, dbname=p["NAME"], autocommit=True,
            connect_timeout=2, **options,
        )  # fmt: skip

    def value(self, sql: str, *, on_primary: bool = False):
        with self.connect(port=int(self.primary["PORT"] or 5432) if on_primary else None) as c:
            return c.execute(sql).fetchone()[0]

    def caught_up(self) -> bool:
        """Everything the primary has written is replayed here."""
        target = self.value("SELECT pg_current_wal_lsn()", on_primary=True)
        return self.value(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")

    def received_all(self) -> bool:
        target = self.value("SELECT pg_current_wal_lsn()", on_primary=True)
        return self.value(f"SELECT pg_last_wal_receive_lsn() >= '{target}'::pg_lsn")

    def wait_for_replay(self) -> None:
        until(self.caught_up, "replay the primary's writes")

    def start(self) -> None:
        # pg_ctl's own wait (60 s) would hide why: see blockers().
        run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start",
            "--", "-W")  # fmt: skip
        until(self.accepts, "accept connections", wait=START_WAIT, why=self.blockers)

    def blockers(self) -> str:
        """A hot standby opens for reads only once the transactions open on the primary at its
        base backup are over, when one of them had more than 64 subtransactions (savepoints):
        a long test elsewhere on a shared server can hold it back."""
        with self.connect(port=int(self.primary["PORT"] or 5432)) as c:
            rows = c.execute(
                "SELECT pid, datname, now() - xact_start FROM pg_stat_activity"
                " WHERE xact_start < now() - interval '5 seconds' ORDER BY xact_start"
            ).fetchall()
        listed = "; ".join(f"pid {pid} on {db}, open {age}" for pid, db, age in rows)
        return f" (long transactions on the primary: {listed})" if rows else ""

    def stop(self, mode: str = "fast") -> None:
        run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "stop",
            "-m", mode)  # fmt: skip

    def accepts(self) -> bool:
        try:
            return self.value("SELECT pg_is_in_recovery()") is True
        except psycopg.OperationalError:
            return False


def allow_replication(primary) -> None:
    """The primary accepts replication connections from loopback (idempotent; a reload)."""
    with primary.cursor() as cursor:
        cursor.execute("SHOW wal_level")
        if cursor.fetchone()[0] == "minimal":
            pytest.fail("the primary has wal_level=minimal: set replica and restart it")
        cursor.execute(
            "SELECT count(*) FROM pg_hba_file_rules"
            " WHERE 'replication' = ANY(database) AND error IS NULL"
        )
        if cursor.fetchone()[0]:
            return
        cursor.execute("SHOW hba_file")
        hba = Path(cursor.fetchone()[0])
        try:
            # First, so that no earlier line rejects it.
            hba.write_text(f"{REPLICATION_LINE}\n{hba.read_text()}")
        except OSError as error:
            pytest.fail(f"cannot allow replication in {hba}: {error}")
        cursor.execute("SELECT pg_reload_conf()")
    until(lambda: _hba_allows_replication(primary), "see the primary allow replication")


def _hba_allows_replication(primary) -> bool:
    with primary.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)")
        return cursor.fetchone()[0] > 0


@pytest.fixture(scope="session")
def standby(django_db_setup, django_db_blocker):
    """A hot standby of the test cluster, as the "reports" database, for the session."""
    if not ON_POSTGRES:
        pytest.skip("a streaming replica needs PostgreSQL")
    for tool in ("pg_createcluster", "pg_ctlcluster", "pg_dropcluster", "pg_basebackup"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing (Debian's postgresql-common and server package)")
    if os.geteuid() != 0:
        pytest.fail("making a PostgreSQL cluster needs root (pg_createcluster)")
    with django_db_blocker.unblock():
        primary = connections["default"]
        primary.ensure_connection()
        allow_replication(primary)
        version = str(primary.pg_version // 10000)
        settings_dict = copy.deepcopy(primary.settings_dict)
    node = Standby(version, f"tochuc_replica_{os.getpid()}", free_port(), settings_dict)
    data = Path(f"/var/lib/postgresql/{version}/{node.name}")
    # The base backup first, then pg_createcluster adopts it (no initdb): Debian keeps the
    # primary's postgresql.conf and pg_hba.conf outside its data directory, so the standby
    # gets its own small ones, which pg_createcluster moves to /etc/postgresql and completes.
    run("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "700", str(data))
    try:
        p = settings_dict
        run("runuser", "-u", "postgres", "--", "pg_basebackup", "-h", p["HOST"] or "127.0.0.1",
            "-p", str(p["PORT"] or 5432), "-U", p["USER"] or "postgres", "-D", str(data),
            "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        for name, text in CONFIG.items():
            (data / name).write_text(text)
            shutil.chown(data / name, "postgres", "postgres")
        run("pg_createcluster", version, node.name, "-p", str(node.port), "-d", str(data))
        node.start()
        yield node
    finally:
        if Path(f"/etc/postgresql/{version}/{node.name}").exists():
            if node.accepts():
                node.stop(mode="immediate")  # nothing to keep: quicker than a clean shutdown
            run("pg_dropcluster", "--stop", version, node.name)
        shutil.rmtree(data, ignore_errors=True)  # a base backup that failed half-way


@pytest.fixture(scope="module")
def reports_alias(standby):
    """The standby as the "reports" database, for this module only: no other test of the
    session sees it. Its TEST MIRROR keeps pytest-django from flushing it (read-only)."""
    alias = copy.deepcopy(standby.primary)
    alias.update(PORT=str(standby.port), CONN_MAX_AGE=0, TEST={"MIRROR": "default"})
    alias["OPTIONS"] = {**alias.get("OPTIONS", {}), "connect_timeout": 2}
    # connections.settings is settings.DATABASES itself: the router sees the alias too.
    saved = connections.settings.get(REPORTS_ALIAS)
    saved_connection = connections[REPORTS_ALIAS] if saved else None
    if saved:
        del connections[REPORTS_ALIAS]
    connections.settings[REPORTS_ALIAS] = alias
    try:
        yield
    finally:
        connections[REPORTS_ALIAS].close()
        del connections[REPORTS_ALIAS]
        del connections.settings[REPORTS_ALIAS]
        if saved:  # REPORTS_DATABASE_URL was set: its alias and connection, as they were
            connections.settings[REPORTS_ALIAS] = saved
            connections[REPORTS_ALIAS] = saved_connection


@pytest.fixture
def replica(standby, reports_alias):
    """The standby running and caught up; its replay resumed after the test."""
    if not standby.accepts():
        standby.start()
    standby.wait_for_replay()
    yield standby
    if standby.accepts():
        standby.value("SELECT pg_wal_replay_resume()")


def members_on_page(client) -> tuple[int, str]:
    response = client.get(reverse("reports:index"), REPORT)
    assert response.status_code == 200
    total = response.context["data"].table("members").rows[0]["count"]
    return total, response.context["replica_notice"]


def test_a_report_is_read_on_the_standby(replica, cast):
    replica.wait_for_replay()
    with reading_reports() as state, CaptureQueriesContext(connections[REPORTS_ALIAS]) as on:
        assert state.alias == REPORTS_ALIAS and not state.notice()
        registry.build("membership", cast.commune, at(date(2025, 12, 31)))
        with connections[REPORTS_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
            assert cursor.fetchone() == (True, replica.port)
    assert len(on.captured_queries) > 2  # the report's counting, and the check above


def test_a_write_appears_once_replayed_and_the_lag_is_shown_meanwhile(
    replica, cast, users, client, settings
):
    client.force_login(users.commune_officer)
    replica.wait_for_replay()
    assert members_on_page(client) == (0, "")

    settings.REPORTS_REPLICA_MAX_LAG = 0  # any lag at all is shown
    replica.value("SELECT pg_wal_replay_pause()")
    until(lambda: replica.value("SELECT pg_get_wal_replay_pause_state()") == "paused", "pause")
    people_2025(cast)  # six members on 31/12/2025, written on the primary
    until(replica.received_all, "receive the primary's writes")
    total, notice = members_on_page(client)
    assert total == 0  # not replayed yet: the report is the standby's
    assert "chậm khoảng" in notice and "giây so với máy chủ chính" in notice

    replica.value("SELECT pg_wal_replay_resume()")
    replica.wait_for_replay()
    settings.REPORTS_REPLICA_MAX_LAG = 60
    assert members_on_page(client) == (6, "")


def test_with_the_standby_stopped_reports_are_read_on_the_primary_with_a_notice(
    replica, cast, users, client
):
    people_2025(cast)
    client.force_login(users.commune_officer)
    replica.stop(mode="immediate")  # as if it crashed
    started = time.monotonic()
    response = client.get(reverse("reports:index"), REPORT)
    assert time.monotonic() - started < 5  # no long connect timeout
    assert response.status_code == 200
    assert response.context["data"].table("members").rows[0]["count"] == 6  # the primary's
    page = response.content.decode()
    assert 'id="replica-notice"' in page
    assert "đang không truy cập được" in page and "máy chủ chính" in page
