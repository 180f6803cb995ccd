"""`tochuc import staffing`: typed cells, all or nothing, the same file twice changes nothing,
and only where the user has cadre rights."""

from datetime import date

import pytest

from tochuc.accounts.access import Scope
from tochuc.cadres.models import Agency, StaffingQuota
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["Mã tổ chức đảng*", "Mã cơ quan, đơn vị*", "Tên cơ quan, đơn vị*", "Năm*",
           "Biên chế được giao*", "Thực có*", "Kế hoạch tinh giản"]  # fmt: skip


def run(rows, user):
    return registry.run_import(
        registry.get("staffing"), xlsx_bytes(rows, headers=HEADERS, title="Biên chế"),
        scope=Scope.for_user(user), by=user,
    )  # fmt: skip


def stored():
    return sorted(StaffingQuota.objects.values_list("agency__code", "year", "assigned", "actual",
                                                    "planned_reduction"))  # fmt: skip


def test_a_cadre_officer_imports_quotas_and_again_changes_nothing(cast, cadre_officers):
    code = cast.commune.code
    rows = [[code, "X01.PKT", "Phòng Kinh tế xã Tân An", "2024", "9", "8", ""],
            [code, "X01.PKT", "Phòng Kinh tế xã Tân An", 2025, "7", "7", "2"]]  # fmt: skip

    first = run(rows, cadre_officers.commune)

    assert first.errors == [] and first.summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    assert stored() == [("X01.PKT", 2024, 9, 8, 0), ("X01.PKT", 2025, 7, 7, 2)]
    assert Agency.objects.get().organization == cast.commune
    again = run(rows, cadre_officers.commune)
    assert again.summary == "0 tạo mới, 0 thay đổi, 2 không đổi"


def test_one_bad_row_writes_nothing_and_each_bad_cell_is_named(cast, cadre_officers):
    outcome = run([
        [cast.commune.code, "X01.PKT", "Phòng Kinh tế", "2025", "7", "7", ""],
        [cast.commune.code, "X01.VP", "Văn phòng", "2025", "-1", "6", ""],
        [cast.sibling_commune.code, "X02.VP", "Văn phòng", "2025", "6", "6", ""],
    ], cadre_officers.commune)  # fmt: skip
    assert [str(e) for e in outcome.errors] == [
        "Dòng 3, cột “Biên chế được giao”: Không được nhỏ hơn 0.",
        f"Dòng 4, cột “Mã tổ chức đảng”: Không tìm thấy tổ chức mã “{cast.sibling_commune.code}”.",
    ]
    assert stored() == [] and not Agency.objects.exists()


def test_an_officer_without_cadre_rights_finds_nothing_to_import_into(cast, users):
    outcome = run([[cast.commune.code, "X01.PKT", "Phòng Kinh tế", "2025", "7", "7", ""]],
                  users.commune_officer)  # fmt: skip
    assert outcome.errors and stored() == []


POSITION_HEADERS = ["Mã cấp ủy quản lý*", "Họ và tên*", "Ngày sinh*", "Giới tính", "Chức vụ*",
                    "Cơ quan, đơn vị*", "Từ ngày*", "Đến ngày", "Số quyết định",
                    "Ngày quyết định"]  # fmt: skip


def run_positions(rows, user):
    return registry.run_import(
        registry.get("work-history"),
        xlsx_bytes(rows, headers=POSITION_HEADERS, title="Quá trình công tác"),
        scope=Scope.for_user(user), by=user,
    )  # fmt: skip


def test_a_cadres_history_is_imported_once_and_the_cadre_made_once(cast, cadre_officers):
    from tochuc.cadres.models import Cadre, Position

    code = cast.commune.code
    rows = [
        [code, "Hoàng Văn An", "12/05/1978", "Nam", "Phó Trưởng phòng", "Phòng Kinh tế",
         "01/03/2016", "28/02/2021", "12-QĐ/UBND", "20/02/2016"],
        [code, "Hoàng Văn An", "12/05/1978", "", "Trưởng phòng", "Phòng Kinh tế",
         "01/03/2021", "", "30-QĐ/UBND", "22/02/2021"],
    ]  # fmt: skip
    first = run_positions(rows, cadre_officers.commune)
    assert first.errors == [] and first.summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    an = Cadre.objects.get()
    assert (an.full_name, an.birth_date, an.committee) == ("Hoàng Văn An", date(1978, 5, 12),
                                                           cast.commune)  # fmt: skip
    assert sorted(Position.objects.values_list("title", "ends_on")) == [
        ("Phó Trưởng phòng", date(2021, 2, 28)), ("Trưởng phòng", None)]  # fmt: skip
    again = run_positions(rows, cadre_officers.commune)
    assert again.summary == "0 tạo mới, 0 thay đổi, 2 không đổi"
    assert Position.objects.count() == 2


def test_a_new_cadre_without_gender_is_refused_and_nothing_written(cast, cadre_officers):
    from tochuc.cadres.models import Cadre

    row = [cast.commune.code, "Lục Văn Bình", "03/12/1964", "", "Chánh Văn phòng",
           "Văn phòng Đảng ủy", "01/01/2020", "", "", ""]  # fmt: skip
    outcome = run_positions([row], cadre_officers.commune)
    assert [str(e) for e in outcome.errors] == [
        "Dòng 2, cột “Giới tính”: Cán bộ chưa có hồ sơ: hãy ghi giới tính."
    ]
    assert not Cadre.objects.exists()
