"""Report 1: organizations and members at a date, with hand-computed numbers
(fixtures.py draws the commune)."""

from datetime import date
from decimal import Decimal

import pytest

from tochuc.reports import heading, periods, registry

from .fixtures import people_2025

pytestmark = pytest.mark.django_db


def counts(table):
    return {row["label"]: row["count"] for row in table.rows}


@pytest.fixture
def report(cast):
    people_2025(cast)
    return registry.build("membership", cast.commune, periods.at(date(2025, 12, 31)))


def test_it_counts_the_members_of_the_subtree_on_the_date(report):
    members = {row["key"]: row["count"] for row in report.table("members").rows}
    assert members == {
        "total": 6, "full": 5, "probationary": 1, "women": 3, "minorities": 3, "religious": 2,
    }  # fmt: skip
    shares = {row["key"]: row["share"] for row in report.table("members").rows}
    assert shares["women"] == Decimal("50.0")
    assert shares["religious"] == Decimal("33.3")


def test_it_counts_a_member_who_died_later_at_an_earlier_date(cast):
    people_2025(cast)
    before = registry.build("membership", cast.commune, periods.at(date(2025, 9, 30)))
    assert before.table("members").rows[0]["count"] == 7  # Hải still alive, Dung since 1/9
    # Membership starts with the admission decision (1/9), not the ceremony (15/9).
    on_the_decision = registry.build("membership", cast.commune, periods.at(date(2025, 9, 1)))
    assert on_the_decision.table("members").rows[0]["count"] == 7
    before_dung = registry.build("membership", cast.commune, periods.at(date(2025, 8, 31)))
    assert before_dung.table("members").rows[0]["count"] == 6


def test_it_counts_organizations_by_kind_and_grassroots_type(report):
    organizations = {row["key"]: row["count"] for row in report.table("organizations").rows}
    assert organizations == {
        "grassroots": 2, "base_committee": 1, "base_cell": 1,
        "under_grassroots": 1, "sub_committee": 0, "cell": 1,
        "district": 0, "commune": 0, "bloc": 0,
    }  # fmt: skip
    by_type = {row["key"]: (row["base_committee"], row["base_cell"], row["total"])
               for row in report.table("grassroots_by_type").rows}  # fmt: skip
    assert by_type["su_nghiep"] == (1, 0, 1)
    assert by_type["khac"] == (0, 1, 1)
    assert sum(total for _c, _b, total in by_type.values()) == 2
    assert report.table("grassroots_by_type").totals["total"] == 2


def test_it_bands_ages_on_the_report_date(report):
    # Giang is born 31/12/1995: 30 full years on 31/12/2025, still in "up to 30".
    assert counts(report.table("age")) == {
        "Đến 30 tuổi": 2, "Từ 31 đến 40 tuổi": 2, "Từ 41 đến 50 tuổi": 1,
        "Từ 51 đến 60 tuổi": 0, "Từ 61 đến 70 tuổi": 1, "Trên 70 tuổi": 0,
    }  # fmt: skip


def test_a_year_later_everyone_is_a_year_older(cast):
    people_2025(cast)
    later = registry.build("membership", cast.commune, periods.at(date(2026, 12, 31)))
    # Giang turns 31 on 31/12/2026; An 41, Em 51, Cường 66, Bích 36, Dung 26.
    assert counts(later.table("age")) == {
        "Đến 30 tuổi": 1, "Từ 31 đến 40 tuổi": 2, "Từ 41 đến 50 tuổi": 1,
        "Từ 51 đến 60 tuổi": 1, "Từ 61 đến 70 tuổi": 1, "Trên 70 tuổi": 0,
    }  # fmt: skip


def test_it_groups_education_qualification_and_theory(report):
    assert counts(report.table("education")) == {
        "Tiểu học": 0, "Trung học cơ sở": 1, "Trung học phổ thông": 2, "Chưa ghi": 3,
    }  # fmt: skip
    qualification = counts(report.table("qualification"))
    assert qualification["Chưa qua đào tạo"] == 3
    assert qualification["Đại học"] == 2
    assert qualification["Thạc sĩ"] == 1
    assert sum(qualification.values()) == 6
    theory = counts(report.table("political_theory"))
    assert theory == {
        "Chưa qua đào tạo": 3, "Sơ cấp": 1, "Trung cấp": 1, "Cao cấp": 1, "Cử nhân": 0,
    }  # fmt: skip


def test_it_lists_each_of_the_54_ethnic_groups_and_each_religion(report):
    ethnicity = report.table("ethnicity")
    assert len(ethnicity.rows) == 55  # 54 groups and "Khác"
    found = {k: v for k, v in counts(ethnicity).items() if v}
    assert found == {"Kinh": 3, "Tày": 2, "Nùng": 1}
    assert ethnicity.totals["count"] == 6
    assert {k: v for k, v in counts(report.table("religion")).items() if v} == {
        "Không": 4, "Phật giáo": 1, "Công giáo": 1,
    }  # fmt: skip


def test_it_leaves_out_other_communes(cast):
    people_2025(cast)
    sibling = registry.build("membership", cast.sibling_commune, periods.at(date(2025, 12, 31)))
    assert sibling.table("members").rows[0]["count"] == 1  # Khánh only
    province = registry.build("membership", cast.province, periods.at(date(2025, 12, 31)))
    assert province.table("members").rows[0]["count"] == 7
    assert {row["key"]: row["count"] for row in province.table("organizations").rows}[
        "commune"
    ] == 2


def test_it_refuses_a_date_when_the_organization_did_not_exist(cast):
    with pytest.raises(heading.NotInTree):
        registry.build("membership", cast.commune, periods.at(date(2020, 12, 31)))


def test_a_readmitted_member_is_probationary_again_until_confirmed_again(cast):
    from tochuc.members.services import member_confirm, member_exit, member_readmit
    from tochuc.organizations.models import Kind
    from tochuc.testing import found, register

    old = date(2000, 1, 1)
    district = found("T01.H09", "Đảng bộ huyện Bình Gia", Kind.DISTRICT, cast.province, on=old)
    cell = found("T01.H09.C1", "Chi bộ thôn Bản Chu", Kind.BASE_CELL, district, on=old)
    member = register(cell, "Lê Văn Tái")  # admitted 19/05/2010, full from 03/06/2011
    member_exit(member=member, type="resigned", on=date(2018, 1, 10))
    member_readmit(member=member, organization=cell, decided_on=date(2022, 3, 1),
                   ceremony_on=date(2022, 3, 15), consent="Văn bản 12-CV/TU")  # fmt: skip
    member_confirm(member=member, on=date(2023, 3, 15))

    def status(on):
        rows = registry.build("membership", cell, periods.at(on)).table("members").rows
        return {row["key"]: row["count"] for row in rows if row["key"] in ("total", "full")}

    assert status(date(2010, 12, 31)) == {"total": 1, "full": 0}
    assert status(date(2015, 12, 31)) == {"total": 1, "full": 1}
    assert status(date(2019, 12, 31)) == {"total": 0, "full": 0}
    assert status(date(2022, 12, 31)) == {"total": 1, "full": 0}
    assert status(date(2023, 12, 31)) == {"total": 1, "full": 1}
