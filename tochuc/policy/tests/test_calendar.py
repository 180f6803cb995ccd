from datetime import date

import pytest

from tochuc.policy.calendar import (
    add_working_days,
    holiday_name,
    is_working_day,
    working_days_between,
)
from tochuc.policy.models import WorkingDayOverride

pytestmark = pytest.mark.django_db


def test_weekends_are_not_working_days():
    assert is_working_day(date(2026, 11, 20))  # Friday
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 11, 22))  # Sunday


def test_tet_2026_is_five_days_off():
    tet = [date(2026, 2, d) for d in range(16, 21)]
    assert [is_working_day(day) for day in tet] == [False] * 5
    assert holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"


def test_a_deadline_counted_across_tet_skips_the_holiday_week():
    # Friday 13/02/2026 + 5 working days: 16–20/02 are Tết, so Mon 23 … Fri 27/02.
    assert add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5


def test_a_saturday_the_government_made_a_working_day_counts():
    assert is_working_day(date(2025, 4, 26))
    assert not is_working_day(date(2025, 5, 2))


def test_zero_working_days_is_the_start_itself():
    assert add_working_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 1)) == 0


def test_an_administrator_override_moves_the_deadline():
    start = date(2026, 12, 28)  # Monday
    assert add_working_days(start, 3) == date(2026, 12, 31)
    WorkingDayOverride.objects.create(
        day=date(2026, 12, 30), is_working_day=False, reason="Nghỉ bù"
    )
    assert add_working_days(start, 3) == date(2027, 1, 4)  # 1/1 is New Year's Day
    WorkingDayOverride.objects.create(day=date(2027, 1, 2), is_working_day=True, reason="Làm bù")
    assert add_working_days(start, 3) == date(2027, 1, 2)
