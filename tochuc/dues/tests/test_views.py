"""The dues pages through the client: a cell secretary collects the month on the phone
page, the commune officer sees the month of the commune and exports it, a member's dues
page and forms; out of scope is 404, without the right 403, nothing written on a refusal."""

import io
from datetime import date

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from tochuc.dues.models import DuesBasis, DuesPayment, DuesSheet
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db

NOW = time_machine.travel(date(2026, 12, 6), tick=False)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def roll_url(cell, month="11/2026"):
    return reverse("dues:roll", args=[cell.code]) + f"?thang={month}"


def collect_url(cell, month="11/2026"):
    return reverse("dues:collect", args=[cell.code]) + f"?thang={month}"


@NOW
def test_the_secretary_collects_all_but_one_on_the_phone_page(client, cast, users, people):
    login(client, users.cell_secretary)
    page = client.get(roll_url(cast.cell)).content.decode()
    assert 'id="roll"' in page and "Hoàng Văn An" in page and "80.000" in page
    response = client.post(collect_url(cast.cell), {
        "mode": "except", "members": [people.retired.pk], "paid_on": "10/11/2026",
        "row_version": 1}, follow=True)  # fmt: skip
    assert "Đã ghi 1 lượt nộp, 80.000 đồng." in response.content.decode()
    assert list(DuesPayment.objects.values_list("member__full_name", "amount")) == [
        ("Hoàng Văn An", 80_000)
    ]
    response = client.post(collect_url(cast.cell), {"mode": "report", "row_version": 2},
                           follow=True)  # fmt: skip
    assert "Đã báo cáo sổ thu tháng 11/2026: 80.000 đồng." in response.content.decode()
    assert DuesSheet.objects.get().reported_on == date(2026, 12, 6)


@NOW
def test_a_late_and_an_advance_payment_from_the_page(client, cast, users, people):
    login(client, users.cell_secretary)
    client.post(collect_url(cast.cell, "12/2026"), {
        "mode": "other", "member": people.retired.pk, "first_month": "10/2026", "months": 4,
        "paid_on": "05/12/2026", "reference": "DVC-8812"})  # fmt: skip
    assert list(DuesPayment.objects.values_list("for_month__month", "sheet__month__month")) == [
        (10, 12),
        (11, 12),
        (12, 12),
        (1, 12),
    ]
    assert DuesSheet.objects.get().collected == 4 * 25_000


@NOW
def test_a_refused_payment_writes_nothing_and_says_why(client, cast, users, people):
    login(client, users.cell_secretary)
    response = client.post(collect_url(cast.cell), {
        "mode": "selected", "members": [people.teacher.pk], "paid_on": "10/10/2026"},
        follow=True)  # fmt: skip
    assert "Ngày nộp phải trong tháng 11/2026" in response.content.decode()
    assert DuesPayment.objects.count() == 0


@NOW
def test_other_cells_and_communes_are_out_of_reach(client, cast, users, people):
    login(client, users.cell_secretary)
    assert client.get(roll_url(cast.village_cell)).status_code == 404
    assert client.post(collect_url(cast.sibling_cell), {"mode": "report"}).status_code == 404
    login(client, users.commune_viewer)
    assert client.get(roll_url(cast.cell)).status_code == 200
    assert client.post(collect_url(cast.cell), {"mode": "report"}).status_code == 403
    assert DuesSheet.objects.count() == 0


@NOW
def test_the_commune_month_lists_unreported_cells_and_exports_the_ledger(
    client, cast, users, people, collect_all
):
    collect_all(cast.cell)
    login(client, users.commune_officer)
    page = client.get(reverse("dues:overview", args=[cast.commune.code]) + "?thang=11/2026")
    text = page.content.decode()
    assert "2 chi bộ chưa báo cáo đảng phí tháng này" in text
    response = client.get(
        reverse("dues:overview_export", args=[cast.commune.code]) + "?thang=11/2026"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1] == ("Đảng bộ xã Tân An", 0, 22_050, 11_025, 11_025)
    assert rows[2][0] == "Chi bộ thôn Nà Phái" and rows[3][0] == "Đảng bộ Trường THPT Tân An"


@NOW
def test_the_roll_export_holds_every_line(client, cast, users, people, collect_all):
    collect_all(cast.cell, except_ids=[people.retired.pk])
    login(client, users.commune_officer)
    response = client.get(reverse("dues:roll_export", args=[cast.cell.code]) + "?thang=11/2026")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True))  # fmt: skip
    assert [r[:7] for r in rows[1:]] == [
        (1, "Hoàng Văn An", "Hưởng tiền lương (lương đóng bảo hiểm xã hội)", 8_000_000, 80_000,
         None, 80_000),
        (2, "Lục Thị Bình", "Hưởng lương hưu, trợ cấp bảo hiểm xã hội", 5_000_000, 25_000,
         None, None),
    ]  # fmt: skip


@NOW
def test_the_arrears_page_flags_members_of_the_commune(client, cast, users, people):
    login(client, users.commune_officer)
    page = client.get(reverse("dues:arrears", args=[cast.commune.code]) + "?nam=2026")
    text = page.content.decode()
    # Nobody paid in 2026: every member who owes is flagged, the veteran owes nothing.
    assert text.count("Thuộc diện xem xét xóa tên") == 3
    assert "Vi Văn Dũng" not in text


@NOW
def test_the_officer_sets_a_members_basis_and_a_refused_relief_stays_beside_its_field(
    client, cast, users, people
):
    login(client, users.commune_officer)
    url = reverse("dues:member_basis", args=[people.veteran.pk])
    client.post(url, {"month": "12/2026", "category": "pension", "basis": "4190000"})
    assert DuesBasis.objects.get(member=people.veteran).basis == 4_190_000
    url = reverse("dues:member_relief", args=[people.teacher.pk])
    response = client.post(url, {
        "kind": "reduction", "percent": "30", "first_month": "01/2026", "last_month": "03/2027",
        "ground": "illness", "decision_no": "5-QĐ/ĐU", "decided_on": "02/01/2026"})  # fmt: skip
    assert "tối đa 12 tháng" in response.content.decode()
    assert not people.teacher.dues_reliefs.exists()
    page = client.get(reverse("dues:member", args=[people.teacher.pk]) + "?nam=2026")
    assert page.content.decode().count("chưa nộp") == 12  # January to this December


@NOW
def test_a_payment_entered_by_mistake_is_cancelled_with_a_reason(client, cast, users, people,
                                                                  collect_all):  # fmt: skip
    [payment] = collect_all(cast.cell, except_ids=[people.retired.pk])
    login(client, users.cell_secretary)
    refused = client.post(collect_url(cast.cell), {"mode": "cancel", "payment": payment.pk})
    assert "Cần nêu lý do hủy." in refused.content.decode()
    cancel = {"mode": "cancel", "payment": payment.pk, "reason": "Ghi nhầm người"}
    response = client.post(collect_url(cast.cell), cancel, follow=True)
    assert "Đã hủy lượt nộp đảng phí tháng 11/2026 của Hoàng Văn An." in response.content.decode()
    assert not DuesPayment.objects.exists()
    assert (DuesSheet.objects.get().collected, DuesSheet.objects.get().payments) == (0, 0)


@NOW
def test_the_home_page_shows_the_cells_that_have_not_reported(client, cast, users, people):
    login(client, users.commune_officer)
    page = client.get(reverse("home")).content.decode()
    assert 'id="panel-dues"' in page and "Chi bộ chưa báo cáo đảng phí tháng 12/2026" in page
    assert 'data-figure="dues-unreported">2 / 2' in page
