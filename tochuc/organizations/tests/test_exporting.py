import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.organizations.exporting import COLUMNS, organizations_workbook
from tochuc.organizations.models import Kind
from tochuc.testing import found

pytestmark = pytest.mark.django_db

EXPORT = reverse("organizations:export")


def sheet_of(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))["Tổ chức"]


def test_a_formula_in_a_name_is_exported_as_text(cast):
    trap = found("T01.X01.BAY", '=HYPERLINK("http://x","Bấm")', Kind.BASE_CELL, cast.commune)
    sheet = sheet_of(organizations_workbook([trap]))
    name = sheet["B2"]
    assert name.value == '=HYPERLINK("http://x","Bấm")'
    assert name.data_type == "s"
    assert name.quotePrefix is True
    raw = zipfile.ZipFile(io.BytesIO(organizations_workbook([trap]))).read(
        "xl/worksheets/sheet1.xml"
    )
    assert b"<f>" not in raw


def test_the_workbook_has_the_columns_and_dates(cast):
    sheet = sheet_of(organizations_workbook([cast.base]))
    assert [c.value for c in sheet[1]] == [str(c.title) for c in COLUMNS]
    assert [c.value for c in sheet[2]] == [
        "T01.X01.THPT",
        "Đảng bộ Trường THPT Tân An",
        "Đảng bộ cơ sở",
        "Đơn vị sự nghiệp",
        "Đảng bộ xã Tân An",
        "T01.X01",
        datetime(2025, 7, 1),
        None,
    ]
    assert sheet["G2"].number_format == "DD/MM/YYYY"
    assert sheet.freeze_panes == "A2"


@time_machine.travel(date(2026, 11, 22))
def test_the_export_follows_the_search_filters_inside_the_scope(client, cast, users):
    client.force_login(users.commune_officer)
    response = client.get(EXPORT, {"q": "chi bo", "trang_thai": "tat_ca"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="to-chuc-2026-11-22.xlsx"'
    sheet = sheet_of(response.content)
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["T01.X01.NAPHAI", "T01.X01.THPT.TOAN"]  # not the sibling's cell
    entry = AuditEntry.objects.get(action="tochuc.organization.exported")
    assert (entry.username, entry.data["count"]) == ("commune_officer", 2)

    response = client.get(EXPORT, {"loai": "base_cell"})
    codes = [row[0] for row in sheet_of(response.content).iter_rows(min_row=2, values_only=True)]
    assert codes == ["T01.X01.NAPHAI"]


def test_the_brief_filter_names_are_understood_too(client, cast, users):
    client.force_login(users.province_officer)
    response = client.get(EXPORT, {"kind": "commune", "active": ""})
    codes = [row[0] for row in sheet_of(response.content).iter_rows(min_row=2, values_only=True)]
    assert codes == ["T01.X01", "T01.X02"]  # Tân An before Tân Bình


@pytest.mark.parametrize("role", ["cell_secretary", "stranger"])
def test_users_without_the_export_permission_find_nothing(client, cast, users, role):
    client.force_login(getattr(users, role))
    assert client.get(EXPORT).status_code == 404
    assert not AuditEntry.objects.filter(action="tochuc.organization.exported").exists()
