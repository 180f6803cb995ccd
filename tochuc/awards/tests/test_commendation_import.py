"""`tochuc import commendations`: the commission's spreadsheet of commendations, every row
checked as recording one would be, all or nothing, a refusal named by row and column in
Vietnamese, and the same file twice changes nothing."""

import pytest

from tochuc.accounts.access import Scope
from tochuc.awards.models import Commendation
from tochuc.core.models import AuditEntry
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã tổ chức khen thưởng*", "Cơ quan quyết định*", "Hình thức*", "Đối tượng*",
    "Mã tổ chức được khen", "Số CCCD", "Số thẻ đảng viên", "Họ tên", "Chức vụ, đơn vị",
    "Thành tích*", "Từ năm*", "Đến năm", "Nội dung thành tích", "Số quyết định*",
    "Ngày quyết định*",
]  # fmt: skip
ISSUER = "Ban Thường vụ Đảng ủy xã"
YEAR = "Hoàn thành xuất sắc nhiệm vụ trong năm"


def row(cast, kind, *, code="", cid="", name="", form="Giấy khen", year="2024", to="",
        no="15-QĐ/ĐU", on="20/01/2025", detail=""):  # fmt: skip
    return [cast.commune.code, ISSUER, form, kind, code, cid, "", name, detail, YEAR, year, to,
            "", no, on]  # fmt: skip


def run(rows, user):
    return registry.run_import(
        registry.get("commendations"),
        xlsx_bytes(rows, headers=HEADERS, title="Khen thưởng"),
        scope=Scope.for_user(user),
        by=user,
    )


def test_the_commune_imports_its_commendations_and_again_changes_nothing(cast, users, veterans):
    rows = [
        row(cast, "Tổ chức đảng", code=cast.village_cell.code),
        row(cast, "Đảng viên", cid="001056000001", name="Hoàng Văn An"),
        row(
            cast,
            "Cá nhân khác",
            name="Nguyễn Thị Hoa",
            detail="Chủ tịch Hội Phụ nữ xã",
            form="Kỷ niệm chương khác",
            year="2020",
            to="2024",
        ),  # fmt: skip
    ]
    first = run(rows, users.commune_officer)
    assert first.errors == [] and first.summary == "3 tạo mới, 0 thay đổi, 0 không đổi"
    got = sorted(
        Commendation.objects.values_list(
            "recipient_kind", "recipient_name", "form", "year_from", "year_to"
        )  # fmt: skip
    )
    assert got == [
        ("member", "Hoàng Văn An", "merit", 2024, 2024),
        ("organization", "Chi bộ thôn Nà Phái", "merit", 2024, 2024),
        ("person", "Nguyễn Thị Hoa", "medal_other", 2020, 2024),
    ]
    assert AuditEntry.objects.filter(action="tochuc.commendation.recorded").count() == 3
    again = run(rows, users.commune_officer)
    assert again.summary == "0 tạo mới, 0 thay đổi, 3 không đổi"
    assert Commendation.objects.count() == 3


def test_one_bad_row_writes_nothing_and_each_fault_is_named(cast, users, veterans):
    outcome = run(
        [
            row(cast, "Tổ chức đảng", code=cast.village_cell.code),
            row(cast, "Đảng viên", cid="001056000006"),  # the sibling commune's member
            row(cast, "Cá nhân khác"),
            row(cast, "Tổ chức đảng", code=cast.village_cell.code, year="2025", to="2023"),
            row(cast, "Đảng viên", cid="001056000001", on="20/12/2023"),
            row(cast, "Tổ chức đảng", code=cast.village_cell.code),
            row(cast, "Bằng cấp", code=cast.village_cell.code),
        ],
        users.commune_officer,
    )
    assert [str(e) for e in outcome.errors] == [
        "Dòng 3, cột “Số CCCD”: Không tìm thấy đảng viên có số CCCD hoặc số thẻ này.",
        "Dòng 4, cột “Họ tên”: Hãy ghi họ tên người được khen.",
        "Dòng 5, cột “Đến năm”: Năm kết thúc không được trước năm bắt đầu.",
        "Dòng 6, cột “Ngày quyết định”: Quyết định khen thưởng phải sau kỳ được khen.",
        "Dòng 7, cột “Số quyết định”: Trùng với dòng 2.",
        "Dòng 8, cột “Đối tượng”: “Bằng cấp” không có trong danh mục Đối tượng.",
    ]
    assert Commendation.objects.count() == 0


def test_the_template_reads_back_as_its_example_row():
    from tochuc.lib import xlsx

    importer = registry.get("commendations")
    table = xlsx.read_table(importer.template(), importer.columns, sheet_title=importer.sheet_title)
    [line] = table.rows
    assert line.text("form") == "Bằng khen" and line.text("decision_no") == "512-QĐ/TU"
