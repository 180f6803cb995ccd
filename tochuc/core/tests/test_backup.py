"""`tochuc backup` and `tochuc restore`: a restored backup holds exactly the rows it was
taken with (row counts and a hash of every row), on SQLite and on PostgreSQL."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tochuc.accounts.models import Grant
from tochuc.core import audit
from tochuc.core.models import AuditEntry
from tochuc.members.models import Member
from tochuc.organizations.models import Kind, Organization
from tochuc.testing import build_cast, found, register

# pg_dump reads from its own session: the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [Organization, Member, Grant, AuditEntry]


def snapshot() -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of its rows in id order (the backup's own audit
    entries left out: they are written after the copy is taken)."""
    result = {}
    with connection.cursor() as cursor:
        for model in TABLES:
            table = model._meta.db_table
            where = " WHERE action NOT LIKE 'tochuc.system.%%'" if model is AuditEntry else ""
            cursor.execute(f"SELECT * FROM {table}{where} ORDER BY id")
            rows = cursor.fetchall()
            result[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return result


def test_a_restored_backup_holds_exactly_the_rows_it_was_taken_with(tmp_path):
    cast = build_cast()
    cast.user("commune_officer", "officer", cast.commune)
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        register(cast.cell, name)
    taken = snapshot()
    assert taken[Member._meta.db_table][0] == 3
    path = tmp_path / ("tochuc.sqlite3" if connection.vendor == "sqlite" else "tochuc.dump")
    call_command("backup", output=path, stdout=io.StringIO())
    assert path.stat().st_size > 0 and oct(path.stat().st_mode)[-3:] == "600"

    # Life goes on after the backup …
    found("T01.X03", "Đảng bộ xã Tân Lập", Kind.COMMUNE, cast.province)
    Member.objects.filter(full_name="Nguyễn Văn An").update(full_name="Nguyễn Văn Ân")
    audit.record("tochuc.member.edited", reason="sau bản sao lưu")
    assert snapshot() != taken

    # … and the restore brings back the state of the backup, row for row.
    call_command("restore", path, yes=True, stdout=io.StringIO())
    assert snapshot() == taken
    assert not Organization.objects.filter(code="T01.X03").exists()
    assert Member.objects.filter(full_name="Nguyễn Văn An").count() == 1
    assert AuditEntry.objects.filter(action="tochuc.system.restored").count() == 1


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "khong-phai.sqlite3"
    bogus.write_bytes(b"day khong phai ban sao luu" * 100)
    with pytest.raises(CommandError):
        call_command("restore", bogus, yes=True)
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore", tmp_path / "khong-co.dump", yes=True)
