"""`tochuc import dues`: a cell's monthly sheet from Excel, all or nothing, and the same
file twice changes nothing."""

import pytest

from tochuc.accounts.access import Scope
from tochuc.dues.models import DuesPayment, DuesSheet, SheetSource
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["Mã chi bộ*", "Tháng thu*", "Số thẻ đảng viên hoặc số CCCD*", "Họ và tên",
           "Đảng phí tháng", "Số tiền*", "Ngày nộp*", "Mã giao dịch"]  # fmt: skip


def run(rows, user):
    return registry.run_import(
        registry.get("dues"), xlsx_bytes(rows, headers=HEADERS, title="Sổ thu đảng phí"),
        scope=Scope.for_user(user), by=user,
    )  # fmt: skip


def stored():
    return sorted(DuesPayment.objects.values_list(
        "member__full_name", "for_month__month", "amount", "reference"))  # fmt: skip


def test_a_cells_sheet_is_imported_and_again_changes_nothing(cast, users, people):
    rows = [
        [cast.cell.code, "11/2026", "001085000011", "Hoàng Văn An", "", "80.000", "10/11/2026", ""],
        [cast.cell.code, "11/2026", "001085000012", "Lục Thị Bình", "", 25000, "10/11/2026",
         "DVC-1"],
        [cast.cell.code, "11/2026", "001085000012", "Lục Thị Bình", "12/2026", 25000,
         "10/11/2026", "DVC-1"],
    ]  # fmt: skip
    first = run(rows, users.commune_officer)
    assert first.errors == [] and first.summary == "3 tạo mới, 0 thay đổi, 0 không đổi"
    assert stored() == [("Hoàng Văn An", 11, 80_000, ""), ("Lục Thị Bình", 11, 25_000, "DVC-1"),
                        ("Lục Thị Bình", 12, 25_000, "DVC-1")]  # fmt: skip
    sheet = DuesSheet.objects.get()
    assert (sheet.collected, sheet.payments, sheet.source) == (130_000, 3, SheetSource.IMPORTED)
    again = run(rows, users.commune_officer)
    assert again.summary == "0 tạo mới, 0 thay đổi, 3 không đổi"
    assert DuesSheet.objects.get().collected == 130_000


def test_one_bad_row_writes_nothing_and_each_bad_cell_is_named(cast, users, people):
    outcome = run([
        [cast.cell.code, "11/2026", "001085000011", "", "", "80.000", "10/11/2026", ""],
        [cast.cell.code, "13/2026", "001085000099", "", "", "-5", "10/10/2026", ""],
        [cast.sibling_cell.code, "11/2026", "001085000015", "", "", "5000", "10/11/2026", ""],
        [cast.commune.code, "11/2026", "001085000012", "", "", "5000", "10/11/2026", ""],
    ], users.commune_officer)  # fmt: skip
    assert [str(e) for e in outcome.errors] == [
        "Dòng 3, cột “Số tiền”: Không được nhỏ hơn 1.",
        f"Dòng 4, cột “Mã chi bộ”: Không tìm thấy tổ chức mã “{cast.sibling_cell.code}”.",
        "Dòng 5, cột “Mã chi bộ”: Không phải chi bộ.",
    ]
    assert stored() == []


def test_a_member_not_on_the_cells_roll_undoes_the_whole_file(cast, users, people):
    outcome = run([
        [cast.cell.code, "11/2026", "001085000011", "", "", "80.000", "10/11/2026", ""],
        [cast.cell.code, "11/2026", "001085000013", "", "", "5.000", "10/11/2026", ""],
    ], users.commune_officer)  # fmt: skip
    assert "Nông Văn Cường không sinh hoạt chính thức tại chi bộ" in str(outcome.errors[0])
    assert stored() == [] and not DuesSheet.objects.exists()
