"""What each member owes for a month: the roll from the timeline, the category and basis in
force, the rules of the month (342-QĐ/TW, then 01-QĐ/TW), exemptions and reductions."""

from datetime import date

import pytest

from tochuc.dues import rolls, services
from tochuc.policy.dues import dues_policy_for

from .conftest import NOVEMBER, TODAY

pytestmark = pytest.mark.django_db


def test_the_roll_is_who_was_in_the_cell_at_the_months_end(cast, people):
    roll = rolls.cell_roll(organization=cast.cell, month=NOVEMBER)
    assert [line.member.full_name for line in roll] == ["Hoàng Văn An", "Lục Thị Bình"]
    village = rolls.cell_roll(organization=cast.village_cell, month=NOVEMBER)
    assert [line.member.full_name for line in village] == ["Nông Văn Cường", "Vi Văn Dũng"]
    # Before the cells were founded (1/7/2025) nobody was on their rolls.
    assert rolls.cell_roll(organization=cast.cell, month=date(2025, 6, 1)) == []


def test_amounts_follow_category_basis_and_the_rule_of_the_month(cast, people):
    roll = {line.member.full_name: line.due for line in
            rolls.cell_roll(organization=cast.cell, month=NOVEMBER)}  # fmt: skip
    assert roll["Hoàng Văn An"].amount == 80_000  # 1% of 8.000.000
    assert roll["Lục Thị Bình"].amount == 25_000  # 0,5% of 5.000.000
    village = {line.member.full_name: line.due for line in
               rolls.cell_roll(organization=cast.village_cell, month=NOVEMBER)}  # fmt: skip
    assert village["Nông Văn Cường"].amount == 5_000
    assert village["Vi Văn Dũng"].amount == 0  # 58 years of party age
    assert village["Vi Văn Dũng"].relief == "Tuổi đảng từ 50 năm"
    assert village["Vi Văn Dũng"].declared is False


def test_the_rules_change_with_01_qd_tw_from_march_2026():
    assert "342-QĐ/TW" in dues_policy_for(date(2026, 2, 1)).source
    assert "01-QĐ/TW" in dues_policy_for(date(2026, 3, 1)).source
    assert dues_policy_for(date(2026, 2, 1)).student_amount == 3_000
    assert dues_policy_for(date(2026, 3, 1)).student_amount == 5_000


def test_salaries_round_to_the_thousand_half_up():
    policy = dues_policy_for(NOVEMBER)
    assert rolls.amount_for(policy, "salary", 6_450_000) == 65_000  # 64.500 → 65.000
    assert rolls.amount_for(policy, "salary", 6_449_000) == 64_000
    assert rolls.amount_for(policy, "pension", 4_190_000) == 21_000  # 20.950


def test_a_reduction_and_an_exemption_cover_their_months(cast, people, users):
    services.dues_relief_grant(
        member=people.teacher, kind="reduction", percent=50, first_month=date(2026, 10, 1),
        last_month=date(2027, 3, 1), ground="illness", decision_no="12-QĐ/ĐU",
        decided_on=date(2026, 9, 28), by=users.commune_officer, today=TODAY,
    )  # fmt: skip
    services.dues_relief_grant(
        member=people.farmer, kind="exemption", first_month=date(2026, 11, 1), last_month=None,
        ground="disaster", decision_no="13-QĐ/ĐU", decided_on=date(2026, 11, 2),
        by=users.commune_officer, today=TODAY,
    )  # fmt: skip
    pairs = [(people.teacher.pk, date(2026, 9, 1)), (people.teacher.pk, NOVEMBER),
             (people.farmer.pk, NOVEMBER)]  # fmt: skip
    dues = rolls.dues_of(pairs=pairs)
    assert dues.of(people.teacher.pk, date(2026, 9, 1)).amount == 80_000
    assert dues.of(people.teacher.pk, NOVEMBER).amount == 40_000
    assert dues.of(people.farmer.pk, NOVEMBER).amount == 0


def test_a_reduction_is_refused_beyond_the_rules(people, users):
    def grant(**values):
        services.dues_relief_grant(
            member=people.teacher, kind="reduction", ground="illness", decision_no="1-QĐ",
            decided_on=date(2026, 1, 5), by=users.commune_officer, today=TODAY, **values,
        )  # fmt: skip

    with pytest.raises(Exception, match="30%, 50%, 70%"):
        grant(percent=40, first_month=date(2026, 1, 1), last_month=date(2026, 3, 1))
    with pytest.raises(Exception, match="tối đa 12 tháng"):
        grant(percent=30, first_month=date(2026, 1, 1), last_month=date(2027, 1, 1))
    grant(percent=30, first_month=date(2026, 1, 1), last_month=date(2026, 12, 1))
    with pytest.raises(Exception, match="Trùng thời gian"):
        grant(percent=70, first_month=date(2026, 6, 1), last_month=date(2026, 7, 1))
