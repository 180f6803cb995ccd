"""`audit.record_many` leaves, for each object, the entry that `audit.record` leaves."""

from datetime import date

import pytest

from tochuc.core import audit
from tochuc.core.models import AuditEntry
from tochuc.organizations.models import Kind, Organization

pytestmark = pytest.mark.django_db

FIELDS = ("user_id", "username", "action", "object_type", "object_id", "object_repr",
          "reason", "data", "ip", "province_id")  # fmt: skip


def _organization(code: str, name: str) -> Organization:
    return Organization.objects.create(
        code=code, name=name, kind=Kind.PROVINCE, founded_on=date(2025, 7, 1), path=""
    )


def _fields(entry: AuditEntry) -> dict:
    return {name: getattr(entry, name) for name in FIELDS}


def test_each_entry_is_the_one_record_writes(users):
    one, other = _organization("Z91", "Đảng bộ tỉnh A"), _organization("Z92", "Đảng bộ tỉnh B")
    with audit.acting_from("10.0.0.7"):
        single = audit.record(
            "tochuc.organization.founded", by=users.province_officer, obj=one,
            reason="125-QĐ/TU", parent=None, on=date(2025, 7, 1),
        )  # fmt: skip
        written = audit.record_many(
            "tochuc.organization.founded",
            [
                (one, "125-QĐ/TU", {"parent": None, "on": date(2025, 7, 1)}),
                (other, "", {"parent": "Z91", "on": date(2025, 7, 2)}),
            ],
            by=users.province_officer,
        )
    assert written == 2
    many = list(AuditEntry.objects.filter(pk__gt=single.pk).order_by("id"))
    single.refresh_from_db()
    assert _fields(many[0]) == _fields(single)
    assert _fields(many[1]) | {"object_id": ""} == _fields(single) | {
        "object_id": "", "object_repr": "Đảng bộ tỉnh B", "reason": "",
        "data": {"parent": "Z91", "on": "2025-07-02"},
    }  # fmt: skip
    assert many[0].at is not None


def test_it_writes_in_batches_and_counts_every_entry():
    organization = _organization("Z91", "Đảng bộ tỉnh A")
    before = AuditEntry.objects.order_by("id").values_list("id", flat=True).last() or 0
    written = audit.record_many(
        "tochuc.organization.founded",
        ((organization, "", {"n": n}) for n in range(5)),
        batch_size=2,
    )
    assert written == 5
    assert list(
        AuditEntry.objects.filter(pk__gt=before)
        .order_by("id")
        .values_list("data__n", "username", "user_id")
    ) == [(n, "", None) for n in range(5)]
