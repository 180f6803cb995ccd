"""The statutory retirement age by birth date, from the dated policy.

Bộ luật Lao động 2019, Điều 169, with the schedule of Nghị định 135/2020/NĐ-CP: from 2021 the
age rises each year (men by 3 months from 60 years 3 months to 62, women by 4 months from 55
years 4 months to 60). A person reaches the age in force in the year they reach it: born in
10/1961, a man is 60 years 3 months in 01/2022, when 60 years 6 months is required, so he
reaches it in 04/2022. Retirement is from the first day of the following month
(Nghị định 135/2020/NĐ-CP, Điều 3: the end of the last day of the month of the age).
"""

from datetime import date

from tochuc.lib.dates import add_months

from .rules import Policy


def required_months(year: int, gender: str, policy: Policy) -> int:
    """The retirement age in force in `year` for `gender` ("male", "female"), in months."""
    male = gender == "male"
    if year < policy.retirement_schedule_from_year:
        return (
            policy.retirement_before_male_months if male else policy.retirement_before_female_months
        )
    first = policy.retirement_first_male_months if male else policy.retirement_first_female_months
    step = policy.retirement_step_male_months if male else policy.retirement_step_female_months
    final = policy.retirement_final_male_months if male else policy.retirement_final_female_months
    return min(final, first + step * (year - policy.retirement_schedule_from_year))


def age_reached_on(birth_date: date, gender: str, policy: Policy) -> date:
    """The day the person reaches the retirement age in force in the year they reach it."""
    # The age required rises by months a year while the years pass by twelve: the first
    # year in which the person reaches that year's age is the year they reach it.
    year = birth_date.year + 40
    while True:
        reached = add_months(birth_date, required_months(year, gender, policy))
        if reached.year <= year:
            return reached
        year += 1


def retires_on(birth_date: date, gender: str, policy: Policy) -> date:
    """The first day of the month after the retirement age is reached."""
    reached = age_reached_on(birth_date, gender, policy)
    return add_months(reached.replace(day=1), 1)
