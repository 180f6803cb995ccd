"""On PostgreSQL the application cannot rewrite the audit log (a trigger refuses UPDATE and
DELETE); deleting a user only empties the user column, the name stays."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from tochuc.core import audit
from tochuc.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_deleted_on_postgresql(users):
    entry = audit.record("tochuc.member.edited", by=users.commune_officer, reason="QĐ 12")
    attempts = [
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="sửa lại"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    ]
    with connection.cursor() as cursor:
        attempts.append(lambda: cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table}"))
        for attempt in attempts:
            if connection.vendor == "postgresql":
                with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                    attempt()
            else:
                # SQLite (the embedded default) has no such guard: the contrast is documented
                # in docs/security.md.
                with transaction.atomic():
                    attempt()
                    transaction.set_rollback(True)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "QĐ 12"


def test_deleting_a_user_keeps_their_entries_by_name(users):
    entry = audit.record("tochuc.member.edited", by=users.stranger)
    get_user_model().objects.filter(pk=users.stranger.pk).delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.user_id, entry.username, entry.action) == (
        None, "stranger", "tochuc.member.edited",
    )  # fmt: skip
