"""The correction file: timeline acts corrected or cancelled in bulk, all or nothing."""

from datetime import date

import pytest

from tochuc.core.models import AuditEntry, Correction
from tochuc.imports.tests.history_helpers import run
from tochuc.members.models import MemberEvent, Status
from tochuc.members.services import member_exempt, member_exit, member_transfer
from tochuc.reports import periods, registry
from tochuc.testing import register

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


def members_on(organization, on) -> int:
    report = registry.build("membership", organization, periods.at(on))
    return {row["key"]: row["count"] for row in report.table("members").rows}["total"]


@pytest.fixture
def people(cast):
    an = register(cast.cell, "Nguyễn Văn An", party_card_no="A1")
    binh = register(cast.cell, "Trần Thị Bình", party_card_no="B2")
    member_exit(member=an, type=T.REMOVED, on=date(2025, 9, 1), decision_no="7-QĐ")
    member_transfer(member=binh, on=date(2025, 8, 1), to=cast.sibling_cell)
    return an, binh


def test_a_correction_file_corrects_and_cancels_all_at_once(cast, people):
    an, binh = people
    removal = an.events.get(type=T.REMOVED)
    move = binh.events.get(type=T.TRANSFERRED_OUT)
    rows = [
        {"event_id": str(removal.pk), "action": "Sửa", "party_card_no": "A1", "type": "Xóa tên",
         "on": "01/11/2025", "reason": "Sai ngày", "correcting_decision_no": "9-QĐ"},
        {"event_id": str(move.pk), "action": "Hủy", "party_card_no": "B2",
         "reason": "Lập nhầm"},
    ]  # fmt: skip
    preview = run("event-corrections", rows, dry_run=True)
    assert preview.ok and preview.changed == 2
    removal.refresh_from_db()
    assert removal.on == date(2025, 9, 1)  # the dry run wrote nothing
    outcome = run("event-corrections", rows)
    assert outcome.ok, [str(e) for e in outcome.errors]
    removal.refresh_from_db()
    binh.refresh_from_db()
    assert removal.on == date(2025, 11, 1)
    assert binh.organization == cast.cell and binh.status == Status.FULL
    assert Correction.objects.count() == 2
    assert AuditEntry.objects.filter(action__startswith="tochuc.member.event_").count() == 2
    assert members_on(cast.commune, date(2025, 10, 15)) == 2


def test_one_refused_row_and_nothing_is_written(cast, people):
    an, _binh = people
    removal = an.events.get(type=T.REMOVED)
    member_exempt(member=register(cast.cell, "Lê Văn Cường", party_card_no="C3"),
                  on=date(2025, 9, 10))  # fmt: skip
    rows = [
        {"event_id": str(removal.pk), "on": "01/10/2025", "reason": "Sai ngày"},
        {"event_id": str(an.events.get(type=T.ADMITTED).pk), "reason": "Nhầm"},
        {"event_id": "999999", "reason": "Nhầm"},
        {"event_id": str(removal.pk), "party_card_no": "C3", "on": "02/10/2025", "reason": "x"},
    ]
    outcome = run("event-corrections", rows)
    assert [(e.row, e.message) for e in outcome.errors] == [
        (3, f"Không có sự kiện mã “{an.events.get(type=T.ADMITTED).pk}” trong phạm vi được nhập."),
        (4, "Không có sự kiện mã “999999” trong phạm vi được nhập."),
        (5, f"Sự kiện mã {removal.pk} không phải của đảng viên này."),
    ]  # fmt: skip
    removal.refresh_from_db()
    assert removal.on == date(2025, 9, 1)
    assert not Correction.objects.exists()


def test_a_row_that_breaks_a_later_act_is_refused_with_its_reason(cast):
    an = register(cast.cell, "Nguyễn Văn An", party_card_no="A1")
    member_exempt(member=an, on=date(2025, 9, 1))
    member_exempt(member=an, on=date(2025, 10, 1), end=True)
    exempted = an.events.get(type=T.EXEMPTED)
    outcome = run("event-corrections", [
        {"event_id": str(exempted.pk), "on": "05/10/2025", "reason": "Sai ngày"},
    ])  # fmt: skip
    assert len(outcome.errors) == 1 and outcome.errors[0].row == 2
    assert "chưa được miễn công tác và sinh hoạt đảng" in outcome.errors[0].message
    exempted.refresh_from_db()
    assert exempted.on == date(2025, 9, 1)


def test_the_action_and_the_type_are_read_whatever_the_accents_and_case(cast, people):
    an, binh = people
    removal = an.events.get(type=T.REMOVED)
    move = binh.events.get(type=T.TRANSFERRED_OUT)
    outcome = run("event-corrections", [
        {"event_id": str(removal.pk), "action": "sua", "type": "XOA TEN", "on": "01/11/2025",
         "reason": "Sai ngày"},
        {"event_id": str(move.pk), "action": "HỦY", "type": "chuyen di chinh thuc",
         "reason": "Lập nhầm"},
    ])  # fmt: skip
    assert outcome.ok, [str(e) for e in outcome.errors]
    removal.refresh_from_db()
    assert removal.on == date(2025, 11, 1)
    assert not binh.events.filter(type=T.TRANSFERRED_OUT).exists()
    assert Correction.objects.count() == 2


def test_a_date_before_the_party_was_founded_is_refused_in_its_cell_and_nothing_is_written(
    cast, people
):
    an, _binh = people
    removal = an.events.get(type=T.REMOVED)
    outcome = run("event-corrections", [
        {"event_id": str(removal.pk), "on": "01/01/1920", "reason": "Sai ngày"},
        {"event_id": str(removal.pk), "action": "Xóa", "reason": "Sai"},
    ])  # fmt: skip
    assert [str(e) for e in outcome.errors] == [
        "Dòng 2, cột “Ngày”: Ngày 01/01/1920 trước ngày thành lập Đảng (03/02/1930).",
        "Dòng 3, cột “Thao tác”: “Xóa” không có trong danh mục Thao tác.",
    ]
    removal.refresh_from_db()
    assert removal.on == date(2025, 9, 1)
    assert (
        not Correction.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="tochuc.member.event_").exists()
    )
