"""The registered reports: meetings held, thematic and the attendance rate per cell and
month for a period (what the monthly briefing reads), and the cells due at a date."""

from datetime import date
from decimal import Decimal

import pytest

from tochuc.meetings import selectors
from tochuc.quality.screening import screening_list
from tochuc.reports import periods, registry

from .conftest import hold

pytestmark = pytest.mark.django_db


def _table(data, key):
    return next(t for t in data.tables if t.key == key)


def test_the_quarter_counts_meetings_thematic_and_the_rate(cast, village, school):
    hold(cast.village_cell, date(2026, 1, 6), marks={village[0].pk: ("absent", "")})
    hold(cast.village_cell, date(2026, 2, 3))
    hold(cast.village_cell, date(2026, 2, 17), kind="thematic",
         marks={village[1].pk: ("excused", "Ốm")})  # fmt: skip
    hold(cast.cell, date(2026, 2, 5), marks={school[0].pk: ("absent", "")})
    hold(cast.cell, date(2026, 4, 5))  # outside the quarter

    data = registry.build("meetings_held", cast.commune, periods.quarter(2026, 1))

    by_cell = {r["code"]: r for r in _table(data, "by_cell").rows}
    village_row = by_cell[cast.village_cell.code]
    assert (village_row["held"], village_row["thematic"]) == (3, 1)
    assert (village_row["expected"], village_row["present"]) == (15, 13)
    assert village_row["rate"] == Decimal("86.7")
    assert (by_cell[cast.cell.code]["held"], by_cell[cast.cell.code]["present"]) == (1, 2)
    totals = _table(data, "by_cell").totals
    assert (totals["held"], totals["thematic"], totals["expected"], totals["present"]) == (
        4, 1, 18, 15
    )  # fmt: skip
    months = {r["month"]: r for r in _table(data, "by_month").rows}
    assert [months[m]["held"] for m in ("01/2026", "02/2026", "03/2026")] == [1, 3, 0]
    assert months["02/2026"]["cells_met"] == 2
    long_rows = _table(data, "by_cell_month").rows
    assert len(long_rows) == 3
    assert "4 buổi sinh hoạt, trong đó 1 buổi chuyên đề" in data.paragraphs[0]


def test_a_month_of_the_briefing_equals_the_figures_page(cast, village):
    hold(cast.village_cell, date(2026, 2, 3), marks={village[0].pk: ("absent", "")})
    data = registry.build(
        "meetings_held", cast.commune, periods.between(date(2026, 2, 1), date(2026, 2, 28))
    )
    totals = _table(data, "by_cell").totals
    figures = selectors.figures(cast.commune, date(2026, 2, 1), date(2026, 2, 28))
    village_figures = next(f for f in figures if f.cell.pk == cast.village_cell.pk).total
    assert (totals["held"], totals["present"], totals["expected"]) == (1, 4, 5)
    assert [t.key for t in data.tables] == ["by_cell", "by_month"]  # no cell × month for one
    assert (village_figures.present, village_figures.expected) == (4, 5)


def test_the_due_report_names_the_cells_without_a_meeting_this_month(cast, village, school):
    hold(cast.village_cell, date(2026, 3, 2))
    hold(cast.village_cell, date(2026, 3, 9), kind="thematic")
    hold(cast.cell, date(2026, 2, 10))

    data = registry.build("meetings_due", cast.commune, periods.at(date(2026, 3, 20)))

    rows = _table(data, "due").rows
    assert [(r["code"], r["regular"], r["thematic"], r["last"]) for r in rows] == [
        (cast.cell.code, 0, 0, "10/02/2026")
    ]
    assert "1/2 chi bộ chưa sinh hoạt thường kỳ" in data.paragraphs[0]


def test_absentees_are_flagged_from_the_rules_number_of_months(cast, village):
    nam = village[4]
    for month in (1, 2):
        hold(cast.village_cell, date(2026, month, 5), marks={nam.pk: ("absent", "")})
    hold(cast.village_cell, date(2026, 3, 5), marks={nam.pk: ("excused", "Ốm")})
    assert selectors.absentees_flagged(organization=cast.commune, year=2026) == []
    hold(cast.village_cell, date(2026, 4, 6), marks={nam.pk: ("absent", "")})
    flagged = selectors.absentees_flagged(organization=cast.commune, year=2026)
    assert [(a.member, a.months, a.threshold) for a in flagged] == [(nam, (1, 2, 4), 3)]


def test_the_absentee_is_a_ground_in_the_commune_s_screening_list(cast, village):
    nam = village[4]
    for month in (1, 2, 4):
        hold(cast.village_cell, date(2026, month, 5), marks={nam.pk: ("absent", "")})
    rows = screening_list(organization=cast.commune, on=date(2026, 5, 1))
    assert [(r["member"], [g["text"] for g in r["grounds"]]) for r in rows] == [
        (nam, ["Vắng sinh hoạt không lý do 3 tháng năm 2026 (tháng 1, 2, 4)"])
    ]
