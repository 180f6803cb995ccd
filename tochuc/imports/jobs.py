"""Web imports are background jobs: a row per upload, run by a worker of the task queue.

A 70,000-row member file takes half a minute or more to check and as long again to write:
too long for one request. So the upload is kept in an `ImportJob` row (the file itself in
the row, so that a worker on any machine reads it), and the check (a dry run: the
preview) and, once the user confirms, the write are tasks of Django's task framework
(the `django-tasks` backport with the `django-tasks-db` database backend; the task is
`run_import_job` below): `tochuc db_worker` processes run them, on this machine or
others sharing the PostgreSQL database; with SQLite the database is the queue, so the demo
needs no other service. No thread is ever started by the web process. Under tests the
immediate backend runs a job inside the request, which keeps tests deterministic.

Two workers never run the same job: the queue hands a task to one worker (a row lock, or
SQLite's exclusive transaction), and the task claims its run of the job with a
conditional update (`run`, phase "queued"), so a task delivered twice runs once.

The worker reports the progress to the row at most twice a second. Inside the import's
own transaction the report goes through a second connection on PostgreSQL (so the status
page sees it); on SQLite, whose single writer is the import itself, it is written with the
import and seen at its end.

A worker killed mid-import (kill -9, a crash, a lost machine) leaves nothing partial: the
import runs in one transaction. While it runs a job the worker holds the job's lock
(`tochuc.core.liveness`); the status page finds a running job whose lock is free, marks it
failed and offers to run it again. Imports are never retried by themselves (a user asks);
a summary refresh may be, and the scheduled `report_counts --stale` catches up anyway.

A job belongs to the user who uploaded the file: its token is random (256 bits) and the
status page, the confirmation and the cancellation answer 404 to anyone else, an
administrator included. Jobs are deleted a day after their upload. Every run leaves one
audit entry: `tochuc.import.checked` for a check, `tochuc.import.<name>` for a write,
`tochuc.job.failed` for a run that failed or was stopped.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import secrets
import socket
import time
import uuid
from datetime import timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_tasks import task

from tochuc.accounts.access import Scope
from tochuc.core import audit, liveness

from . import registry
from .models import ImportJob

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
KEEP = timedelta(days=1)
KEEP_PER_USER = 5  # a user's jobs kept for the index page; older finished ones are deleted
SAVE_EVERY = 0.5  # seconds between two progress writes (phase changes are written at once)
QUEUED_TOO_LONG = timedelta(seconds=30)  # then the status page says no worker took it
LOCK_NAME = "import"

CHECK, WRITE = ImportJob.Mode.CHECK.value, ImportJob.Mode.WRITE.value
QUEUED, DONE, FAILED = (ImportJob.Phase.QUEUED.value, ImportJob.Phase.DONE.value,
                        ImportJob.Phase.FAILED.value)  # fmt: skip
WORKING = (registry.READING, registry.CHECKING, registry.WRITING)  # a worker holds it
RUNNING = (QUEUED, *WORKING)  # not ended yet


# ---------------------------------------------------------------- reading a job


def _state(job: ImportJob) -> dict[str, Any]:
    """What the views and templates read of a job."""
    return {
        "id": job.pk,
        "token": job.token,
        "importer": job.importer,
        "user": job.user_id,
        "filename": job.filename,
        "uploaded": job.uploaded_at.timestamp(),
        "mode": job.mode,
        "phase": job.phase,
        "run": job.run,
        "done": job.done,
        "total": job.total,
        "started": job.started_at.timestamp(),
        "finished": job.finished_at.timestamp() if job.finished_at else None,
        "updated": job.updated_at.timestamp(),
        "outcome": job.outcome,
        "crash": job.crash,
        "kept": job.has_content,
        "language": job.language,
        "waiting_long": job.phase == QUEUED and timezone.now() - job.started_at > QUEUED_TOO_LONG,
    }


def _jobs():
    kept = ExpressionWrapper(Q(content__isnull=False), output_field=BooleanField())
    return ImportJob.objects.defer("content").annotate(has_content=kept)


def load(token: str) -> dict[str, Any] | None:
    if not TOKEN.match(token or ""):
        return None
    job = _jobs().filter(token=token).first()
    return None if job is None else _state(_settled(job))


def owned(token: str, user, importer_name: str) -> dict[str, Any] | None:
    """The job `token` if `user` started it for this importer, else None."""
    state = load(token)
    if state is None or state["user"] != user.pk or state["importer"] != importer_name:
        return None
    return state


def of_user(user) -> list[dict[str, Any]]:
    """The user's jobs, the newest first."""
    return [_state(_settled(job)) for job in _jobs().filter(user=user)]


def confirmable(state: dict[str, Any]) -> bool:
    """A checked file without errors and with something to write waits for confirmation."""
    data = state.get("outcome") or {}
    return (
        state.get("mode") == CHECK
        and state.get("phase") == DONE
        and not data.get("errors")
        and data.get("created", 0) + data.get("changed", 0) > 0
        and state.get("kept", False)
    )


def rerunnable(state: dict[str, Any]) -> bool:
    """A failed run (a crash, a lost worker, a stop) whose file is still kept."""
    return state.get("phase") == FAILED and state.get("kept", False)


def outcome_data(outcome: registry.Outcome) -> dict[str, Any]:
    return {
        "errors": [
            {"row": e.row, "column": str(e.column), "message": str(e.message)}
            for e in outcome.errors
        ],
        "created": outcome.created,
        "changed": outcome.changed,
        "unchanged": outcome.unchanged,
        "rows": outcome.rows,
        "samples": [[str(value) for value in row] for row in outcome.samples],
        "dry_run": outcome.dry_run,
        "written": outcome.written,
        "flags": [
            {"row": f.row, "column": str(f.column), "message": str(f.message)}
            for f in outcome.flags
        ],
    }


def outcome_of(state: dict[str, Any], importer: registry.Importer) -> registry.Outcome | None:
    data = state.get("outcome")
    if not data:
        return None
    return registry.Outcome(
        importer,
        filename=state["filename"],
        errors=[registry.RowError(e["row"], e["column"], e["message"]) for e in data["errors"]],
        created=data["created"],
        changed=data["changed"],
        unchanged=data["unchanged"],
        rows=data["rows"],
        samples=data["samples"],
        dry_run=data["dry_run"],
        written=data["written"],
        flags=[
            registry.RowError(f["row"], f["column"], f["message"]) for f in data.get("flags", [])
        ],  # fmt: skip
    )


# ---------------------------------------------------------------- a lost worker


def _settled(job: ImportJob) -> ImportJob:
    """The job, marked failed first if it is running but its worker is gone."""
    if job.phase not in WORKING or not liveness.abandoned(LOCK_NAME, job.pk):
        return job
    with translation.override(job.language):
        crash = _(
            "Tiến trình xử lý nền đã dừng đột ngột (máy chủ khởi động lại hoặc bị dừng) "
            "trong khi xử lý tệp. Chưa ghi dòng nào; có thể chạy lại."
        )
    now = timezone.now()
    ended = ImportJob.objects.filter(pk=job.pk, run=job.run, phase__in=WORKING).update(
        phase=FAILED, crash=crash, finished_at=now, updated_at=now
    )
    if ended:
        _task_lost(job.task_id)
        with audit.acting_from(None):
            audit.record("tochuc.job.failed", by=job.user, obj=job, reason="worker lost",
                         importer=job.importer, filename=job.filename, mode=job.mode,
                         worker=job.worker)  # fmt: skip
        liveness.forget(LOCK_NAME, job.pk)
    job.refresh_from_db(fields=["phase", "crash", "finished_at", "updated_at"])
    return job


def _task_lost(task_id: str) -> None:
    """Mark the queue's own record of a lost task failed (it stays "running" otherwise)."""
    try:
        task_id = str(uuid.UUID(task_id))
    except ValueError:  # none, or another backend's id (the immediate one, under tests)
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="tochuc.imports.jobs.WorkerLost",
        traceback="The worker running this task stopped (its lock was released).",
    )


# ---------------------------------------------------------------- starting and stopping


def create(*, importer: registry.Importer, upload, user) -> str:
    """Keep the uploaded file in a job row, waiting for its check; returns the job's token."""
    sweep()
    token = secrets.token_urlsafe(32)
    content = b"".join(upload.chunks())
    ImportJob.objects.create(
        token=token, importer=importer.name, user=user, filename=upload.name[:200],
        content=content, client_ip=audit.client_ip(),
    )  # fmt: skip
    ended = [s for s in of_user(user) if s["token"] != token and s["phase"] in (DONE, FAILED)]
    stale = [s["id"] for s in ended[KEEP_PER_USER - 1 :]]
    ImportJob.objects.filter(pk__in=stale).delete()
    return token


def start(state: dict[str, Any], *, mode: str, user, language: str, reason: str = "") -> None:
    """Queue a run of the job (check or write): a worker picks it up (under tests: now).
    `reason`: why the rows the check flagged are written anyway (the write's own)."""
    run = state["run"] + 1
    now = timezone.now()
    ImportJob.objects.filter(pk=state["id"], user=user).update(
        mode=mode, phase=QUEUED, run=run, done=0, total=0, started_at=now, finished_at=None,
        updated_at=now, outcome=None, crash="", stop_requested=False, language=language,
        worker="", task_id="", client_ip=audit.client_ip(),
    )  # fmt: skip
    state.update(run=run, mode=mode, phase=QUEUED)
    extra = {"reason": reason} if reason else {}
    result = run_import_job.enqueue(job_id=state["id"], run=run, **extra)
    ImportJob.objects.filter(pk=state["id"], run=run, task_id="").update(task_id=str(result.id))


def stop(state: dict[str, Any]) -> str:
    """Stop a job that has not ended: at once if it waits in the queue, else at the worker's
    next progress report (it rolls back). Returns what to tell the user."""
    if state["phase"] == QUEUED:
        with translation.override(state.get("language")):
            crash = _("Đã dừng theo yêu cầu; chưa ghi dòng nào.")
        now = timezone.now()
        if ImportJob.objects.filter(pk=state["id"], run=state["run"], phase=QUEUED).update(
            phase=FAILED, crash=crash, finished_at=now, updated_at=now
        ):
            return _("Đã dừng; chưa ghi dòng nào.")
    if state["phase"] == registry.WRITING and connection.vendor == "sqlite":
        # SQLite has one writer, the import itself: the flag could not be written before
        # it ends. A write is all or nothing anyway.
        return _("Đang ghi vào cơ sở dữ liệu, không dừng giữa chừng được; hãy chờ kết thúc.")
    ImportJob.objects.filter(pk=state["id"], run=state["run"]).update(stop_requested=True)
    return _("Đang dừng; chưa ghi dòng nào.")


def delete(token: str) -> None:
    if TOKEN.match(token or ""):
        ImportJob.objects.filter(token=token).exclude(phase__in=WORKING).delete()


def sweep() -> None:
    """Forget the jobs uploaded more than a day ago (not one a worker holds)."""
    ImportJob.objects.filter(uploaded_at__lt=timezone.now() - KEEP).exclude(
        phase__in=WORKING
    ).delete()


# ---------------------------------------------------------------- running (in a worker)


class Stopped(Exception):
    """Raised from the progress report of a job its user asked to stop."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


class Tracker:
    """The `watch` callback of `registry.run_import`: writes the progress, at most twice a
    second and at once when the phase changes or ends; stops the job when asked to."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.phase, self.done, self.total = registry.READING, 0, 0
        self.saved = 0.0
        self.depth = len(connection.atomic_blocks)  # deeper: inside the import's transaction
        self._side = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        urgent = phase != self.phase or 0 < total <= done
        self.phase, self.done, self.total = phase, done, total
        if urgent or now - self.saved >= SAVE_EVERY:
            if ImportJob.objects.filter(pk=self.job.pk, stop_requested=True).exists():
                raise Stopped
            self._save()
            self.saved = now

    def _save(self) -> None:
        values = {"phase": self.phase, "done": self.done, "total": self.total,
                  "updated_at": timezone.now()}  # fmt: skip
        inside = len(connection.atomic_blocks) > self.depth
        if not inside or connection.vendor != "postgresql":
            ImportJob.objects.filter(pk=self.job.pk, run=self.job.run).update(**values)
            return
        # Inside the import's transaction on PostgreSQL: through a connection of its own,
        # so that the status page sees it now and a rollback keeps it.
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = ImportJob._meta.db_table
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET phase = %s, done = %s, total = %s, updated_at = %s "
                "WHERE id = %s AND run = %s",
                [*values.values(), self.job.pk, self.job.run],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()


@task()
def run_import_job(job_id: int, run: int, reason: str = "") -> str:
    """The task: check or write an uploaded file (run `run` of job `job_id`), once."""
    return work(job_id=job_id, run=run, reason=reason)


def work(*, job_id: int, run: int, reason: str = "") -> str:
    """Run one run of a job (the task's body); returns how it ended."""
    with liveness.held(LOCK_NAME, job_id):
        now = timezone.now()
        claimed = ImportJob.objects.filter(pk=job_id, run=run, phase=QUEUED).update(
            phase=registry.READING, worker=worker_name(), started_at=now, updated_at=now
        )
        if not claimed:  # stopped while queued, started again, deleted, or run already
            return "skipped"
        job = ImportJob.objects.select_related("user").get(pk=job_id)
        with translation.override(job.language), audit.acting_from(job.client_ip):
            tracker = Tracker(job)
            try:
                if job.stop_requested:
                    raise Stopped
                return _run(job, tracker, reason=reason)
            except Stopped:
                _end_failed(job, _("Đã dừng theo yêu cầu; chưa ghi dòng nào."), "stopped")
                return FAILED
            except Exception as error:
                logger.exception("import job %s failed", job.pk)
                crash = _(
                    "Lỗi hệ thống khi nhập tệp (%(error)s); chưa ghi dòng nào. "
                    "Có thể chạy lại; nếu vẫn lỗi, hãy báo quản trị viên."
                ) % {"error": type(error).__name__}
                _end_failed(job, crash, type(error).__name__)
                return FAILED
            finally:
                tracker.close()
                liveness.forget(LOCK_NAME, job_id)


def _end_failed(job: ImportJob, crash: str, reason: str) -> None:
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk, run=job.run).update(
        phase=FAILED, crash=crash, finished_at=now, updated_at=now
    )
    audit.record("tochuc.job.failed", by=job.user, obj=job, reason=reason[:255],
                 importer=job.importer, filename=job.filename, mode=job.mode)  # fmt: skip


def _run(job: ImportJob, tracker: Tracker, *, reason: str = "") -> str:
    importer = registry.get(job.importer)
    checking = job.mode == CHECK
    made: dict[str, bytes | None] = {}
    since = audit.last_write_id()
    outcome = registry.run_import(
        importer, bytes(job.content), scope=Scope.for_user(job.user), by=job.user,
        dry_run=checking, filename=job.filename, watch=tracker,
        plan=None if checking else kept_plan(job.plan, since),
        keep=(lambda plan: made.update(plan=seal_plan(plan, since))) if checking else None,
        reason="" if checking else reason,
    )  # fmt: skip
    data = outcome_data(outcome)
    waits = checking and not outcome.errors and outcome.created + outcome.changed > 0
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk, run=job.run).update(
        phase=DONE, outcome=data, finished_at=now, updated_at=now, done=tracker.done,
        total=tracker.total, plan=made.get("plan") if waits else None,
        **({} if waits else {"content": None}),
    )  # fmt: skip
    if job.mode == WRITE and not outcome.written:  # the file no longer passes its check
        audit.record("tochuc.job.failed", by=job.user, obj=job, reason="refused",
                     importer=job.importer, filename=job.filename, mode=job.mode,
                     errors=len(outcome.errors))  # fmt: skip
    return DONE


# ---------------------------------------------------------------- the check's plan, kept

PLAN_SALT = "tochuc.imports.jobs.plan"


def seal_plan(plan: registry.Plan, since: int) -> bytes | None:
    """The plan of a check, signed, with the audit log's last write before it was made
    (None when the importer's plan cannot be kept: the write then checks the file again)."""
    try:
        payload = pickle.dumps((since, plan), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return salted_hmac(PLAN_SALT, payload).hexdigest().encode() + b":" + payload


def kept_plan(sealed: bytes | memoryview | None, latest: int) -> registry.Plan | None:
    """The kept plan, when it is intact and no data was written since it was made."""
    if not sealed:
        return None
    sealed = bytes(sealed)
    signature, _sep, payload = sealed.partition(b":")
    if not constant_time_compare(signature, salted_hmac(PLAN_SALT, payload).hexdigest()):
        return None
    since, plan = pickle.loads(payload)  # noqa: S301 (signed by this server)
    return plan if since == latest else None
