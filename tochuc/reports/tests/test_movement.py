"""Reports 2 and 3: movement over a period, the balance, and the rows per child."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tochuc.reports import periods, registry

from .fixtures import events_2026, people_2025, targets_2026

pytestmark = pytest.mark.django_db


def movement_rows(data):
    return {row["key"]: row["count"] for row in data.table("movement").rows}


@pytest.fixture
def year_2026(cast):
    events_2026(cast, people_2025(cast))
    targets_2026(cast)
    return cast


def test_it_counts_each_movement_of_the_commune_in_2026(year_2026):
    data = registry.build("movement", year_2026.commune, periods.year(2026))
    assert movement_rows(data) == {
        "start": 6, "admitted": 1, "readmitted": 0, "confirmed": 1,
        "transferred_in": 1, "transferred_out": 1,  # Khánh in, Em out; Giang stays inside
        "restructured_in": 0, "restructured_out": 0,
        "died": 0, "removed": 1, "expelled": 0, "resigned": 0, "end": 6,
    }  # fmt: skip
    balance = data.checks[0]
    assert (balance.expected, balance.actual, balance.difference, balance.ok) == (6, 6, 0, True)


def test_it_compares_admissions_with_the_target(year_2026):
    data = registry.build("movement", year_2026.commune, periods.year(2026))
    row = data.table("admissions").rows[0]
    assert (row["admitted"], row["target"], row["percent"]) == (1, 2, Decimal("50"))


def test_without_a_target_the_column_says_so(cast):
    events_2026(cast, people_2025(cast))
    data = registry.build("movement", cast.commune, periods.year(2026))
    table = data.table("admissions")
    assert table.rows[0]["target"] is None
    assert table.display_rows()[0][2] == "chưa giao chỉ tiêu"


def test_a_discrepancy_is_shown_not_hidden(cast):
    # The commune was founded on 01/07/2025 and its members entered without an event:
    # 0 at the start of 2025, one admission and one death, 6 at the end.
    people_2025(cast)
    data = registry.build("movement", cast.commune, periods.year(2025))
    rows = movement_rows(data)
    assert (rows["start"], rows["admitted"], rows["died"], rows["end"]) == (0, 1, 1, 6)
    balance = data.checks[0]
    assert (balance.expected, balance.actual, balance.difference, balance.ok) == (0, 6, 6, False)


def test_a_quarter_counts_only_its_own_events(cast):
    people_2025(cast)
    data = registry.build("movement", cast.commune, periods.parse_quarter("2025-Q4"))
    rows = movement_rows(data)
    assert (rows["start"], rows["admitted"], rows["died"], rows["end"]) == (7, 0, 1, 6)
    assert data.checks[0].ok


def test_by_child_gives_one_row_per_child_and_a_totals_row(year_2026):
    data = registry.build("movement_by_child", year_2026.commune, periods.year(2026))
    table = data.table("by_child")
    keys = ["start", "admitted", "confirmed", "transferred_in", "transferred_out", "removed",
            "end", "target", "percent", "difference"]  # fmt: skip
    rows = {row["label"]: [row[k] for k in keys] for row in table.rows}
    assert list(rows) == ["Chi bộ thôn Nà Phái", "Đảng bộ Trường THPT Tân An"]
    # Nà Phái: Giang (from the school) and Khánh (from the sibling commune) arrive.
    assert rows["Chi bộ thôn Nà Phái"] == [4, 1, 1, 2, 0, 1, 6, 1, Decimal("100"), 0]
    assert rows["Đảng bộ Trường THPT Tân An"] == [2, 0, 0, 0, 2, 0, 0, None, None, 0]
    totals = [table.totals[k] for k in keys]
    # The totals row carries the commune's own target (2, as its movement report), not the
    # sum of its children's (only Nà Phái was given one).
    assert totals == [6, 1, 1, 2, 2, 1, 6, 2, Decimal("50"), 0]
    target_column = [c.key for c in table.columns].index("target")
    assert table.display_rows()[1][target_column] == "chưa giao chỉ tiêu"
    assert table.display_rows()[0][target_column] == "1"


def test_a_movement_report_needs_a_period(cast):
    with pytest.raises(ValidationError):
        registry.build("movement", cast.commune, periods.at(date(2025, 12, 31)))


def test_members_moved_out_of_a_cell_dissolved_that_day_stay_inside_the_province(cast):
    from tochuc.members.services import member_transfer
    from tochuc.organizations.services import organization_dissolve
    from tochuc.testing import register

    moved = [register(cast.sibling_cell, name) for name in ("Lý Văn Páo", "Hoàng Thị Nhài")]
    for member in moved:
        member_transfer(member=member, on=date(2026, 3, 2), to=cast.village_cell)
    organization_dissolve(organization=cast.sibling_cell, on=date(2026, 3, 2))

    province = movement_rows(registry.build("movement", cast.province, periods.year(2026)))
    commune = movement_rows(registry.build("movement", cast.commune, periods.year(2026)))
    sibling = movement_rows(registry.build("movement", cast.sibling_commune, periods.year(2026)))
    assert (province["start"], province["transferred_in"], province["transferred_out"],
            province["end"]) == (2, 0, 0, 2)  # fmt: skip
    assert (commune["transferred_in"], commune["end"]) == (2, 2)
    assert (sibling["start"], sibling["transferred_out"], sibling["end"]) == (2, 2, 0)
