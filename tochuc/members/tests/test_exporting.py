import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.members.models import MemberEvent
from tochuc.members.services import member_exit
from tochuc.testing import PASSWORD, register

pytestmark = pytest.mark.django_db
INJECTION = "=cmd|' /C calc'!A0"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    return (
        sheet,
        header,
        [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)],
    )


def test_the_export_holds_the_filtered_list_in_vietnamese_with_dd_mm_yyyy_dates(
    client, cast, users
):
    register(cast.cell, "Nguyễn Văn An", party_card_no="A1", gender="male")
    register(cast.village_cell, "Lò Thị Hoa", gender="female", ethnicity="03")
    register(cast.sibling_cell, "Nguyễn Văn An")  # another commune's namesake
    gone = register(cast.cell, "Đỗ Văn Cường")
    member_exit(member=gone, type=MemberEvent.Type.DIED, on=date(2025, 8, 1))
    login(client, users.commune_officer)

    sheet, header, rows = rows_of(client.get(reverse("members:export")))
    assert sheet.title == "Đảng viên"
    for title in ("Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chi bộ", "Trạng thái",
                  "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên"):  # fmt: skip
        assert title in header, title
    # Active members of the commune only, in Vietnamese order (by given name).
    assert [r["Họ và tên"].value for r in rows] == ["Nguyễn Văn An", "Lò Thị Hoa"]
    an, hoa = rows
    assert an["Ngày sinh"].value == datetime(1985, 3, 15)
    assert an["Ngày sinh"].number_format == "DD/MM/YYYY"
    assert an["Ngày vào Đảng"].value == datetime(2010, 6, 2)
    assert an["Ngày chính thức"].value == datetime(2010, 5, 19) + timedelta(days=380)
    assert (an["Giới tính"].value, an["Dân tộc"].value) == ("Nam", "Kinh")
    assert (an["Chi bộ"].value, an["Trạng thái"].value) == (cast.cell.name, "Chính thức")
    assert an["Số thẻ đảng viên"].value == "A1"
    assert (hoa["Giới tính"].value, hoa["Dân tộc"].value) == ("Nữ", "Thái")

    _sheet, _header, women = rows_of(client.get(reverse("members:export"), {"gioi_tinh": "female"}))
    assert [r["Họ và tên"].value for r in women] == ["Lò Thị Hoa"]
    _sheet, _header, everyone = rows_of(
        client.get(reverse("members:export"), {"trang_thai": "tat_ca", "to_chuc": cast.base.code})
    )
    assert sorted(r["Họ và tên"].value for r in everyone) == ["Nguyễn Văn An", "Đỗ Văn Cường"]


def test_a_formula_like_name_is_exported_as_text(client, cast, users):
    register(cast.cell, INJECTION)
    login(client, users.commune_officer)
    _sheet, _header, rows = rows_of(client.get(reverse("members:export")))
    cell = rows[0]["Họ và tên"]
    assert cell.value == INJECTION
    assert cell.data_type == "s"  # a string, never a formula
    assert cell.quotePrefix


def test_the_export_is_audited_with_its_count_and_filters(client, cast, users):
    register(cast.cell, "Nguyễn Văn An")
    register(cast.cell, "Nguyễn Văn Bình")
    login(client, users.commune_officer)
    client.get(reverse("members:export"), {"q": "nguyen", "to_chuc": cast.commune.code})
    entry = AuditEntry.objects.get(action="tochuc.member.exported")
    assert entry.user == users.commune_officer
    assert entry.data["count"] == 2
    assert entry.data["filters"] == {"q": "nguyen", "to_chuc": cast.commune.code}


def test_the_export_needs_the_export_permission_and_stays_in_scope(client, cast, users):
    register(cast.cell, "Nguyễn Văn An")
    login(client, users.cell_secretary)
    assert client.get(reverse("members:export")).status_code == 404
    login(client, users.sibling_officer)
    response = client.get(reverse("members:export"), {"to_chuc": cast.commune.code})
    assert response.status_code == 404
    _sheet, _header, rows = rows_of(client.get(reverse("members:export")))
    assert rows == []
