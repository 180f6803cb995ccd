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


def planning_failures(cadre, position, term_start: int, policy: Policy) -> list[str]:
    """Why `cadre` does not meet the criteria of planning for `position` in the term
    beginning in `term_start` (empty: meets them)."""
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
    return failures
