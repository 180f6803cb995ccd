"""Import of meeting histories: all or nothing, idempotent, cells in scope only."""

import io
from datetime import date

import openpyxl
import pytest

from tochuc.imports.registry import get, run_import
from tochuc.meetings.models import Meeting

pytestmark = pytest.mark.django_db

HEADERS = ["Mã chi bộ*", "Ngày sinh hoạt*", "Loại*", "Chủ đề", "Địa điểm", "Có mặt*",
           "Vắng có lý do", "Vắng không lý do", "Tự đánh giá"]  # fmt: skip


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows(cast):
    return [
        [cast.village_cell.code, "05/01/2026", "Sinh hoạt thường kỳ", "Tháng 1", "Nhà văn hóa",
         18, 2, 0, "Tốt"],
        [cast.village_cell.code, "20/01/2026", "chuyên đề", "Học tập Nghị quyết", "", 17, 2, 1,
         "Khá"],
        [cast.cell.code, "06/01/2026", "thường kỳ", "", "", 9, 0, 0, ""],
    ]  # fmt: skip


def _run(content, user, **kwargs):
    from tochuc.accounts.access import Scope

    return run_import(get("meetings"), content, scope=Scope.for_user(user), by=user,
                      filename="lich-su.xlsx", **kwargs)  # fmt: skip


def test_a_good_file_writes_every_meeting_and_again_changes_nothing(cast, users):
    content = workbook(good_rows(cast))
    outcome = _run(content, users.commune_officer)
    assert outcome.ok and outcome.created == 3
    thematic = Meeting.objects.get(kind="thematic")
    assert (thematic.expected, thematic.present, thematic.absent) == (20, 17, 1)
    assert thematic.quality == "fair" and not thematic.detailed
    again = _run(content, users.commune_officer)
    assert again.ok and (again.created, again.unchanged) == (0, 3)
    assert Meeting.objects.count() == 3


def test_one_bad_row_writes_nothing_and_names_the_row_and_column(cast, users):
    rows = good_rows(cast) + [
        [cast.village_cell.code, "25/01/2026", "thường kỳ", "", "", 15, 0, 0, ""],
        [cast.commune.code, "07/01/2026", "thường kỳ", "", "", 3, 0, 0, ""],
    ]
    outcome = _run(workbook(rows), users.commune_officer)
    assert not outcome.ok and Meeting.objects.count() == 0
    messages = [str(e) for e in outcome.errors]
    assert any(m.startswith("Dòng 6, cột “Mã chi bộ”") for m in messages)
    assert any(m.startswith("Dòng 5, cột “Loại”") for m in messages)


def test_a_cell_out_of_scope_reads_as_missing(cast, users):
    rows = [[cast.sibling_cell.code, "05/01/2026", "thường kỳ", "", "", 5, 0, 0, ""]]
    outcome = _run(workbook(rows), users.commune_officer)
    assert not outcome.ok and "Không tìm thấy" in str(outcome.errors[0])
    assert not Meeting.objects.filter(held_on=date(2026, 1, 5)).exists()
