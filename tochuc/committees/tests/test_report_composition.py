"""The composition of the committees in office at a date, against the term's targets."""

from datetime import date

import pytest

from tochuc.committees import services
from tochuc.committees.models import Began, Role
from tochuc.reports import periods, registry
from tochuc.testing import register

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


def test_the_commune_committee_counts_women_young_and_minorities(cast):
    committee = services.committee_form(
        organization=cast.commune, formed_on=JULY, formed_how="designated",
        decision_no="1234-QĐ/TU", decision_date=JULY, size=5, deputies=1,
    )  # fmt: skip
    people = [
        register(cast.village_cell, "Hoàng Văn An", ethnicity="02"),  # Tày, born 1985
        register(cast.village_cell, "Lục Thị Bình", gender="female", ethnicity="05"),
        register(
            cast.village_cell,
            "Nông Thị Cúc",
            gender="female",
            birth_date=date(1990, 2, 1),
            political_theory="cao_cap",
        ),  # fmt: skip
        register(cast.village_cell, "Vi Văn Dũng", birth_date=date(1960, 5, 5)),
    ]
    roles = [Role.SECRETARY, Role.DEPUTY, Role.MEMBER, Role.MEMBER]
    for member, role in zip(people, roles, strict=True):
        services.post_begin(committee=committee, member=member, role=role, began_on=JULY,
                            began_how=Began.DESIGNATED, decision_no="1235-QĐ/TU",
                            decision_date=JULY)  # fmt: skip
    data = registry.build("committee_composition", cast.province, periods.at(date(2026, 1, 1)))
    table = data.tables[0]
    assert [(r["label"], r["seats"], r["held"], r["women"], r["young"], r["minority"],
             r["theory"]) for r in table.rows] == [
        ("Đảng bộ xã Tân An", 5, 4, 2, 1, 2, 1),
    ]  # fmt: skip
    assert str(table.rows[0]["women_share"]) == "50.0"
    assert table.rows[0]["met"] == "Nữ: Đạt; trẻ: Đạt"
    ages = {r["label"]: r["count"] for r in data.tables[1].rows}
    assert ages == {"Dưới 40": 1, "Từ 40 đến dưới 50": 2, "Từ 50 đến dưới 60": 0,
                    "Từ 60 trở lên": 1}  # fmt: skip
    # Before the committee was designated: nothing in office.
    before = registry.build("committee_composition", cast.province, periods.at(date(2025, 6, 30)))
    assert before.tables[0].rows == []
