"""The badge rules over the dated policy: occasions, milestones counted from party age with
its gaps (the members' one rule), the early windows and the cash gift in whole đồng."""

from datetime import date
from decimal import Decimal

import pytest

from tochuc.awards import rules
from tochuc.awards.models import Early
from tochuc.members.models import MemberEvent
from tochuc.policy.models import PolicyVersion
from tochuc.policy.rules import policy_for

T = MemberEvent.Type
pytestmark = pytest.mark.django_db


def test_badges_are_awarded_on_four_anniversaries_a_year():
    assert rules.occasions_of_year(2027) == [
        date(2027, 2, 3),
        date(2027, 5, 19),
        date(2027, 9, 2),
        date(2027, 11, 7),
    ]
    assert rules.next_occasion(date(2026, 12, 6)) == date(2027, 2, 3)
    assert rules.next_occasion(date(2027, 2, 3)) == date(2027, 5, 19)
    assert rules.previous_occasion(date(2027, 2, 3)) == date(2026, 11, 7)
    assert rules.is_occasion(date(2026, 9, 2)) and not rules.is_occasion(date(2026, 9, 3))


def _event(type_, on, pk):
    return MemberEvent(type=type_, on=on, pk=pk)


def test_the_years_without_party_activity_put_the_milestone_off():
    straight = [_event(T.ADMITTED, date(1996, 1, 10), 1)]
    with_gap = [
        *straight,
        _event(T.REMOVED, date(2000, 1, 10), 2),
        _event(T.READMITTED, date(2003, 7, 10), 3),
    ]
    occasion = date(2026, 2, 3)
    assert rules.milestone_by(rules.member_anchor(straight, occasion), occasion) == 30
    anchor = rules.member_anchor(with_gap, occasion)
    assert anchor == date(1999, 7, 10)  # 3 years 6 months out
    assert rules.milestone_by(anchor, occasion) is None
    assert rules.reached_on(anchor, 30) == date(2029, 7, 10)


def test_the_highest_milestone_reached_above_those_held_is_the_one_due():
    anchor = date(1976, 3, 1)  # 50 years on 1/3/2026
    assert rules.milestone_by(anchor, date(2026, 5, 19)) == 50
    assert rules.milestone_by(anchor, date(2026, 5, 19), held=50) is None
    assert rules.milestone_by(anchor, date(2026, 2, 3), held=40) == 45


def test_serious_illness_may_come_24_months_early_from_70_years_and_posthumous_12():
    policy = policy_for(date(2026, 6, 1))
    assert rules.early_months(Early.ILLNESS, 60, policy) == 12
    assert rules.early_months(Early.ILLNESS, 70, policy) == 24
    assert rules.early_months(Early.POSTHUMOUS, 70, policy) == 12
    assert "Huy hiệu Đảng" in policy.badge_source


def test_the_gift_is_a_multiple_of_the_base_salary_in_force_on_the_date():
    before = rules.gift_for(30, date(2023, 5, 19))
    assert (before.multiple, before.base_salary, before.amount) == (
        Decimal("1.5"),
        1_490_000,
        2_235_000,
    )
    assert rules.gift_for(30, date(2024, 7, 1)).amount == 3_510_000
    assert rules.gift_for(50, date(2026, 9, 2)).amount == 7_020_000
    assert rules.gift_for(90, date(2026, 9, 2)).amount == 35_100_000  # 15 × 2.340.000
    assert isinstance(rules.gift_for(45, date(2026, 9, 2)).amount, int)


def test_an_administrator_adds_the_next_base_salary_as_a_dated_change():
    PolicyVersion.objects.create(
        effective_from=date(2026, 7, 1),
        source="Nghị định 161/2026/NĐ-CP (giả định)",
        params={"base_salary_steps": [["2024-07-01", 2_340_000], ["2026-07-01", 2_530_000]]},
    )
    assert rules.base_salary_on(date(2026, 6, 30))[0] == 2_340_000
    assert rules.gift_for(30, date(2026, 8, 25)).amount == 3_795_000


def test_the_gift_multiples_are_those_of_huong_dan_56_hd_vptw():
    policy = policy_for(date(2026, 9, 2))
    assert "56-HD/VPTW" in policy.badge_gift_source
    multiples = {years: str(m) for years, m in policy.badge_gift_multiples}
    assert [multiples[y] for y in (30, 40, 50, 55, 60, 65, 70, 75, 80)] == [
        "1.5", "2", "3", "3.5", "5", "6", "8", "10", "15",
    ]  # fmt: skip
    assert rules.gift_for(70, date(2025, 2, 3)).amount == 18_720_000  # 8 × 2.340.000
