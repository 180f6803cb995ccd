"""Real workers (`tochuc db_worker` subprocesses) on the test's own database: a job checked
then written by a worker; a worker killed with SIGKILL in the middle of an import leaves
nothing written, the job shows as failed and runs again; a run is never run twice."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.imports import jobs
from tochuc.imports.models import ImportJob
from tochuc.imports.tests.files import organization_row, xlsx_bytes
from tochuc.organizations.models import Organization

ROWS = [
    organization_row("T01.X01.CB1", "Chi bộ Khu 1", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
    organization_row("T01.X01.CB2", "Chi bộ Khu 2", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
]
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER = [sys.executable, "-m", "tochuc.imports.tests.worker", "--no-startup-delay",
          "--interval", "0.1", "-v", "0"]  # fmt: skip


@pytest.fixture
def queue(settings, tmp_path):
    """Tasks go to the database queue (not run at once, as elsewhere under tests)."""
    settings.TASKS = QUEUE
    settings.VAR_DIR = tmp_path
    return tmp_path


@contextlib.contextmanager
def shared_database(folder):
    """The environment of a worker process that sees this test's database. PostgreSQL: the
    test database itself. SQLite (in memory under tests): copied to a file for the worker,
    and the file copied back when the block ends."""
    env = {**os.environ, "TOCHUC_VAR_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "tochuc.settings"}
    env.pop("TOCHUC_TESTING", None)
    env.pop("DEBUG", None)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "")
        password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
        env["DATABASE_URL"] = (
            f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        )
        yield env
        return
    path = folder / "worker.sqlite3"
    path.unlink(missing_ok=True)
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    env["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        yield env
    finally:
        with contextlib.closing(sqlite3.connect(path)) as copy:
            copy.backup(connection.connection)


def run_batch(env) -> None:
    """A worker that runs every task waiting, then exits."""
    done = subprocess.run([*WORKER, "--batch"], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-3000:]


def officer_client(client):
    from tochuc.testing import ROLES_BY_NAME, build_cast

    cast = build_cast()
    role, where = ROLES_BY_NAME["commune_officer"]
    client.force_login(cast.user("commune_officer", role, getattr(cast, where)))
    return cast


def upload(client) -> str:
    response = client.post(
        reverse("imports:upload", args=["organizations"]),
        {"file": SimpleUploadedFile("to-chuc.xlsx", xlsx_bytes(ROWS))},
    )
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def status(client, token) -> str:
    return client.get(reverse("imports:status", args=["organizations", token])).content.decode()


def written_codes() -> list[str]:
    return sorted(
        Organization.objects.filter(code__startswith="T01.X01.CB").values_list("code", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_then_writes_the_file(client, queue):
    officer_client(client)
    token = upload(client)
    assert jobs.load(token)["phase"] == jobs.QUEUED  # the web process ran nothing
    assert "Đang chờ đến lượt" in status(client, token)

    with shared_database(queue) as env:
        run_batch(env)

    checked = jobs.load(token)
    assert (checked["phase"], checked["outcome"]["created"], checked["outcome"]["errors"]) == (
        jobs.DONE, 2, []
    )  # fmt: skip
    assert written_codes() == []
    assert "Xác nhận nhập" in status(client, token)
    client.post(reverse("imports:confirm", args=["organizations"]), {"token": token})

    with shared_database(queue) as env:
        run_batch(env)

    written = jobs.load(token)
    assert (written["mode"], written["phase"], written["done"], written["total"]) == (
        jobs.WRITE, jobs.DONE, 2, 2
    )  # fmt: skip
    assert written_codes() == ["T01.X01.CB1", "T01.X01.CB2"]
    assert AuditEntry.objects.get(action="tochuc.import.checked").username == "commune_officer"
    assert AuditEntry.objects.get(action="tochuc.import.organizations").data["created"] == 2
    assert ImportJob.objects.get(token=token).worker.endswith(tuple("0123456789"))


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_runs_again(client, queue):
    officer_client(client)
    token = upload(client)
    with shared_database(queue) as env:
        run_batch(env)  # the check
    client.post(reverse("imports:confirm", args=["organizations"]), {"token": token})
    marker = queue / "paused"

    with shared_database(queue) as env:
        worker = subprocess.Popen(
            WORKER, env={**env, "TOCHUC_PAUSE_MARKER": str(marker)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while not marker.exists():  # the first row is written, not committed
                assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
                assert time.monotonic() < deadline, "the worker never reached the write"
                time.sleep(0.1)
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            worker.kill()
            worker.wait(timeout=30)
            worker.stderr.close()
        assert worker.returncode == -signal.SIGKILL

    assert ImportJob.objects.get(token=token).phase == "writing"  # as the worker left it
    assert written_codes() == []
    assert not AuditEntry.objects.filter(action="tochuc.import.organizations").exists()
    page = status(client, token)
    assert "Tiến trình xử lý nền đã dừng đột ngột" in page and "Chạy lại (ghi)" in page
    assert jobs.load(token)["phase"] == jobs.FAILED
    assert AuditEntry.objects.get(action="tochuc.job.failed").reason == "worker lost"
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get(id=ImportJob.objects.get(token=token).task_id).status == (
        "FAILED"
    )

    client.post(reverse("imports:rerun", args=["organizations"]), {"token": token})
    with shared_database(queue) as env:
        run_batch(env)

    assert (jobs.load(token)["phase"], jobs.load(token)["run"]) == (jobs.DONE, 3)
    assert written_codes() == ["T01.X01.CB1", "T01.X01.CB2"]
    assert AuditEntry.objects.filter(action="tochuc.import.organizations").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_is_claimed_once_however_often_its_task_is_delivered(client, queue):
    officer_client(client)
    token = upload(client)
    job = ImportJob.objects.get(token=token)

    first = jobs.work(job_id=job.pk, run=job.run)
    again = jobs.work(job_id=job.pk, run=job.run)
    stale = jobs.work(job_id=job.pk, run=job.run - 1)

    assert (first, again, stale) == (jobs.DONE, "skipped", "skipped")
    assert AuditEntry.objects.filter(action="tochuc.import.checked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_started_together_run_a_job_once(client, queue):
    officer_client(client)
    tokens = [upload(client) for _ in range(3)]

    with shared_database(queue) as env:
        workers = [subprocess.Popen([*WORKER, "--batch"], env=env, stderr=subprocess.PIPE)
                   for _ in range(2)]  # fmt: skip
        for worker in workers:
            _out, err = worker.communicate(timeout=300)
            assert worker.returncode == 0, err.decode()[-3000:]

    from django_tasks_db.models import DBTaskResult

    assert [jobs.load(token)["phase"] for token in tokens] == [jobs.DONE] * 3
    assert AuditEntry.objects.filter(action="tochuc.import.checked").count() == 3
    ran = DBTaskResult.objects.filter(task_path__endswith="run_import_job")
    assert sorted(len(result.worker_ids) for result in ran) == [1, 1, 1]
