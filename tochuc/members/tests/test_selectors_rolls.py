"""One roll rule for a cell (`members.selectors`): the roll on a day, the roll of a month
(its last day) and the rolls of several months in one read give the same members; the
register form (official activity) that dues collect from keeps those away in temporary
activity and those exempted from activity."""

from datetime import date

import pytest

from tochuc.dues import rolls as dues_rolls
from tochuc.members.selectors import month_end, roll_on, rolls_by_month
from tochuc.members.services import member_exempt
from tochuc.testing import register
from tochuc.transfers.services.temporary import temporary_transfer_issue

pytestmark = pytest.mark.django_db

MONTHS = [date(2026, m, 1) for m in range(1, 7)]


@pytest.fixture
def village(cast):
    return [
        register(cast.village_cell, name)
        for name in ("Nông Thị Bích", "Hà Văn Cường", "Lương Văn Đức")
    ]


@pytest.fixture
def away(cast, village):
    """Bích exempted from activity from 1/2; Cường in temporary activity at the school's
    cell from 10/3 to 10/6."""
    bich, cuong, _duc = village
    member_exempt(member=bich, on=date(2026, 2, 1), decision_no="01-NQ/CB", grounds="Tuổi cao")
    temporary_transfer_issue(
        member=cuong, on=date(2026, 3, 10), ends_on=date(2026, 6, 10), purpose="work",
        host=cast.cell,
    )  # fmt: skip
    return village


def ids(entries):
    return sorted(e.member.pk for e in entries)


def test_the_roll_of_a_month_is_the_roll_on_its_last_day(cast, away):
    for month in MONTHS:
        assert ids(roll_on(organization=cast.village_cell, month=month)) == ids(
            roll_on(organization=cast.village_cell, on=month_end(month))
        )


def test_the_rolls_of_six_months_in_one_read_are_the_rolls_of_each_month(cast, away):
    for cell in (cast.village_cell, cast.cell):
        by_month = rolls_by_month(organization=cell, months=MONTHS)
        for month in MONTHS:
            assert sorted(by_month[month]) == ids(roll_on(organization=cell, month=month))


def test_the_activity_roll_leaves_out_the_exempted_and_those_away(cast, away):
    bich, cuong, duc = away
    by_month = rolls_by_month(organization=cast.village_cell, months=MONTHS)
    assert sorted(by_month[date(2026, 1, 1)]) == sorted([bich.pk, cuong.pk, duc.pk])
    assert sorted(by_month[date(2026, 2, 1)]) == sorted([cuong.pk, duc.pk])
    assert by_month[date(2026, 3, 1)] == [duc.pk]  # Cường at the school until 10/6
    assert by_month[date(2026, 5, 1)] == [duc.pk]
    assert sorted(by_month[date(2026, 6, 1)]) == sorted([cuong.pk, duc.pk])
    school = rolls_by_month(organization=cast.cell, months=MONTHS)
    assert cuong.pk in school[date(2026, 4, 1)] and cuong.pk not in school[date(2026, 6, 1)]


def test_the_register_dues_collect_from_keeps_the_exempted_and_those_away(cast, away):
    bich, cuong, duc = away
    everyone = sorted([bich.pk, cuong.pk, duc.pk])
    register_rolls = rolls_by_month(organization=cast.village_cell, months=MONTHS, official=True)
    assert all(sorted(register_rolls[month]) == everyone for month in MONTHS)
    # The dues roll is that register, month by month: one rule, not a copy of it.
    assert dues_rolls.roll_by_month(organization=cast.village_cell, months=MONTHS) == (
        register_rolls
    )
    assert (
        cuong.pk
        not in dues_rolls.roll_by_month(organization=cast.cell, months=MONTHS)[date(2026, 4, 1)]
    )


def test_without_anyone_away_the_dues_roll_is_the_activity_roll(cast, village):
    activity = rolls_by_month(organization=cast.village_cell, months=MONTHS)
    assert dues_rolls.roll_by_month(organization=cast.village_cell, months=MONTHS) == activity
    assert sorted(activity[date(2026, 6, 1)]) == sorted(m.pk for m in village)
