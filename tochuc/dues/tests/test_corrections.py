"""Sửa / Hủy of a member's dues basis and reliefs: the months not yet paid owe the new
amount; a month paid on a sheet not yet reported is recomputed (the payment and the sheet's
total follow, listed in the correction's effects); a month paid on a reported sheet is never
rewritten — the correction is refused with the month named, nothing written; a stale page
is refused; the reason is kept beside both versions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.core.corrections import Grounds
from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry, Correction
from tochuc.dues import corrections, rolls, services
from tochuc.dues.models import DuesBasis, DuesPayment, DuesRelief, DuesSheet

from .conftest import NOVEMBER, TODAY

pytestmark = pytest.mark.django_db


def basis_of(member):
    return DuesBasis.objects.get(member=member)


def sheet(cell, month=NOVEMBER):
    return DuesSheet.objects.get(organization=cell, month=month)


def test_a_wrong_salary_corrected_recomputes_the_month_paid_on_an_open_sheet(
    cast, people, collect_all, users
):
    collect_all(cast.cell)
    assert sheet(cast.cell).collected == 80_000 + 25_000
    corrections.dues_basis_correct(
        basis=basis_of(people.teacher), grounds=Grounds("Ghi nhầm lương"), amount=6_000_000,
        expected_version=1, by=users.commune_officer, today=TODAY,
    )  # fmt: skip
    assert DuesPayment.objects.get(member=people.teacher, for_month=NOVEMBER).amount == 60_000
    assert sheet(cast.cell).collected == 60_000 + 25_000
    correction = Correction.objects.get(entity="dues_basis")
    assert (correction.before["basis"], correction.after["basis"]) == (8_000_000, 6_000_000)
    assert correction.effects == [
        "Tháng 11/2026: lượt nộp 80.000 → 60.000 đồng (sổ thu chưa báo cáo)."
    ]
    assert AuditEntry.objects.filter(action="tochuc.dues_basis.corrected").count() == 1
    # A month not paid owes the new amount.
    assert (
        rolls.dues_of(pairs=[(people.teacher.pk, date(2026, 12, 1))])
        .of(people.teacher.pk, date(2026, 12, 1))
        .amount
        == 60_000
    )


def test_a_month_on_a_reported_sheet_is_never_rewritten(cast, people, collect_all, users):
    collect_all(cast.cell)
    services.dues_sheet_report(organization=cast.cell, month=NOVEMBER, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        corrections.dues_basis_correct(
            basis=basis_of(people.teacher), grounds=Grounds("Ghi nhầm lương"),
            amount=6_000_000, by=users.commune_officer, today=TODAY,
        )  # fmt: skip
    assert refused.value.message_dict["month"] == [
        "Tháng 11/2026 đã nộp 80.000 đồng trên sổ thu tháng 11/2026, đã báo cáo cấp trên "
        "ngày 06/12/2026: không sửa lại mức đóng của tháng đó. Hãy ghi mức mới từ tháng sau."
    ]
    assert basis_of(people.teacher).basis == 8_000_000
    assert DuesPayment.objects.get(member=people.teacher, for_month=NOVEMBER).amount == 80_000
    assert Correction.objects.count() == 0
    # What the treasurer does instead: the new salary from the next month.
    services.dues_basis_set(member=people.teacher, month=date(2026, 12, 1), category="salary",
                            basis=6_000_000, today=TODAY)  # fmt: skip
    dues = rolls.dues_of(pairs=[(people.teacher.pk, NOVEMBER), (people.teacher.pk,
                                                              date(2026, 12, 1))])  # fmt: skip
    assert dues.of(people.teacher.pk, NOVEMBER).amount == 80_000
    assert dues.of(people.teacher.pk, date(2026, 12, 1)).amount == 60_000


def test_a_correction_on_a_stale_page_is_refused(people, users):
    corrections.dues_basis_correct(
        basis=basis_of(people.teacher), grounds=Grounds("Sửa ghi chú"), note="Bảng lương",
        expected_version=1, today=TODAY,
    )  # fmt: skip
    with pytest.raises(ProcedureError, match="vừa được người khác sửa"):
        corrections.dues_basis_correct(
            basis=basis_of(people.teacher), grounds=Grounds("Sửa lương"), amount=7_000_000,
            expected_version=1, today=TODAY,
        )  # fmt: skip
    assert basis_of(people.teacher).basis == 8_000_000


def test_an_exemption_cancelled_makes_its_months_owed_again(people, users):
    relief = services.dues_relief_grant(
        member=people.farmer, kind="exemption", first_month=date(2026, 11, 1), last_month=None,
        ground="disaster", decision_no="13-QĐ/ĐU", decided_on=date(2026, 11, 2), today=TODAY,
    )  # fmt: skip
    assert (
        rolls.dues_of(pairs=[(people.farmer.pk, NOVEMBER)]).of(people.farmer.pk, NOVEMBER).amount
        == 0
    )
    corrections.dues_relief_cancel(
        relief=relief, grounds=Grounds("Ghi nhầm người"), expected_version=1,
        by=users.commune_officer,
    )  # fmt: skip
    assert not DuesRelief.objects.exists()
    due = rolls.dues_of(pairs=[(people.farmer.pk, NOVEMBER)]).of(people.farmer.pk, NOVEMBER)
    assert (due.amount, due.unpaid) == (5_000, True)
    assert Correction.objects.get().action == "cancelled"


def test_a_reduction_corrected_to_an_exemption_removes_the_open_payment(cast, people, collect_all):
    relief = services.dues_relief_grant(
        member=people.teacher, kind="reduction", percent=50, first_month=date(2026, 10, 1),
        last_month=date(2027, 3, 1), ground="illness", decision_no="12-QĐ/ĐU",
        decided_on=date(2026, 9, 28), today=TODAY,
    )  # fmt: skip
    collect_all(cast.cell)
    assert DuesPayment.objects.get(member=people.teacher).amount == 40_000
    corrections.dues_relief_correct(
        relief=relief, grounds=Grounds("Chi ủy quyết định miễn"), kind="exemption",
        today=TODAY,
    )  # fmt: skip
    assert not DuesPayment.objects.filter(member=people.teacher).exists()
    assert (sheet(cast.cell).collected, sheet(cast.cell).payments) == (25_000, 1)
    [effect] = Correction.objects.get().effects
    assert effect.startswith("Tháng 11/2026: không còn phải nộp; bỏ lượt nộp 40.000 đồng")
    with pytest.raises(ValidationError) as refused:
        corrections.dues_relief_correct(
            relief=relief, grounds=Grounds("Kéo dài"), kind="reduction", percent=30,
            last_month=date(2027, 12, 1), today=TODAY,
        )  # fmt: skip
    assert "tối đa 12 tháng" in refused.value.message_dict["last_month"][0]


def test_the_pages_correct_through_the_members_gate(client, cast, people, users):
    basis = basis_of(people.teacher)
    url = reverse("dues:basis_correct", args=[people.teacher.pk]) + f"?ban_ghi={basis.pk}"
    client.force_login(users.commune_officer)
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "mode": "corrected", "month": "07/2025", "category": "salary", "basis": "7500000",
        "row_version": "1", "reason": "Theo bảng lương mới nhận", "action": "save",
    })  # fmt: skip
    assert response.status_code == 302
    assert basis_of(people.teacher).basis == 7_500_000
    other = basis_of(people.retired)
    wrong = reverse("dues:basis_correct", args=[people.teacher.pk]) + f"?ban_ghi={other.pk}"
    assert client.get(wrong).status_code == 404
    client.force_login(users.sibling_officer)
    assert client.get(url).status_code == 404


def test_a_report_sent_by_mistake_is_cancelled_with_its_reason_and_the_sheet_reopens(
    client, cast, people, collect_all, users
):
    collect_all(cast.cell)
    services.dues_sheet_report(organization=cast.cell, month=NOVEMBER, today=TODAY)
    reported = sheet(cast.cell)
    client.force_login(users.commune_officer)
    url = reverse("dues:collect", args=[cast.cell.code]) + "?thang=11/2026"
    response = client.post(url, {"mode": "reopen", "reason": "Báo cáo nhầm, còn sửa lương",
                                 "row_version": str(reported.row_version)})  # fmt: skip
    assert response.status_code == 302
    reopened = sheet(cast.cell)
    assert reopened.reported_on is None and reopened.collected == 105_000
    correction = Correction.objects.get(entity="dues_sheet")
    assert correction.reason == "Báo cáo nhầm, còn sửa lương"
    assert (
        correction.before["reported_on"] == "2026-12-06" and correction.after["reported_on"] is None
    )
    # Open again, the month paid can now be corrected: the remittance follows the sheet.
    corrections.dues_basis_correct(
        basis=basis_of(people.teacher), grounds=Grounds("Ghi nhầm lương"), amount=6_000_000,
        today=TODAY,
    )  # fmt: skip
    assert sheet(cast.cell).collected == 85_000
    again = client.post(url, {"mode": "reopen", "reason": "Lần nữa"})
    assert again.status_code == 200
    assert "chưa báo cáo" in again.content.decode()
