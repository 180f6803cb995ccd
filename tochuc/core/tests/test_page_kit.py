"""The page kit (core/pages.py): the export response, the place in the tree as of a date,
the procedure page."""

import io
import re
from datetime import date

import openpyxl
import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from tochuc.core import pages
from tochuc.core.models import AuditEntry
from tochuc.organizations.services import organization_rename
from tochuc.testing import register

pytestmark = pytest.mark.django_db

COLUMNS = (
    pages.Col("Tổ chức", pages.TEXT, 40),
    pages.Col("Số đảng viên", pages.INT, 14),
    pages.Col("Tỷ lệ", pages.PERCENT, 10),
    pages.Col("Ngày", pages.DATE, 12),
)


def _export(user, rows):
    request = RequestFactory().get("/")
    request.user = user
    return pages.export_response(
        request,
        sheets=[pages.Sheet("Đảng viên theo tổ chức", COLUMNS, iter(rows))],
        filename=pages.dated_filename("thu-nghiem", date(2025, 12, 31)),
        action="tochuc.member.exported",
        report="test",
    )


def test_an_export_writes_the_sheet_spec_and_is_audited(cast, users):
    rows = [
        ("Đảng bộ xã Tân An", 66024, 0.025, date(2025, 12, 31)),
        ("Chi bộ Tổ Toán", 12, 1.02, None),
    ]
    response = _export(users.commune_officer, rows)

    assert response["Content-Type"] == pages.XLSX_TYPE
    assert 'filename="thu-nghiem-2025-12-31.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Đảng viên theo tổ chức"
    assert [c.value for c in sheet[1]] == ["Tổ chức", "Số đảng viên", "Tỷ lệ", "Ngày"]
    assert [c.value for c in sheet[2]][:3] == ["Đảng bộ xã Tân An", 66024, 0.025]
    assert sheet["D2"].value.date() == date(2025, 12, 31)
    # 66.024 with thousands grouped, 2,5% as a percentage, the date as dd/mm/yyyy.
    assert (sheet["B2"].number_format, sheet["C2"].number_format) == ("#,##0", "0.0%")
    assert sheet["D2"].number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["A"].width == 40
    entry = AuditEntry.objects.get(action="tochuc.member.exported")
    assert entry.user == users.commune_officer
    assert entry.data == {"count": 2, "report": "test"}


def test_the_breadcrumbs_name_the_ancestors_as_they_were_on_a_past_date(client, cast, users):
    organization_rename(organization=cast.commune, name="Đảng ủy xã Tân An", on=date(2026, 1, 1))
    client.force_login(users.province_officer)
    url = reverse("organizations:detail", args=[cast.cell.code])

    past = client.get(url, {"ngay": "31/12/2025"}).content.decode()
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', past, re.S).group(1)
    assert "Đảng bộ xã Tân An" in crumbs and "Đảng ủy xã Tân An" not in crumbs
    # Each ancestor's link keeps the date in view.
    commune = reverse("organizations:detail", args=[cast.commune.code])
    assert f'href="{commune}?ngay=31/12/2025"' in crumbs

    today = client.get(url).content.decode()
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', today, re.S).group(1)
    assert "Đảng ủy xã Tân An" in crumbs


def test_a_member_page_places_the_member_under_their_organization(client, cast, users):
    with time_machine.travel(date(2026, 1, 5)):
        member = register(cast.cell, "Nguyễn Văn An")
        client.force_login(users.commune_officer)
        page = client.get(reverse("members:edit", args=[member.pk])).content.decode()
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', page, re.S).group(1)
    names = re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]+)", crumbs)
    assert [n.strip() for n in names if n.strip()][-5:] == [
        "Đảng bộ xã Tân An", "Đảng bộ Trường THPT Tân An", "Chi bộ Tổ Toán", "Nguyễn Văn An",
        "Sửa hồ sơ đảng viên",
    ]  # fmt: skip


def test_a_refused_procedure_shows_the_reason_beside_the_field_and_changes_nothing(
    client, cast, users
):
    with time_machine.travel(date(2026, 1, 5)):
        member = register(cast.cell, "Nguyễn Văn An")
        client.force_login(users.commune_officer)
        before = member.events.count()
        response = client.post(
            reverse("members:exit", args=[member.pk]),
            {"kind": "", "on": "01/01/1900", "decision_no": "", "reason": ""},
        )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert member.events.count() == before
