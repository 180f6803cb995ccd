"""The badge rules over the dated policy (`policy.rules.Policy`, `badge_*`, `base_salary_*`):
the occasions, the milestone a member reaches by an occasion, how early an illness or a
posthumous award may come, and the cash gift. Party age is the members' one rule
(`members.party_age`); nothing here counts years of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tochuc.lib.dates import add_months
from tochuc.members import party_age
from tochuc.policy.rules import Policy, policy_for

from .models import Early


def occasions_of_year(year: int, policy: Policy | None = None) -> list[date]:
    policy = policy or policy_for(date(year, 1, 1))
    return sorted(date(year, month, day) for month, day in policy.badge_occasions)


def next_occasion(after: date) -> date:
    """The first occasion strictly after `after` (the list is drawn up before it)."""
    for year in (after.year, after.year + 1):
        for day in occasions_of_year(year):
            if day > after:
                return day
    raise ValueError("no occasion within two years")  # pragma: no cover: four a year


def previous_occasion(before: date) -> date:
    for year in (before.year, before.year - 1):
        for day in reversed(occasions_of_year(year)):
            if day < before:
                return day
    raise ValueError("no occasion within two years")  # pragma: no cover


def is_occasion(day: date) -> bool:
    return day in occasions_of_year(day.year)


def reached_on(anchor: date, milestone: int) -> date:
    """The day party age (counted from `anchor`) reaches `milestone` full years."""
    return add_months(anchor, 12 * milestone)


def milestone_by(
    anchor: date | None, on: date, held: int = 0, policy: Policy | None = None
) -> int | None:
    """The highest milestone reached by `on` from `anchor`, above the highest `held`
    (`policy`: the one in force on `on`, when the caller has it already)."""
    if anchor is None:
        return None
    years = (policy or policy_for(on)).badge_years
    reached = [m for m in years if m > held and reached_on(anchor, m) <= on]
    return max(reached) if reached else None


def member_anchor(events, on: date, policies=policy_for) -> date | None:
    """Party age's anchor at `on` by the members' one rule (`policies`: a
    `policy.rules.PolicyLookup` for many members at once)."""
    return party_age.anchor(events, on, policies)


def early_months(kind: str, milestone: int, policy: Policy) -> int:
    if kind == Early.POSTHUMOUS:
        return policy.badge_posthumous_early_months
    if kind == Early.ILLNESS:
        if milestone >= policy.badge_senior_from_years:
            return policy.badge_illness_early_months_senior
        return policy.badge_illness_early_months
    return 0


def base_salary_on(on: date) -> tuple[int, str]:
    """The base salary in force on `on` (đồng/month) and its source; 0 before the table."""
    policy = policy_for(on)
    return gift_under(policy, 0, on).base_salary, policy.base_salary_source


@dataclass(frozen=True)
class Gift:
    multiple: Decimal
    base_salary: int
    amount: int  # đồng
    source: str


def gift_for(milestone: int, on: date) -> Gift:
    """The cash gift with the badge, in whole đồng: the multiple for the milestone times the
    base salary in force on `on` (Decimal arithmetic, rounded half up; never a float)."""
    return gift_under(policy_for(on), milestone, on)


def gift_under(policy: Policy, milestone: int, on: date) -> Gift:
    """`gift_for` with the policy in hand (bulk work reads it once)."""
    multiple = Decimal(dict(policy.badge_gift_multiples).get(milestone, Decimal(0)))
    base = 0
    for start, value in sorted(policy.base_salary_steps):
        if date.fromisoformat(start) <= on:
            base = value
    amount = int((multiple * base).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Gift(multiple, base, amount, policy.badge_gift_source)
