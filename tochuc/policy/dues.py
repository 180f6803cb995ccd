"""The dues rules (chế độ đảng phí) as dated policy: what a member pays each month, who is
exempt, how far a reduction goes, and how the money is shared up the tree.

Two built-in versions: Quyết định 342-QĐ/TW (28/12/2010) and Quy định 01-QĐ/TW
(3/2/2026), which replaced it (DESIGN §4, §7). The dues of a month follow the version in
force on the first day of that month, so February 2026 is still owed under 342 and March
2026 under 01. The fixed amounts and the shares are the system's defaults, marked as
such: an administrator who reads a different figure in the document changes it here, with
the date and the source; the past keeps the rules then in force.

Money is integer đồng; rates and shares are `Fraction`s; no float is ever involved.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import InvalidOperation
from fractions import Fraction
from typing import get_type_hints

from django.core.exceptions import ValidationError

from .rules import DUES_PREFIX, coerce_parameter, parameter_shape


@dataclass(frozen=True)
class DuesPolicy:
    effective_from: date
    source: str
    # What a member pays a month, by category (dues.models.Category): a share of the
    # social-insurance salary of the previous month, a share of the pension, or a fixed
    # amount.
    salary_rate: Fraction = Fraction(1, 100)
    pension_rate: Fraction = Fraction(1, 200)
    student_amount: int = 3_000
    other_amount: int = 5_000
    # Amounts computed from a salary or a pension are rounded to this many đồng (half up).
    rounding: int = 1_000
    # Exempt from dues at this party age (full years, party_age.py), on request.
    exempt_party_age_years: int = 50
    # Reductions for hardship: the percentages allowed, for at most so many months.
    reduction_percents: tuple[int, ...] = (30, 50, 70)
    reduction_max_months: int = 12
    # A member may pay so many months ahead (đóng trước).
    advance_max_months: int = 12
    # So many months without paying in a year, without a good reason: a ground for removal
    # (xóa tên, Điều lệ Đảng art. 8; the screening list).
    removal_unpaid_months: int = 3
    # The share of the dues passing through an organization that it keeps (the rest goes to
    # the level above), by kind (organizations.models.Kind). A grassroots organization of a
    # locality (commune, ward, village, residential group) keeps more than one of an agency
    # or an enterprise. The province's remittance goes to the Central Committee.
    retained_cell: Fraction = Fraction(3, 10)
    retained_sub_committee: Fraction = Fraction(0)
    retained_grassroots: Fraction = Fraction(7, 10)
    retained_grassroots_local: Fraction = Fraction(9, 10)
    retained_above_grassroots: Fraction = Fraction(1, 2)

    def rounded(self, amount: Fraction | int) -> int:
        """`amount` to the nearest `rounding` đồng, half up; integer arithmetic only."""
        step = self.rounding
        return int((Fraction(amount) / step + Fraction(1, 2)).__floor__()) * step


# Read 2026-12-06 (docs/dang-phi.md, "Căn cứ đã đối chiếu"): under 01-QĐ/TW, 1% of the
# social-insurance salary of the month before, 0,5% of the pension, 5.000 đ a month for a
# student, exempt from 50 years of party age, reductions of 30/50/70% for at most 12 months
# at a time, three months unpaid in a year without good reason: proposed for removal
# (dantri.com.vn, vietnamnet.vn, thanhnien.vn, thuvienphapluat.vn, 6–8/2/2026). Under 342:
# 1% of the salary, 0,5% of the pension (phapluat24h.org); the fixed amounts of the other
# members were set by area by Hướng dẫn 03-HD/VPTW (4.000–10.000 đ, half outside working
# age). Not confirmed: the students' amount under 342, the retained shares of both, the day
# each came into force (a secondary source gives 1/4/2011 for 342 and 1/2/2026 for 01).
SOURCE_342 = (
    "Quyết định 342-QĐ/TW (28/12/2010) của Bộ Chính trị về chế độ đảng phí; Hướng dẫn "
    "03-HD/VPTW; số tiền cố định và tỷ lệ trích giữ lại: mặc định của hệ thống"
)
SOURCE_01 = (
    "Quy định 01-QĐ/TW (3/2/2026) của Bộ Chính trị về chế độ đảng phí (1% tiền lương đóng "
    "BHXH tháng trước, 0,5% lương hưu, học sinh, sinh viên 5.000 đ/tháng; miễn từ 50 năm "
    "tuổi đảng; giảm 30/50/70% tối đa 12 tháng); tỷ lệ trích giữ lại: mặc định của hệ thống"
)

BUILT_IN: tuple[DuesPolicy, ...] = (
    DuesPolicy(date(2011, 1, 1), SOURCE_342),
    DuesPolicy(date(2026, 2, 3), SOURCE_01, student_amount=5_000),
)
_TYPES = get_type_hints(DuesPolicy)
PARAMETERS = {
    DUES_PREFIX + f.name: _TYPES[f.name]
    for f in fields(DuesPolicy)
    if f.name not in ("effective_from", "source")
}


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def validate_dues_params(params: dict) -> dict:
    """The "dues_…" parameters of an administrator's change, as the policy's types (the
    others are `rules.validate_params`')."""
    mine = {k: v for k, v in params.items() if k.startswith(DUES_PREFIX)}
    unknown = sorted(set(mine) - set(PARAMETERS))
    if unknown:
        raise ValidationError({"params": f"Tham số không có: {', '.join(unknown)}."})
    coerced, errors = {}, []
    for name, value in mine.items():
        try:
            coerced[name.removeprefix(DUES_PREFIX)] = coerce_parameter(PARAMETERS[name], value)
        except (TypeError, ValueError, ZeroDivisionError, InvalidOperation):
            errors.append(f"“{name}” = {value!r}: {parameter_shape(PARAMETERS[name])}.")
    if errors:
        raise ValidationError({"params": ["Giá trị tham số không hợp lệ:", *errors]})
    return coerced


class DuesPolicyLookup:
    """`dues_policy_for` on many months with one query (the administrator's changes read
    once): for loops over rolls, ledgers and the demo."""

    def __init__(self):
        from .models import PolicyVersion

        self.changes = [
            (change.effective_from, change.source, validate_dues_params(change.params))
            for change in PolicyVersion.objects.order_by("effective_from", "id")
            if any(k.startswith(DUES_PREFIX) for k in change.params)
        ]
        self.found: dict[date, DuesPolicy] = {}

    def __call__(self, month: date) -> DuesPolicy:
        first = first_of_month(month)
        if first not in self.found:
            self.found[first] = self._compute(first)
        return self.found[first]

    def _compute(self, first: date) -> DuesPolicy:
        in_force = [p for p in BUILT_IN if p.effective_from <= first]
        policy = in_force[-1] if in_force else BUILT_IN[0]
        for effective_from, source, params in self.changes:
            if policy.effective_from <= effective_from <= first:
                policy = replace(policy, effective_from=effective_from, source=source, **params)
        return policy


def dues_policy_for(month: date) -> DuesPolicy:
    """The rules for the dues of `month` (any day of it): those in force on its first day,
    with the administrator's changes in force then. Before the first version, its numbers."""
    return DuesPolicyLookup()(month)
