"""The same reports before and after a restructuring.

Đảng bộ huyện Văn Quan (founded 2000) holds three base cells: Bản Ang (3 members, one
admitted in 2020), Bản Bó (2) and Bản Cầu (1). On 01/07/2025 Bản Ang is merged into
Bản Bó, and on 01/08/2025 Bản Cầu is moved to the commune Tân Bình of the cast.
"""

from datetime import date

import pytest

from tochuc.organizations.models import Kind
from tochuc.organizations.services import Decision, organization_merge, organization_move
from tochuc.reports import heading, periods, registry
from tochuc.testing import found, register

pytestmark = pytest.mark.django_db
OLD = date(2000, 1, 1)


@pytest.fixture
def district(cast):
    district = found("T01.H01", "Đảng bộ huyện Văn Quan", Kind.DISTRICT, cast.province, on=OLD)
    ang = found("T01.H01.ANG", "Chi bộ thôn Bản Ang", Kind.BASE_CELL, district, on=OLD)
    bo = found("T01.H01.BO", "Chi bộ thôn Bản Bó", Kind.BASE_CELL, district, on=OLD)
    cau = found("T01.H01.CAU", "Chi bộ thôn Bản Cầu", Kind.BASE_CELL, district, on=OLD)
    register(ang, "Hà Văn Một")
    register(ang, "Hà Văn Hai")
    register(ang, "Hà Thị Ba", gender="female", admitted_on=date(2020, 3, 2))
    register(bo, "Nông Văn Bốn")
    register(bo, "Nông Thị Năm", gender="female")
    register(cau, "Vi Văn Sáu")
    organization_merge(sources=[ang], into=bo, on=date(2025, 7, 1),
                       decision=Decision("15-QĐ/HU", date(2025, 6, 20)))  # fmt: skip
    organization_move(organization=cau, parent=cast.sibling_commune, on=date(2025, 8, 1))
    for org in (district, ang, bo, cau):
        org.refresh_from_db()
    return {"district": district, "ang": ang, "bo": bo, "cau": cau, "cast": cast}


def total(organization, on):
    data = registry.build("membership", organization, periods.at(on))
    return data.table("members").rows[0]["count"]


def movement(organization, period):
    data = registry.build("movement", organization, period)
    rows = {row["key"]: row["count"] for row in data.table("movement").rows}
    return rows, data.checks[0]


def test_a_merged_organization_still_reports_its_2020_numbers(district):
    assert total(district["ang"], date(2020, 12, 31)) == 3
    assert total(district["bo"], date(2020, 12, 31)) == 2
    assert total(district["district"], date(2020, 12, 31)) == 6
    women = registry.build("membership", district["ang"], periods.at(date(2020, 12, 31)))
    assert {r["key"]: r["count"] for r in women.table("members").rows}["women"] == 1


def test_the_successor_2026_numbers_include_the_merged_members(district):
    assert total(district["bo"], date(2026, 6, 30)) == 5
    with pytest.raises(heading.NotInTree):
        total(district["ang"], date(2026, 6, 30))


def test_the_2020_movement_of_the_merged_cell_counts_its_admission(district):
    rows, balance = movement(district["ang"], periods.year(2020))
    assert (rows["start"], rows["admitted"], rows["end"]) == (2, 1, 3)
    assert balance.ok


def test_the_merge_moves_members_out_of_one_cell_and_into_the_other(district):
    rows, balance = movement(district["ang"], periods.year(2025))
    assert (rows["start"], rows["restructured_out"], rows["end"]) == (3, 3, 0)
    assert balance.ok
    rows, balance = movement(district["bo"], periods.year(2025))
    assert (rows["start"], rows["restructured_in"], rows["end"]) == (2, 3, 5)
    assert balance.ok


def test_a_merge_inside_the_district_is_not_a_movement_of_the_district(district):
    rows, balance = movement(district["district"], periods.year(2025))
    # Only Bản Cầu left, moved with its member to the commune Tân Bình.
    assert (rows["start"], rows["restructured_in"], rows["restructured_out"]) == (6, 0, 1)
    assert rows["end"] == 5
    assert balance.ok


def test_a_moved_cell_brings_its_members_to_the_new_parent(district):
    sibling = district["cast"].sibling_commune
    rows, balance = movement(sibling, periods.parse_quarter("2025-Q3"))
    assert (rows["start"], rows["restructured_in"], rows["end"]) == (0, 1, 1)
    assert balance.ok
    assert total(sibling, date(2025, 7, 31)) == 0
    assert total(sibling, date(2025, 8, 1)) == 1


def test_by_child_shows_the_merged_cell_beside_its_successor(district):
    data = registry.build("movement_by_child", district["district"], periods.year(2025))
    table = data.table("by_child")
    rows = {row["label"]: (row["start"], row["restructured_in"], row["restructured_out"],
                           row["end"]) for row in table.rows}  # fmt: skip
    assert rows == {
        "Chi bộ thôn Bản Ang": (3, 0, 3, 0),
        "Chi bộ thôn Bản Bó": (2, 3, 0, 5),
        "Chi bộ thôn Bản Cầu": (1, 0, 1, 0),
    }
    assert (table.totals["start"], table.totals["end"], table.totals["difference"]) == (6, 5, 0)
