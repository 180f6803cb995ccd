"""`tochuc import badges`: the history of badges awarded before the system, checked against
the party-age rule and the occasions, all or nothing, and the same file twice changes
nothing."""

import pytest

from tochuc.accounts.access import Scope
from tochuc.awards.models import BadgeCase, Stage
from tochuc.core.models import AuditEntry
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "Số CCCD",
    "Số thẻ đảng viên",
    "Họ và tên",
    "Mốc tuổi Đảng*",
    "Đợt trao*",
    "Số quyết định*",
    "Ngày quyết định*",
    "Cơ quan quyết định*",
    "Số huy hiệu",
    "Ngày trao",
]
ISSUER = "Ban Thường vụ Tỉnh ủy"


def run(rows, user):
    return registry.run_import(
        registry.get("badges"),
        xlsx_bytes(rows, headers=HEADERS, title="Huy hiệu Đảng"),
        scope=Scope.for_user(user),
        by=user,
    )


def test_the_commune_imports_its_badge_history_and_again_changes_nothing(cast, users, veterans):
    rows = [
        [
            "001056000002",
            "",
            "Lục Thị Bình",
            "30",
            "02/09/2016",
            "88-QĐ/TU",
            "10/08/2016",
            ISSUER,
            "16004512",
            "02/09/2016",
        ],
        [
            "001056000001",
            "",
            "Hoàng Văn An",
            30,
            "02/09/2026",
            "245-QĐ/TU",
            "25/08/2026",
            ISSUER,
            "",
            "",
        ],
    ]
    first = run(rows, users.commune_officer)
    assert first.errors == [] and first.summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    got = sorted(
        BadgeCase.objects.values_list("member__full_name", "milestone", "stage", "gift_amount")
    )
    assert got == [
        ("Hoàng Văn An", 30, Stage.DECIDED, 3_510_000),
        ("Lục Thị Bình", 30, Stage.AWARDED, 1_815_000),
    ]
    assert AuditEntry.objects.filter(action="tochuc.badge.imported").count() == 2
    again = run(rows, users.commune_officer)
    assert again.summary == "0 tạo mới, 0 thay đổi, 2 không đổi"
    assert BadgeCase.objects.count() == 2


def test_one_bad_row_writes_nothing_and_each_fault_is_named(cast, users, veterans):
    outcome = run(
        [
            ["001056000002", "", "", "30", "02/09/2016", "88-QĐ/TU", "10/08/2016", ISSUER, "", ""],
            ["001056000001", "", "", "35", "02/09/2026", "1", "25/08/2026", ISSUER, "", ""],
            ["001056000001", "", "", "30", "03/09/2026", "1", "25/08/2026", ISSUER, "", ""],
            ["001056000005", "", "", "30", "02/09/2026", "1", "25/08/2026", ISSUER, "", ""],
            ["001056000006", "", "", "30", "02/09/2026", "1", "25/08/2026", ISSUER, "", ""],
        ],
        users.commune_officer,
    )
    assert [str(e) for e in outcome.errors] == [
        "Dòng 3, cột “Mốc tuổi Đảng”: Không có mốc 35 năm (các mốc: 30, 40, 45, "
        "50, 55, 60, 65, 70, 75, 80, 85, 90).",
        "Dòng 4, cột “Đợt trao”: Ngày 03/09/2026 không phải đợt trao Huy hiệu Đảng.",
        "Dòng 5, cột “Mốc tuổi Đảng”: Tuổi Đảng của Hà Thị Én (tính cả thời gian "
        "gián đoạn) chưa đủ 30 năm vào đợt 02/09/2026.",
        "Dòng 6, cột “Số CCCD”: Không tìm thấy đảng viên có số CCCD hoặc số thẻ này.",
    ]
    assert BadgeCase.objects.count() == 0


def test_the_template_reads_back_as_its_example_row():
    from tochuc.lib import xlsx

    importer = registry.get("badges")
    table = xlsx.read_table(importer.template(), importer.columns, sheet_title=importer.sheet_title)
    [row] = table.rows
    assert row.text("milestone") == "30" and row.text("decision_no") == "245-QĐ/TU"
