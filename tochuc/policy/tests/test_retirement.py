"""The retirement age by birth date: Bộ luật Lao động 2019, Điều 169, with the schedule of
Nghị định 135/2020/NĐ-CP (its appendices give these same months)."""

from datetime import date

import pytest

from tochuc.policy.retirement import age_reached_on, required_months, retires_on
from tochuc.policy.rules import BUILT_IN

POLICY = BUILT_IN[-1]


@pytest.mark.parametrize(
    ("born", "gender", "reached", "retires"),
    [
        (date(1961, 1, 15), "male", date(2021, 4, 15), date(2021, 5, 1)),  # 60y3m in 2021
        (date(1961, 10, 1), "male", date(2022, 4, 1), date(2022, 5, 1)),  # 60y6m in 2022
        (date(1966, 5, 1), "male", date(2028, 5, 1), date(2028, 6, 1)),  # 62 from 2028
        (date(1966, 1, 10), "female", date(2021, 5, 10), date(2021, 6, 1)),  # 55y4m in 2021
        (date(1975, 6, 1), "female", date(2035, 6, 1), date(2035, 7, 1)),  # 60 from 2035
        (date(1959, 3, 1), "male", date(2019, 3, 1), date(2019, 4, 1)),  # 60 before 2021
    ],
)
def test_the_retirement_age_follows_the_schedule(born, gender, reached, retires):
    assert age_reached_on(born, gender, POLICY) == reached
    assert retires_on(born, gender, POLICY) == retires


def test_the_age_rises_by_three_months_for_men_and_four_for_women_each_year():
    assert [required_months(y, "male", POLICY) for y in (2020, 2021, 2022, 2028, 2030)] == [
        720, 723, 726, 744, 744,
    ]  # fmt: skip
    assert [required_months(y, "female", POLICY) for y in (2021, 2022, 2035, 2040)] == [
        664, 668, 720, 720,
    ]  # fmt: skip
