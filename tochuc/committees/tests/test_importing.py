"""`tochuc import committees`: the history of a commune's committees, all or nothing, and the
same file twice changes nothing."""

from datetime import date

import pytest

from tochuc.accounts.access import Scope
from tochuc.committees.models import Committee, Ended, Post
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes
from tochuc.testing import register

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã tổ chức*", "Ngày bầu, chỉ định cấp ủy*", "Kết thúc nhiệm kỳ", "Hình thức cấp ủy*",
    "Số quyết định cấp ủy*", "Ngày quyết định cấp ủy*", "Số cấp ủy viên*", "Số ủy viên BTV",
    "Số Phó Bí thư", "Số ủy viên UBKT", "Số thẻ đảng viên hoặc CCCD*", "Họ và tên",
    "Chức vụ*", "Từ ngày*", "Hình thức*", "Số quyết định*", "Ngày quyết định*", "Đến ngày",
    "Lý do thôi giữ", "Số quyết định thôi giữ",
]  # fmt: skip
DESIGNATED = ["01/07/2025", "31/07/2030", "Chỉ định", "1234-QĐ/TU", "28/06/2025", "7", "3",
              "1", "0"]  # fmt: skip


def run(rows, user):
    return registry.run_import(
        registry.get("committees"), xlsx_bytes(rows, headers=HEADERS, title="Cấp ủy"),
        scope=Scope.for_user(user), by=user,
    )  # fmt: skip


@pytest.fixture
def people(cast):
    return [
        register(cast.village_cell, "Hoàng Văn An", party_card_no="20000001"),
        register(cast.village_cell, "Lục Thị Bình", citizen_id="020185000002"),
    ]


def rows(cast):
    return [
        [cast.commune.code, *DESIGNATED, "20000001", "Hoàng Văn An", "Bí thư", "01/07/2025",
         "Chỉ định", "1235-QĐ/TU", "28/06/2025", "02/03/2026", "Nghỉ hưu", "15-QĐ/TU"],
        [cast.commune.code, *DESIGNATED, "020185000002", "Lục Thị Bình", "Phó Bí thư",
         "01/07/2025", "Chỉ định", "1235-QĐ/TU", "28/06/2025", "", "", ""],
        [cast.commune.code, *DESIGNATED, "020185000002", "Lục Thị Bình", "Bí thư",
         "10/03/2026", "Bầu tại hội nghị cấp ủy", "16-QĐ/TU", "10/03/2026", "", "", ""],
    ]  # fmt: skip


def test_the_history_is_imported_and_again_changes_nothing(cast, users, people):
    first = run(rows(cast), users.province_officer)
    assert first.errors == [] and first.summary == "4 tạo mới, 0 thay đổi, 0 không đổi"
    committee = Committee.objects.get()
    assert (committee.formed_on, committee.size, committee.term.ends_on) == (
        date(2025, 7, 1), 7, date(2030, 7, 31),
    )  # fmt: skip
    stored = sorted(Post.objects.values_list("member__full_name", "role", "ended_how",
                                             "is_consolidation"))  # fmt: skip
    assert stored == [
        ("Hoàng Văn An", "secretary", Ended.RETIREMENT, False),
        ("Lục Thị Bình", "deputy", "", False),
        ("Lục Thị Bình", "secretary", "", True),
    ]
    again = run(rows(cast), users.province_officer)
    assert again.summary == "0 tạo mới, 0 thay đổi, 4 không đổi"
    assert Post.objects.count() == 3


def test_one_bad_row_writes_nothing_and_out_of_scope_reads_as_missing(cast, users, people):
    bad = rows(cast)
    bad[1][10] = "99999999"
    bad[2][0] = cast.other_commune.code
    outcome = run(bad, users.province_officer)
    assert sorted(str(e) for e in outcome.errors) == [
        "Dòng 3, cột “Số thẻ đảng viên hoặc CCCD”: Không có đảng viên “99999999” trong phạm vi.",
        f"Dòng 4, cột “Mã tổ chức”: Không tìm thấy tổ chức mã “{cast.other_commune.code}”.",
    ]
    assert not Committee.objects.exists() and not Post.objects.exists()


def test_two_secretaries_at_once_refuse_the_whole_file(cast, users, people):
    clash = rows(cast)
    clash[0][17:20] = ["", "", ""]  # An never ended: Bình cannot become secretary
    outcome = run(clash, users.province_officer)
    assert [str(e) for e in outcome.errors] == [
        "Dòng 4, cột “Chức vụ”: Đã có Bí thư; hãy kết thúc chức vụ đó trước."
    ]
    assert not Committee.objects.exists()
