"""The rules of rating as dated policy: the bands (exact at the thresholds), the cap on
"xuất sắc", the criteria sheets, and an administrator's change."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from tochuc.policy.models import PolicyVersion
from tochuc.policy.rules import BUILT_IN, policy_for
from tochuc.ratings.models import Level
from tochuc.ratings.services import excellent_allowed, level_for

POLICY = BUILT_IN[-1]  # the defaults in force in 2025 (no administrator change)


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0", Level.NOT_DONE), ("49.99", Level.NOT_DONE), ("50", Level.DONE),
        ("50.00", Level.DONE), ("69.99", Level.DONE), ("70", Level.GOOD),
        ("89.99", Level.GOOD), ("90", Level.EXCELLENT), ("90.00", Level.EXCELLENT),
        ("100", Level.EXCELLENT),
    ],
)  # fmt: skip
def test_a_score_falls_in_its_band_exactly_at_the_thresholds(score, level):
    assert level_for(Decimal(score), POLICY) == level


@pytest.mark.parametrize(
    ("good", "allowed"),
    [(0, 0), (1, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3), (25, 5), (29, 5)],
)
def test_excellent_is_capped_at_a_fifth_of_those_rated_good_rounded_down(good, allowed):
    assert excellent_allowed(good, POLICY) == allowed


def test_the_default_criteria_sheets_sum_to_a_hundred_points():
    assert sum(points for _label, points in POLICY.rating_member_criteria) == 100
    assert sum(points for _label, points in POLICY.rating_organization_criteria) == 100


def test_the_rules_name_their_sources():
    assert "366-QĐ/TW" in POLICY.rating_source
    assert "124-QĐ/TW" in POLICY.rating_source and "132-QĐ/TW" in POLICY.rating_source
    assert "96-QĐ/TW" in POLICY.confidence_source
    # The same four bands apply to the earlier years (132-QĐ/TW, 2018).
    assert BUILT_IN[-2].rating_excellent_from == Decimal("90")


@pytest.mark.django_db
def test_an_administrator_may_change_the_cap_and_the_bands_from_a_date():
    PolicyVersion.objects.create(
        effective_from=date(2026, 1, 1), source="Thử nghiệm",
        params={"rating_excellent_cap": "3/10", "rating_good_from": "75"},
    )  # fmt: skip
    changed = policy_for(date(2026, 12, 31))
    assert changed.rating_excellent_cap == Fraction(3, 10)
    assert level_for(Decimal("74.99"), changed) == Level.DONE
    assert excellent_allowed(10, changed) == 3
    # The past keeps the rules then in force.
    assert excellent_allowed(10, policy_for(date(2025, 12, 31))) == 2
