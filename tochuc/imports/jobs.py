"""Web imports run in the background; their progress lives in a JSON file beside the upload.

A 70,000-row member file takes half a minute or more to check and as long again to write:
too long for one request (a spinning page, a proxy time-out). So the upload is kept as
VAR_DIR/uploads/<token>.xlsx, a thread of the web process checks it (a dry run: the
preview) and, once the user confirms, writes it, and the thread reports its progress to
VAR_DIR/uploads/<token>.json; the status page polls that file every second.

Why a thread and a file rather than Celery/RQ and a model: the app must run with nothing
but SQLite (`make demo`), with no broker and no worker process to install and supervise.
A JSON file replaced atomically (written to a temporary file, then renamed over the old
one) needs no migration and no database write while the import holds SQLite's write
lock, and it goes away with the upload. The price: a job dies with its process (a
restart, a deploy). The import runs in one transaction, so nothing is half written, and
the status page sees that the process that ran the job is gone and says so. At most
TOCHUC_IMPORT_WORKERS imports (default 1) run at once in a process; the others wait
their turn. TOCHUC_IMPORT_BACKGROUND (default: on, off under tests) runs jobs inside the
request instead, which keeps tests deterministic.

A job belongs to the user who uploaded the file: its token is random (256 bits) and the
status page, the confirmation and the cancellation answer 404 to anyone else, an
administrator included. Files are swept a day after their last change.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from tochuc.accounts.access import Scope

from . import registry

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
KEEP_SECONDS = 24 * 3600
KEEP_PER_USER = 5  # a user's jobs kept for the index page; older finished ones are deleted
SAVE_EVERY = 0.5  # seconds between two progress writes (phase changes are written at once)

CHECK, WRITE = "check", "write"  # the dry run behind the preview; the real import
QUEUED, DONE, FAILED = "queued", "done", "failed"
RUNNING = (QUEUED, registry.READING, registry.CHECKING, registry.WRITING)

_running: set[str] = set()  # tokens of this process's jobs that have not finished
_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


# ---------------------------------------------------------------- files


def directory() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_path(token: str) -> Path:
    return directory() / f"{token}.xlsx"


def _status_path(token: str) -> Path:
    return directory() / f"{token}.json"


def _stop_path(token: str) -> Path:
    return directory() / f"{token}.stop"


def save(state: dict[str, Any]) -> None:
    """Replace the status file at once: a reader sees the old state or the new, never half."""
    state["updated"] = time.time()
    target = _status_path(state["token"])
    temporary = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)


def load(token: str) -> dict[str, Any] | None:
    if not TOKEN.match(token or ""):
        return None
    try:
        return json.loads(_status_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def owned(token: str, user, importer_name: str) -> dict[str, Any] | None:
    """The job `token` if `user` started it for this importer, else None."""
    state = load(token)
    if state is None or state.get("user") != user.pk or state.get("importer") != importer_name:
        return None
    return state


def delete(token: str) -> None:
    if TOKEN.match(token or ""):
        upload_path(token).unlink(missing_ok=True)
        _status_path(token).unlink(missing_ok=True)
        _stop_path(token).unlink(missing_ok=True)


def request_stop(token: str) -> None:
    """Ask a running job to stop: it notices at its next progress report and rolls back."""
    if TOKEN.match(token or ""):
        _stop_path(token).touch()


def sweep() -> None:
    """Forget uploads and statuses left longer than a day."""
    limit = time.time() - KEEP_SECONDS
    for pattern in ("*.xlsx", "*.json", "*.tmp", "*.stop"):
        for stale in directory().glob(pattern):
            try:
                if stale.stat().st_mtime < limit:
                    stale.unlink()
            except OSError:
                pass


def of_user(user) -> list[dict[str, Any]]:
    """The user's jobs still on disk, the newest first."""
    jobs = []
    for path in directory().glob("*.json"):
        state = load(path.stem)
        if state is not None and state.get("user") == user.pk:
            jobs.append(state)
    return sorted(jobs, key=lambda s: s.get("uploaded", 0), reverse=True)


# ---------------------------------------------------------------- starting


def create(*, importer: registry.Importer, upload, user) -> str:
    """Keep the uploaded file and the status of its check; the token names both."""
    sweep()
    token = secrets.token_urlsafe(32)
    with upload_path(token).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    now = time.time()
    save(
        {
            "token": token,
            "importer": importer.name,
            "user": user.pk,
            "filename": upload.name[:200],
            "uploaded": now,
            "mode": CHECK,
            "phase": QUEUED,
            "done": 0,
            "total": 0,
            "started": now,
            "finished": None,
            "pid": os.getpid(),
            "outcome": None,
            "crash": "",
        }
    )
    ended = [
        s
        for s in of_user(user)
        if s["token"] != token and (s["phase"] in (DONE, FAILED) or interrupted(s))
    ]
    for old in ended[KEEP_PER_USER - 1 :]:
        delete(old["token"])
    return token


def start(state: dict[str, Any], *, mode: str, user, language: str) -> None:
    """Run the job (check or write) in a thread of this process, or here under tests."""
    token = state["token"]
    state.update(
        mode=mode, phase=QUEUED, done=0, total=0, started=time.time(), finished=None,
        pid=os.getpid(), outcome=None, crash="",
    )  # fmt: skip
    _running.add(token)
    save(state)
    if not getattr(settings, "TOCHUC_IMPORT_BACKGROUND", not settings.TESTING):
        _work(token, user.pk, language, background=False)
        return
    context = contextvars.copy_context()  # the caller's address, for the audit log
    thread = threading.Thread(
        target=context.run,
        args=(_work, token, user.pk, language),
        kwargs={"background": True},
        name=f"import-{token[:8]}",
        daemon=True,
    )
    thread.start()


def _worker_slots() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(getattr(settings, "TOCHUC_IMPORT_WORKERS", 1))
        return _slots


class Stopped(Exception):
    """Raised from the progress report of a job its user asked to stop."""


class Tracker:
    """The `watch` callback of `registry.run_import`: writes the progress, at most twice a
    second, and at once when the phase changes or ends; stops the job when asked to."""

    def __init__(self, state: dict[str, Any]):
        self.state = state
        self.saved = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        urgent = phase != self.state["phase"] or 0 < total <= done
        self.state.update(phase=phase, done=done, total=total)
        if urgent or now - self.saved >= SAVE_EVERY:
            if _stop_path(self.state["token"]).exists():
                raise Stopped
            save(self.state)
            self.saved = now


def _work(token: str, user_pk: int, language: str, *, background: bool) -> None:
    state = load(token)
    try:
        if state is None:
            return
        with _worker_slots(), translation.override(language):
            if _stop_path(token).exists():
                raise Stopped
            _run(state, user_pk)
    except Stopped:
        with translation.override(language):
            crash = _("Đã dừng theo yêu cầu; chưa ghi dòng nào.")
        _end_failed(state, crash)
    except Exception as error:
        logger.exception("import %s failed", token)
        with translation.override(language):
            crash = _(
                "Lỗi hệ thống khi nhập tệp (%(error)s); chưa ghi dòng nào. "
                "Hãy thử lại sau hoặc báo quản trị viên."
            ) % {"error": type(error).__name__}
        _end_failed(state, crash)
    finally:
        _running.discard(token)
        if background:
            connection.close()


def _end_failed(state: dict[str, Any], crash: str) -> None:
    state.update(phase=FAILED, crash=crash, finished=time.time())
    upload_path(state["token"]).unlink(missing_ok=True)
    _stop_path(state["token"]).unlink(missing_ok=True)
    save(state)


def _run(state: dict[str, Any], user_pk: int) -> None:
    importer = registry.get(state["importer"])
    user = get_user_model().objects.get(pk=user_pk)
    state["started"] = time.time()
    outcome = registry.run_import(
        importer, upload_path(state["token"]), scope=Scope.for_user(user), by=user,
        dry_run=state["mode"] == CHECK, filename=state["filename"], watch=Tracker(state),
    )  # fmt: skip
    state.update(phase=DONE, outcome=outcome_data(outcome), finished=time.time())
    if state["mode"] == WRITE or not confirmable(state):
        upload_path(state["token"]).unlink(missing_ok=True)
    save(state)


# ---------------------------------------------------------------- reading a status


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
    )


def confirmable(state: dict[str, Any]) -> bool:
    """A checked file without errors and with something to write waits for confirmation."""
    data = state.get("outcome") or {}
    return (
        state.get("mode") == CHECK
        and state.get("phase") == DONE
        and not data.get("errors")
        and data.get("created", 0) + data.get("changed", 0) > 0
        and upload_path(state["token"]).is_file()
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def interrupted(state: dict[str, Any]) -> bool:
    """A job that was running in a process that is gone (or forgot it)."""
    if state.get("phase") not in RUNNING:
        return False
    pid = state.get("pid")
    if pid == os.getpid():
        return state["token"] not in _running
    return not isinstance(pid, int) or not _alive(pid)
