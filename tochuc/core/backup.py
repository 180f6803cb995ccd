"""Backups of the whole database: SQLite through its online backup API, PostgreSQL through
pg_dump/pg_restore in the custom format. Used by `tochuc backup` and `tochuc restore`."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _


class BackupError(Exception):
    """The backup or restore could not be made; the message is for the operator."""


def default_path() -> Path:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"tochuc-{stamp}.{suffix}"


def _pg_environment() -> dict[str, str]:
    params = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if params.get(key):
            env[name] = str(params[key])
    env["PGDATABASE"] = params["NAME"]
    return env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(_("Không tìm thấy lệnh %(command)s (cài gói postgresql-client).")
                          % {"command": command[0]})  # fmt: skip
    done = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"{command[0]}: {done.returncode}")


def backup(path: Path) -> Path:
    """Write a consistent copy of the database to `path` (taken while the app runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])
    else:
        raise BackupError(_("Cơ sở dữ liệu %(vendor)s chưa được hỗ trợ.")
                          % {"vendor": connection.vendor})  # fmt: skip
    path.chmod(0o600)  # personal data: readable by the operator only
    return path


def restore(path: Path) -> None:
    """Replace the database's content with the backup at `path`."""
    if not path.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": path})
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.execute("PRAGMA schema_version")  # fails early on a file that is not SQLite
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise BackupError(_("Tệp %(path)s không phải bản sao lưu SQLite: %(error)s")
                              % {"path": path, "error": error}) from error  # fmt: skip
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()  # nothing of ours holds a lock while the tables are replaced
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error",
              f"--dbname={connection.settings_dict['NAME']}", str(path)])  # fmt: skip
    else:
        raise BackupError(_("Cơ sở dữ liệu %(vendor)s chưa được hỗ trợ.")
                          % {"vendor": connection.vendor})  # fmt: skip
