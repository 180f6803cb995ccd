"""`tochuc import congresses`: a commune's congress results from a file, the elected counted
under the majority rule, all or nothing with every bad cell named, and the same file twice
changes nothing."""

from datetime import date

import pytest

from tochuc.accounts.access import Scope
from tochuc.committees import services
from tochuc.committees.models import Candidate, Congress
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes
from tochuc.testing import register

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã tổ chức*", "Ngày bầu cấp ủy*", "Đại hội lần thứ*", "Hình thức đại hội*",
    "Ngày khai mạc*", "Ngày bế mạc*", "Thực hiện văn bản", "Số được triệu tập*", "Số có mặt*",
    "Số phiếu phát ra*", "Số phiếu hợp lệ*", "Người ứng cử*", "Số thẻ đảng viên hoặc CCCD",
    "Số phiếu bầu*",
]  # fmt: skip
CONGRESS = ["20/08/2025", "1", "Đại hội đại biểu", "19/08/2025", "20/08/2025", "45-CT/TW",
            "150", "148", "148", "146"]  # fmt: skip


def run(rows, user):
    return registry.run_import(
        registry.get("congresses"), xlsx_bytes(rows, headers=HEADERS, title="Đại hội"),
        scope=Scope.for_user(user), by=user,
    )  # fmt: skip


@pytest.fixture
def elected(cast):
    register(cast.village_cell, "Hoàng Văn An", party_card_no="20000001")
    register(cast.village_cell, "Lục Thị Bình")
    return services.committee_form(
        organization=cast.commune, formed_on=date(2025, 8, 20), formed_how="elected",
        decision_no="01-NQ/ĐH", decision_date=date(2025, 8, 20), size=2, deputies=1,
    )  # fmt: skip


def rows(cast):
    return [
        [cast.commune.code, *CONGRESS, "Hoàng Văn An", "20000001", "140"],
        [cast.commune.code, *CONGRESS, "Lục Thị Bình", "", "80"],
        [cast.commune.code, *CONGRESS, "Nông Văn Cường", "", "73"],
    ]


def test_the_results_are_imported_and_again_change_nothing(cast, users, elected):
    first = run(rows(cast), users.province_officer)
    assert first.errors == [] and first.summary == "1 tạo mới, 0 thay đổi, 0 không đổi"
    congress = Congress.objects.get()
    assert (congress.term, congress.ordinal_roman, congress.ballots_valid) == (
        elected.term,
        "I",
        146,
    )
    assert sorted(Candidate.objects.values_list("full_name", "votes", "elected")) == [
        ("Hoàng Văn An", 140, True),
        ("Lục Thị Bình", 80, True),
        ("Nông Văn Cường", 73, False),  # not more than half of 146
    ]
    assert Candidate.objects.get(full_name="Lục Thị Bình").member.full_name == "Lục Thị Bình"
    assert Candidate.objects.get(full_name="Nông Văn Cường").member is None
    again = run(rows(cast), users.province_officer)
    assert again.summary == "0 tạo mới, 0 thay đổi, 1 không đổi"
    changed = rows(cast)
    changed[2][-1] = "75"
    assert [str(e) for e in run(changed, users.province_officer).errors] == [
        "Dòng 2, cột “Đại hội lần thứ”: Đại hội lần thứ này đã có với kết quả khác."
    ]


def test_bad_cells_are_each_named_and_nothing_is_written(cast, users, elected):
    bad = rows(cast)
    bad[0][-1] = "160"
    bad[1][12] = "99999999"
    bad[2][0] = cast.other_commune.code
    outcome = run(bad, users.province_officer)
    assert sorted(str(e) for e in outcome.errors) == [
        "Dòng 2, cột “Số phiếu bầu”: Số phiếu vượt số phiếu hợp lệ.",
        "Dòng 3, cột “Số thẻ đảng viên hoặc CCCD”: Không có đảng viên “99999999” trong phạm vi.",
        f"Dòng 4, cột “Mã tổ chức”: Không tìm thấy tổ chức mã “{cast.other_commune.code}”.",
    ]
    assert not Congress.objects.exists()


def test_a_congress_without_its_elected_committee_is_refused(cast, users):
    outcome = run(rows(cast)[1:2], users.province_officer)
    assert [str(e) for e in outcome.errors] == [
        "Dòng 2, cột “Ngày bầu cấp ủy”: Không có cấp ủy do đại hội bầu ngày này."
    ]
