"""Collecting a month on a cell's sheet: one by one or "all paid except…", late and advance
payments, a portal reference, reporting the sheet, arrears and the removal flag."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.core.models import AuditEntry
from tochuc.dues import rolls, selectors, services
from tochuc.dues.models import DuesPayment, DuesSheet
from tochuc.quality.screening import screening_list

from .conftest import NOVEMBER, TODAY

pytestmark = pytest.mark.django_db


def test_all_paid_except_one_records_the_others_at_their_amounts(cast, people, collect_all):
    made = collect_all(cast.cell, except_ids=[people.retired.pk])
    assert [(p.member_id, p.amount) for p in made] == [(people.teacher.pk, 80_000)]
    sheet = DuesSheet.objects.get(organization=cast.cell, month=NOVEMBER)
    assert (sheet.collected, sheet.payments, sheet.row_version) == (80_000, 1, 2)
    assert AuditEntry.objects.filter(action="tochuc.dues.paid").count() == 1


def test_a_late_payment_and_an_advance_payment_land_on_the_sheet_of_the_month_collected(
    cast, people, users
):
    services.dues_payments_record(
        organization=cast.cell, month=NOVEMBER, paid_on=date(2026, 11, 20),
        lines=[services.PaymentLine(people.retired.pk, date(2026, 9, 1)),
               services.PaymentLine(people.retired.pk, date(2026, 12, 1), reference="DVC-2611-88"),
               services.PaymentLine(people.retired.pk, NOVEMBER)],
        by=users.cell_secretary, today=TODAY,
    )  # fmt: skip
    sheet = DuesSheet.objects.get(organization=cast.cell, month=NOVEMBER)
    assert sheet.collected == 3 * 25_000
    assert DuesPayment.objects.get(for_month=date(2026, 12, 1)).reference == "DVC-2611-88"
    line = next(
        line for line in rolls.cell_roll(organization=cast.cell, month=NOVEMBER)
        if line.member == people.retired
    )  # fmt: skip
    assert line.due.paid and [p.for_month.month for p in line.others] == [9, 12]


def test_a_month_paid_twice_or_a_stranger_is_refused_and_nothing_is_written(
    cast, people, users, collect_all
):
    collect_all(cast.cell)
    with pytest.raises(ValidationError, match="đã nộp đảng phí tháng 11/2026"):
        services.dues_payments_record(
            organization=cast.cell, month=NOVEMBER, paid_on=date(2026, 11, 12), today=TODAY,
            lines=[services.PaymentLine(people.teacher.pk, NOVEMBER)], by=users.cell_secretary,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="không sinh hoạt chính thức tại chi bộ"):
        services.dues_payments_record(
            organization=cast.cell, month=NOVEMBER, paid_on=date(2026, 11, 12), today=TODAY,
            lines=[services.PaymentLine(people.sibling.pk, NOVEMBER)], by=users.cell_secretary,
        )  # fmt: skip
    assert DuesPayment.objects.count() == 2


def test_a_stale_page_is_refused(cast, people, users, collect_all):
    collect_all(cast.cell, except_ids=[people.retired.pk])
    with pytest.raises(ValidationError, match="vừa được người khác cập nhật"):
        collect_all(cast.cell, row_version=1)


def test_a_reported_sheet_is_closed_and_the_cell_leaves_the_due_line(cast, people, users,
                                                                     collect_all):  # fmt: skip
    collect_all(cast.cell, except_ids=[people.retired.pk])
    assert cast.cell in selectors.unreported_cells(organization=cast.commune, month=NOVEMBER)
    services.dues_sheet_report(organization=cast.cell, month=NOVEMBER, by=users.cell_secretary,
                               today=TODAY)  # fmt: skip
    assert selectors.unreported_cells(organization=cast.commune, month=NOVEMBER) == [
        cast.village_cell
    ]
    with pytest.raises(ValidationError, match="đã báo cáo lên cấp trên"):
        collect_all(cast.cell)


def test_three_unpaid_months_in_a_year_flag_the_member(cast, people, users, collect_all):
    for month in range(2, 12):
        collect_all(cast.cell, month=date(2026, month, 1),
                    except_ids=[people.retired.pk] if month in (8, 10, 11) else [])  # fmt: skip
    rows = selectors.members_unpaid(organization=cast.commune, year=2026, today=TODAY)
    # Bình owes January, August, October, November; An only January: not flagged; in the
    # village cell nobody paid: Cường owes eleven months, the veteran nothing.
    assert [(r.member.full_name, [d.month.month for d in r.months], r.amount) for r in rows] == [
        ("Lục Thị Bình", [1, 8, 10, 11], 100_000),
        ("Nông Văn Cường", list(range(1, 12)), 55_000),
    ]
    teacher = [r for r in rolls.arrears(organization=cast.cell, year=2026, today=TODAY)
               if r.member == people.teacher]  # fmt: skip
    assert [d.month.month for d in teacher[0].months] == [1] and not teacher[0].flagged
    grounds = {r["member"].full_name: [g["text"] for g in r["grounds"]]
               for r in screening_list(organization=cast.commune, on=TODAY)}  # fmt: skip
    # Screening counts only the months the cell recorded member by member: January has no
    # sheet, and the village cell recorded none, so Cường's debt is no ground yet.
    assert grounds["Lục Thị Bình"] == ["Không đóng đảng phí 3 tháng năm 2026 (tháng 8, 10, 11)"]
    assert "Hoàng Văn An" not in grounds and "Nông Văn Cường" not in grounds
