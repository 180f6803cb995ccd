import pytest
from django.core.exceptions import ValidationError

from tochuc.core import corrections
from tochuc.core.models import AuditEntry, Correction


def _rename_note(*, organization, grounds, by, name):
    before = corrections.snapshot(organization, ["name", "founded_on"])
    organization.name = name
    organization.save(update_fields=["name"])
    corrections.record(
        obj=organization, entity="organization", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(organization, ["name", "founded_on"]), by=by,
    )  # fmt: skip


def test_a_correction_keeps_both_versions_and_is_audited(cast, users):
    grounds = corrections.Grounds("Ghi nhầm tên", decision_no="12-QĐ/TU")
    _rename_note(
        organization=cast.cell, grounds=grounds, by=users.commune_officer, name="Chi bộ Tổ Văn"
    )

    correction = corrections.history(cast.cell).get()
    assert correction.before["name"] == "Chi bộ Tổ Toán"
    assert correction.after["name"] == "Chi bộ Tổ Văn"
    assert correction.reason == "Ghi nhầm tên"
    assert correction.username == "commune_officer"
    assert correction.rows() == [("tên", "Chi bộ Tổ Toán", "Chi bộ Tổ Văn")]
    entry = AuditEntry.objects.get(action="tochuc.organization.corrected")
    assert entry.object_id == str(cast.cell.pk)
    assert entry.data["before"]["name"] == "Chi bộ Tổ Toán"
    assert entry.data["decision_no"] == "12-QĐ/TU"
    assert entry.data["correction"] == correction.pk


def test_a_correction_without_a_reason_is_refused(cast, users):
    with pytest.raises(ValidationError) as refused:
        _rename_note(
            organization=cast.cell, grounds=corrections.Grounds("  "), by=None, name="Khác"
        )
    assert "reason" in refused.value.error_dict
    assert not Correction.objects.exists()


def test_a_preview_shows_the_change_and_changes_nothing(cast, users):
    shown, error = corrections.preview(
        _rename_note, organization=cast.cell, grounds=corrections.Grounds("Nhầm"), by=None,
        name="Chi bộ Tổ Văn",
    )  # fmt: skip
    assert error is None
    assert shown.rows() == [("tên", "Chi bộ Tổ Toán", "Chi bộ Tổ Văn")]
    cast.cell.refresh_from_db()
    assert cast.cell.name == "Chi bộ Tổ Toán"
    assert not Correction.objects.exists()
    assert not AuditEntry.objects.filter(action__endswith="corrected").exists()


def test_a_cancellation_shows_every_recorded_field_as_gone(cast):
    correction = corrections.record(
        obj=cast.cell, entity="organization", action=corrections.CANCELLED,
        grounds=corrections.Grounds("Ghi nhầm"),
        before=corrections.snapshot(cast.cell, ["name", "founded_on", "parent"]),
    )  # fmt: skip
    assert correction.rows() == [
        ("tên", "Chi bộ Tổ Toán", "—"),
        ("ngày thành lập", "01/07/2025", "—"),
        ("parent", "Đảng bộ Trường THPT Tân An", "—"),
    ]
