"""The rules of cadre work applied to one cadre: retirement, the age conditions of an
appointment, the criteria of a planning list — each from the dated policy (policy/rules.py,
policy/retirement.py), each failure a Vietnamese sentence naming its source."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from tochuc.lib.dates import add_months, full_months, vn_date
from tochuc.lib.reference import PoliticalTheory
from tochuc.policy.retirement import retires_on
from tochuc.policy.rules import Policy, policy_for

from .models import THEORY_RANK


def retirement_of(cadre, policy: Policy | None = None) -> date:
    """The day the cadre retires (the first day of the month after the statutory age)."""
    from django.utils import timezone

    return retires_on(cadre.birth_date, cadre.gender, policy or policy_for(timezone.localdate()))


def term_starts_on(term_start: int) -> date:
    """A planning term 2025–2030 is counted from 1/1/2025."""
    return date(term_start, 1, 1)


def appointment_term_end(*, cadre, kind: str, starts_on: date, policy: Policy) -> date:
    """The end of the term of an appointment starting on `starts_on`, or a refusal.

    The term is `appointment_term_months`; a first appointment needs the whole term before
    retirement; a re-appointment at least `reappointment_min_service_months` (then its term
    ends at retirement)."""
    from django.core.exceptions import ValidationError

    retires = retirement_of(cadre, policy)
    left = full_months(starts_on, retires)
    term = policy.appointment_term_months
    if kind == "first" and left < policy.appointment_first_min_service_months:
        raise ValidationError({"starts_on": _(
            "%(name)s nghỉ hưu từ %(retires)s, chỉ còn %(left)s tháng công tác: bổ nhiệm lần "
            "đầu cần đủ %(months)s tháng để công tác trọn thời hạn (%(source)s)."
        ) % {"name": cadre.full_name, "retires": vn_date(retires), "left": max(left, 0),
             "months": policy.appointment_first_min_service_months,
             "source": policy.appointment_source}})  # fmt: skip
    if kind == "again" and left < policy.reappointment_min_service_months:
        raise ValidationError({"starts_on": _(
            "%(name)s nghỉ hưu từ %(retires)s, còn dưới %(months)s tháng công tác: không bổ "
            "nhiệm lại mà xem xét kéo dài thời gian giữ chức vụ đến khi nghỉ hưu (%(source)s)."
        ) % {"name": cadre.full_name, "retires": vn_date(retires),
             "months": policy.reappointment_min_service_months,
             "source": policy.appointment_source}})  # fmt: skip
    return min(add_months(starts_on, term), retires)


def rating_years(on: date, policy: Policy) -> list[int]:
    """The years whose rating the planning criterion looks at, on `on`: the last
    `planning_rating_years` before the year of `on`, latest first."""
    return [on.year - n for n in range(1, policy.planning_rating_years + 1)]


def rating_levels(cadres, on: date, policy: Policy) -> dict[int, dict[int, str]]:
    """member id → {year: level} for the cadres linked to a member, over the years the
    criterion looks at (one query for all)."""
    from tochuc.ratings.selectors import yearly_levels

    members = {c.member_id for c in cadres if c.member_id}
    if not members:
        return {}
    return yearly_levels(member_ids=members, years=rating_years(on, policy))


def rating_failure(cadre, on: date, policy: Policy, levels: dict[int, str]) -> str | None:
    """Why the cadre fails the rating criterion on `on` (None: meets it, or is not a member,
    whom the ratings app does not rate): a year rated below the policy's level."""
    from tochuc.ratings.models import LEVEL_ORDER, Level

    if cadre.member_id is None:
        return None
    needed = LEVEL_ORDER.index(policy.planning_rating_min_level)
    low = [
        (year, levels[year])
        for year in rating_years(on, policy)
        if year in levels and LEVEL_ORDER.index(levels[year]) > needed
    ]
    if not low:
        return None
    return _(
        "Xếp loại chất lượng dưới mức “%(needed)s” trong %(n)s năm gần nhất: %(years)s "
        "(%(source)s)."
    ) % {
        "needed": Level(policy.planning_rating_min_level).label.lower(),
        "n": policy.planning_rating_years,
        "years": "; ".join(f"{year} — {Level(level).label.lower()}" for year, level in sorted(low)),
        "source": policy.planning_rating_source,
    }


def unrated_years(cadre, on: date, policy: Policy, levels: dict[int, str]) -> list[int]:
    """The years the criterion looks at in which the member has no decided rating in the
    system (shown beside the criteria, not counted as a failure)."""
    if cadre.member_id is None:
        return []
    return sorted(y for y in rating_years(on, policy) if y not in levels)


def planning_failures(
    cadre, position, term_start: int, policy: Policy, *, on: date, levels=None
) -> list[str]:
    """Why `cadre` does not meet the criteria of planning for `position` in the term
    beginning in `term_start`, checked on `on` (empty: meets them). `levels`: the member's
    ratings by year (`rating_levels`), read here when not given."""
    failures = []
    start = term_starts_on(term_start)
    retires = retirement_of(cadre, policy)
    if full_months(start, retires) < policy.planning_min_service_months:
        failures.append(_(
            "Không đủ tuổi: nghỉ hưu từ %(retires)s, không công tác đủ %(months)s tháng tính từ "
            "đầu nhiệm kỳ %(start)s (%(source)s)."
        ) % {"retires": vn_date(retires), "months": policy.planning_min_service_months,
             "start": vn_date(start), "source": policy.planning_source})  # fmt: skip
    needed = position.min_theory
    if needed and THEORY_RANK.get(cadre.political_theory, 0) < THEORY_RANK[needed]:
        failures.append(
            _("Chưa đạt trình độ lý luận chính trị %(needed)s (hiện: %(has)s).")
            % {
                "needed": PoliticalTheory(needed).label.lower(),
                "has": PoliticalTheory(cadre.political_theory or "").label.lower(),
            }
        )
    if levels is None:
        levels = rating_levels([cadre], on, policy).get(cadre.member_id, {})
    rated = rating_failure(cadre, on, policy, levels)
    if rated:
        failures.append(rated)
    return failures
