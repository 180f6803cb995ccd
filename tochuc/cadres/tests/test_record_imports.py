"""`tochuc import appointments | training | planning`: the cadre named by committee, name and
birth date; the whole file checked, each refusal of the services on its row, all or nothing;
the same file twice changes nothing; only where the user has cadre rights."""

import io
from datetime import date

import openpyxl
import pytest
import time_machine

from tochuc.accounts.access import Scope
from tochuc.cadres.models import Appointment, Cadre, PlannedPosition, PlanningEntry, Training
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes

from .conftest import TODAY

pytestmark = pytest.mark.django_db

APPOINTMENT_HEADERS = ["Mã cấp ủy quản lý*", "Họ và tên*", "Ngày sinh*", "Loại*", "Chức vụ*",
                       "Cơ quan, đơn vị", "Số quyết định*", "Ngày quyết định*",
                       "Ngày có hiệu lực*"]  # fmt: skip
TRAINING_HEADERS = ["Mã cấp ủy quản lý*", "Họ và tên*", "Ngày sinh*", "Loại*",
                    "Trình độ lý luận chính trị", "Tên khóa học, văn bằng*", "Cơ sở đào tạo",
                    "Từ ngày*", "Đến ngày", "Đã hoàn thành", "Kết quả"]  # fmt: skip
PLANNING_HEADERS = ["Mã cấp ủy quản lý*", "Họ và tên*", "Ngày sinh*", "Mã cấp ủy quy hoạch",
                    "Chức danh quy hoạch*", "Năm đầu nhiệm kỳ*", "Ngày đưa vào quy hoạch*",
                    "Số quyết định"]  # fmt: skip


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def people(cadre):
    """An (born 1978, "trung cấp") and Bình (born 12/1964: retires from 1/7/2026)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        an=cadre("Hoàng Văn An", born=date(1978, 5, 12), political_theory="trung_cap"),
        binh=cadre("Lục Văn Bình", born=date(1964, 12, 3), political_theory="cao_cap"),
    )


def run(name, rows, user, headers, title):
    return registry.run_import(
        registry.get(name), xlsx_bytes(rows, headers=headers, title=title),
        scope=Scope.for_user(user), by=user,
    )  # fmt: skip


def test_the_templates_hold_the_columns_the_files_are_read_by():
    for name, headers in (("appointments", APPOINTMENT_HEADERS), ("training", TRAINING_HEADERS),
                          ("planning", PLANNING_HEADERS)):  # fmt: skip
        importer = registry.get(name)
        sheet = openpyxl.load_workbook(io.BytesIO(importer.template()))[str(importer.sheet_title)]
        assert [c.value for c in next(sheet.iter_rows(max_row=1))] == headers, name


# ---------------------------------------------------------------- appointments


def appointment_rows(code):
    return [
        [code, "Hoàng Văn An", "12/05/1978", "Bổ nhiệm", "Trưởng phòng", "Phòng Kinh tế",
         "15-QĐ/ĐU", "20/12/2021", "10/01/2022"],
        [code, "hoàng văn an", "12/05/1978", "Bổ nhiệm lại", "Trưởng phòng", "",
         "41-QĐ/ĐU", "01/11/2026", "10/01/2027"],
    ]  # fmt: skip


def test_an_appointment_and_its_reappointment_are_imported_once(cast, cadre_officers, people):
    rows = appointment_rows(cast.commune.code)
    first = run("appointments", rows, cadre_officers.commune, APPOINTMENT_HEADERS, "Bổ nhiệm")
    assert first.errors == [] and first.summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    assert list(
        Appointment.objects.order_by("starts_on").values_list("kind", "decision_no", "term_ends_on")
    ) == [("first", "15-QĐ/ĐU", date(2027, 1, 10)), ("again", "41-QĐ/ĐU", date(2032, 1, 10))]
    position = people.an.positions.get()
    assert (position.title, position.unit, position.term_ends_on) == (
        "Trưởng phòng", "Phòng Kinh tế", date(2032, 1, 10),
    )  # fmt: skip
    again = run("appointments", rows, cadre_officers.commune, APPOINTMENT_HEADERS, "Bổ nhiệm")
    assert again.summary == "0 tạo mới, 0 thay đổi, 2 không đổi"
    assert Appointment.objects.count() == 2


def test_every_refused_appointment_is_named_and_nothing_is_written(cast, cadre_officers, people):
    code = cast.commune.code
    rows = [
        *appointment_rows(code)[:1],
        # Bình retires from 1/7/2026: a first appointment needs the whole term (the service).
        [code, "Lục Văn Bình", "03/12/1964", "Bổ nhiệm", "Chánh Văn phòng", "Văn phòng",
         "16-QĐ/ĐU", "20/12/2024", "01/01/2025"],
        [code, "Lục Văn Bình", "03/12/1964", "Bổ nhiệm lại", "Phó Chánh Văn phòng", "",
         "17-QĐ/ĐU", "20/12/2024", "01/01/2025"],
        [code, "Nông Thị Cúc", "01/02/1985", "Bổ nhiệm", "Phó Trưởng phòng", "Phòng Kinh tế",
         "18-QĐ/ĐU", "20/12/2024", "01/01/2025"],
        [cast.sibling_commune.code, "Vi Văn Dũng", "01/02/1980", "Bổ nhiệm", "Trưởng phòng",
         "Phòng Văn hóa", "19-QĐ/ĐU", "20/12/2024", "01/01/2025"],
    ]  # fmt: skip
    outcome = run("appointments", rows, cadre_officers.commune, APPOINTMENT_HEADERS, "Bổ nhiệm")
    sibling = cast.sibling_commune.code
    assert [str(e) for e in outcome.errors] == [
        "Dòng 4, cột “Chức vụ”: Lục Văn Bình không đang giữ chức vụ “Phó Chánh Văn phòng” để "
        "bổ nhiệm lại.",
        "Dòng 5, cột “Họ và tên”: Chưa có hồ sơ cán bộ Nông Thị Cúc (sinh 01/02/1985) thuộc "
        "diện Đảng bộ xã Tân An quản lý; hãy lập hồ sơ hoặc nhập quá trình công tác trước.",
        f"Dòng 6, cột “Mã cấp ủy quản lý”: Không tìm thấy tổ chức mã “{sibling}”.",
    ]
    assert not Appointment.objects.exists()
    # Without the rows the check catches, the service's refusal is the one reported.
    outcome = run("appointments", rows[:2], cadre_officers.commune, APPOINTMENT_HEADERS,
                  "Bổ nhiệm")  # fmt: skip
    (error,) = outcome.errors
    assert str(error).startswith(
        "Dòng 3, cột “Ngày có hiệu lực”: Lục Văn Bình nghỉ hưu từ 01/07/2026, chỉ còn 18 tháng "
        "công tác: bổ nhiệm lần đầu cần đủ 60 tháng"
    )
    assert not Appointment.objects.exists() and not people.an.positions.exists()


def test_an_officer_without_cadre_rights_finds_no_committee_to_import_into(cast, users, people):
    outcome = run("appointments", appointment_rows(cast.commune.code), users.commune_officer,
                  APPOINTMENT_HEADERS, "Bổ nhiệm")  # fmt: skip
    assert {e.column for e in outcome.errors} == {"Mã cấp ủy quản lý"}
    assert not Appointment.objects.exists()


# ---------------------------------------------------------------- training


def test_a_completed_advanced_theory_course_raises_the_record_and_is_imported_once(
    cast, cadre_officers, people
):
    code = cast.commune.code
    rows = [
        [code, "Hoàng Văn An", "12/05/1978", "Lý luận chính trị", "Cao cấp",
         "Cao cấp lý luận chính trị hệ không tập trung", "Học viện Chính trị khu vực I",
         "01/03/2022", "30/06/2023", "Có", "Khá"],
        [code, "Hoàng Văn An", "12/05/1978", "Bồi dưỡng ngắn hạn", "",
         "Bồi dưỡng kiến thức quốc phòng, an ninh đối tượng 3", "", "05/05/2025",
         "20/05/2025", "Có", ""],
    ]  # fmt: skip
    first = run("training", rows, cadre_officers.commune, TRAINING_HEADERS, "Đào tạo")
    assert first.errors == [] and first.summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    assert list(Training.objects.order_by("starts_on").values_list("kind", "theory_level",
                                                                   "completed")) == [
        ("political_theory", "cao_cap", True), ("course", "", True)]  # fmt: skip
    assert Cadre.objects.get(pk=people.an.pk).political_theory == "cao_cap"
    again = run("training", rows, cadre_officers.commune, TRAINING_HEADERS, "Đào tạo")
    assert again.summary == "0 tạo mới, 0 thay đổi, 2 không đổi"
    changed = [[*rows[0][:10], "Giỏi"]]
    refused = run("training", changed, cadre_officers.commune, TRAINING_HEADERS, "Đào tạo")
    assert [str(e) for e in refused.errors] == [
        "Dòng 2, cột “Tên khóa học, văn bằng”: Khóa học này đã có với số liệu khác; hãy sửa "
        "trên hồ sơ cán bộ."
    ]


def test_a_theory_course_without_its_level_writes_nothing(cast, cadre_officers, people):
    code = cast.commune.code
    rows = [
        [code, "Hoàng Văn An", "12/05/1978", "Quản lý nhà nước", "", "Chuyên viên chính", "",
         "01/03/2024", "30/06/2024", "Có", ""],
        [code, "Hoàng Văn An", "12/05/1978", "Lý luận chính trị", "", "Trung cấp", "",
         "01/03/2020", "", "Không", ""],
        [code, "Hoàng Văn An", "12/05/1978", "Thể thao", "", "Bơi", "", "01/03/2020", "", "", ""],
    ]  # fmt: skip
    outcome = run("training", rows, cadre_officers.commune, TRAINING_HEADERS, "Đào tạo")
    assert [str(e) for e in outcome.errors] == [
        "Dòng 3, cột “Trình độ lý luận chính trị”: Hãy ghi trình độ lý luận chính trị.",
        "Dòng 4, cột “Loại”: “Thể thao” không có trong danh mục Loại.",
    ]
    assert not Training.objects.exists()


# ---------------------------------------------------------------- planning


def test_a_planning_list_is_imported_with_its_position_and_again_changes_nothing(
    cast, cadre_officers, people, cadre
):
    cuc = cadre("Nông Thị Cúc", born=date(1985, 2, 1), gender="female",
                political_theory="trung_cap")  # fmt: skip
    code = cast.commune.code
    rows = [
        [code, "Hoàng Văn An", "12/05/1978", "", "Bí thư Đảng ủy xã", "2025", "05/01/2026",
         "07-QĐ/ĐU"],
        [code, "Nông Thị Cúc", "01/02/1985", code, "Bí thư Đảng ủy xã", 2030, "05/01/2026",
         "07-QĐ/ĐU"],
    ]  # fmt: skip
    first = run("planning", rows, cadre_officers.commune, PLANNING_HEADERS, "Quy hoạch")
    assert first.errors == [] and first.summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    position = PlannedPosition.objects.get()
    assert (position.committee, position.title) == (cast.commune, "Bí thư Đảng ủy xã")
    assert sorted(PlanningEntry.objects.values_list("cadre__full_name", "term_start",
                                                    "added_on", "decision_no")) == [
        ("Hoàng Văn An", 2025, date(2026, 1, 5), "07-QĐ/ĐU"),
        ("Nông Thị Cúc", 2030, date(2026, 1, 5), "07-QĐ/ĐU"),
    ]  # fmt: skip
    assert cuc.planning.get().position == position
    again = run("planning", rows, cadre_officers.commune, PLANNING_HEADERS, "Quy hoạch")
    assert again.summary == "0 tạo mới, 0 thay đổi, 2 không đổi"


def test_a_cadre_short_of_the_criteria_is_named_and_no_list_is_written(
    cast, cadre_officers, people
):
    code = cast.commune.code
    rows = [
        [code, "Hoàng Văn An", "12/05/1978", "", "Bí thư Đảng ủy xã", "2025", "05/01/2026", ""],
        [code, "Lục Văn Bình", "03/12/1964", "", "Bí thư Đảng ủy xã", "2025", "05/01/2026", ""],
        [code, "Hoàng Văn An", "12/05/1978", cast.province.code, "Phó Bí thư Tỉnh ủy", "2025",
         "05/01/2026", ""],
    ]  # fmt: skip
    outcome = run("planning", rows, cadre_officers.commune, PLANNING_HEADERS, "Quy hoạch")
    assert [str(e) for e in outcome.errors] == [
        f"Dòng 4, cột “Mã cấp ủy quy hoạch”: Không tìm thấy tổ chức mã “{cast.province.code}”."
    ]
    outcome = run("planning", rows[:2], cadre_officers.commune, PLANNING_HEADERS, "Quy hoạch")
    (error,) = outcome.errors
    assert str(error).startswith(
        "Dòng 3, cột “Họ và tên”: Không đủ tuổi: nghỉ hưu từ 01/07/2026, không công tác đủ 60 "
        "tháng tính từ đầu nhiệm kỳ 01/01/2025"
    )
    assert not PlanningEntry.objects.exists() and not PlannedPosition.objects.exists()
