"""`tochuc import targets`: typed cells, all or nothing, and the same file twice changes
nothing."""

import pytest

from tochuc.accounts.access import Scope
from tochuc.admissions.models import AdmissionTarget
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["Mã tổ chức*", "Tên tổ chức", "Năm*", "Chỉ tiêu kết nạp*"]


def run(rows, user):
    return registry.run_import(
        registry.get("targets"), xlsx_bytes(rows, headers=HEADERS, title="Chỉ tiêu"),
        scope=Scope.for_user(user), by=user,
    )  # fmt: skip


def stored():
    return sorted(AdmissionTarget.objects.values_list("organization__code", "year", "target"))


def test_a_province_officer_sets_the_targets_of_the_communes_and_again_changes_nothing(cast, users):
    rows = [[cast.commune.code, "", "2025", "25"], [cast.commune.code, "", 2026, "1.200"]]

    first = run(rows, users.province_officer)

    assert first.errors == [] and first.summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    assert stored() == [(cast.commune.code, 2025, 25), (cast.commune.code, 2026, 1200)]
    again = run(rows, users.province_officer)
    assert again.summary == "0 tạo mới, 0 thay đổi, 2 không đổi"
    assert stored() == [(cast.commune.code, 2025, 25), (cast.commune.code, 2026, 1200)]


def test_one_bad_row_writes_nothing_and_each_bad_cell_is_named(cast, users):
    outcome = run(
        [
            [cast.commune.code, "", "2025", "25"],
            [cast.commune.code, "", "hai nghìn", "-3"],
            [cast.other_province.code, "", "2025", "4"],
            [cast.province.code, "", "2025", "4"],
        ],
        users.province_officer,
    )
    assert [str(e) for e in outcome.errors] == [
        "Dòng 3, cột “Năm”: “hai nghìn” không phải số.",
        "Dòng 3, cột “Chỉ tiêu kết nạp”: Không được nhỏ hơn 0.",
        f"Dòng 4, cột “Mã tổ chức”: Không tìm thấy tổ chức mã “{cast.other_province.code}”.",
        f"Dòng 5, cột “Mã tổ chức”: Không có tổ chức mã “{cast.province.code}” trong phạm vi "
        "được giao chỉ tiêu.",
    ]
    assert stored() == []
