"""The roll of a cell for a month and what each member on it owes (reads).

The roll is derived from the timeline, never typed: the members in official activity in the
cell on the month's last day (members' `Affiliation`s; a member in transfer stays on the
source's roll until the arrival). What a member owes for a month comes from the dues
policy in force that month (policy/dues.py), the member's category and basis in force that
month, the exemption at 50 years of party age (members/party_age.py, at the month's first
day) and any exemption or reduction covering the month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext as _

from tochuc.lib.dates import add_months, full_months
from tochuc.members import party_age
from tochuc.members.models import Member, MemberEvent
from tochuc.members.selectors import month_end as month_end  # the one definition
from tochuc.members.selectors import rolls_by_month
from tochuc.organizations.models import Organization
from tochuc.policy.dues import DuesPolicy, DuesPolicyLookup, first_of_month
from tochuc.policy.rules import PolicyLookup

from .models import (
    Category,
    DuesBasis,
    DuesPayment,
    DuesRelief,
    DuesSheet,
    ReliefKind,
    SheetSource,
)


def months_of(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months, month = [], first_of_month(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def roll_by_month(*, organization: Organization, months: list[date]) -> dict[date, list[int]]:
    """Member ids on the cell's dues roll for each month: the members' one roll rule
    (`members.selectors.rolls_by_month`) in its register form — official activity in the
    cell at the month's end, those away in temporary activity or exempted from activity
    included (they pay where their official activity is)."""
    return rolls_by_month(organization=organization, months=months, official=True)


def amount_for(policy: DuesPolicy, category: str, basis: int) -> int:
    """A month's dues before any relief, in đồng."""
    if category == Category.SALARY:
        return policy.rounded(basis * policy.salary_rate)
    if category == Category.PENSION:
        return policy.rounded(basis * policy.pension_rate)
    if category == Category.STUDENT:
        return policy.student_amount
    return policy.other_amount


@dataclass
class Due:
    """One member's dues for one month."""

    member_id: int
    month: date
    category: str
    basis: int
    full_amount: int  # before relief
    amount: int  # owed
    relief: str = ""  # why less is owed (Vietnamese), or ""
    declared: bool = True  # False: no category recorded, the fixed amount assumed
    payment: DuesPayment | None = None

    @property
    def paid(self) -> bool:
        return self.payment is not None

    @property
    def unpaid(self) -> bool:
        return self.amount > 0 and self.payment is None

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)


@dataclass
class Dues:
    """What the members of a roll owe over some months, and what they paid."""

    members: dict[int, Member]
    dues: dict[tuple[int, date], Due] = field(default_factory=dict)

    def of(self, member_id: int, month: date) -> Due | None:
        return self.dues.get((member_id, month))


def _latest(rows: list, month: date, attr: str = "valid_from"):
    found = None
    for row in rows:  # ordered by date
        if getattr(row, attr) <= month:
            found = row
    return found


def dues_of(*, pairs: Iterable[tuple[int, date]]) -> Dues:
    """The dues of each (member id, month) pair, with the payment made for it if any; in a
    few queries whatever the number of pairs."""
    pairs = sorted(set(pairs))
    ids = sorted({m for m, _ in pairs})
    members = {m.pk: m for m in Member.objects.filter(pk__in=ids)}
    bases, reliefs, events = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in DuesBasis.objects.filter(member_id__in=ids).order_by("valid_from", "id"):
        bases[row.member_id].append(row)
    for row in DuesRelief.objects.filter(member_id__in=ids).order_by("first_month", "id"):
        reliefs[row.member_id].append(row)
    months = sorted({month for _, month in pairs})
    dues_rules = DuesPolicyLookup()
    # Only a member admitted 50 years (the rule's) before a month can be exempt by party age:
    # the timeline is read for those alone.
    if months:
        years = max(dues_rules(m).exempt_party_age_years for m in (months[0], months[-1]))
        senior = [m.pk for m in members.values()
                  if m.admitted_on <= add_months(months[-1], -12 * years)]  # fmt: skip
        for event in (
            MemberEvent.objects.filter(member_id__in=senior)
            .only("member_id", "type", "on", "other_organization_id", "detail")
            .order_by("on", "id")
        ):
            events[event.member_id].append(event)
    payments = {}
    if months:
        for payment in DuesPayment.objects.filter(
            member_id__in=ids, for_month__gte=months[0], for_month__lte=months[-1]
        ).only("member_id", "for_month", "amount", "paid_on", "reference", "sheet_id"):
            payments[(payment.member_id, payment.for_month)] = payment
    rules = PolicyLookup()
    result = Dues(members)
    for member_id, month in pairs:
        due = _due(dues_rules(month), member_id, month, bases[member_id], reliefs[member_id],
                   events[member_id], rules)  # fmt: skip
        due.payment = payments.get((member_id, month))
        result.dues[(member_id, month)] = due
    return result


def _due(policy, member_id, month, bases, reliefs, events, rules) -> Due:
    basis = _latest(bases, month)
    category = basis.category if basis else Category.OTHER
    income = basis.basis if basis else 0
    full = amount_for(policy, category, income)
    due = Due(member_id, month, category, income, full, full, declared=basis is not None)
    anchor = party_age.anchor(events, month, rules) if events else None
    if anchor and full_months(anchor, month) >= 12 * policy.exempt_party_age_years:
        due.amount, due.relief = (
            0,
            _("Tuổi đảng từ %(n)s năm") % {"n": policy.exempt_party_age_years},
        )
        return due
    relief = next((r for r in reversed(reliefs) if r.covers(month)), None)
    if relief is None:
        return due
    if relief.kind == ReliefKind.EXEMPTION:
        due.amount, due.relief = 0, _("Miễn: %(ground)s") % {"ground": relief.get_ground_display()}
    else:
        due.amount = full - int(Fraction(full * relief.percent, 100))
        due.relief = _("Giảm %(p)s%%: %(ground)s") % {
            "p": relief.percent,
            "ground": relief.get_ground_display(),
        }
    return due


@dataclass
class RollLine:
    member: Member
    due: Due
    # Payments this member made on this month's sheet for other months (late, in advance).
    others: list[DuesPayment] = field(default_factory=list)


def cell_roll(*, organization: Organization, month: date) -> list[RollLine]:
    """The roll of `organization` for `month`, in Vietnamese order, each line with its due
    and payment."""
    month = first_of_month(month)
    ids = roll_by_month(organization=organization, months=[month])[month]
    dues = dues_of(pairs=[(member_id, month) for member_id in ids])
    others = defaultdict(list)
    for payment in DuesPayment.objects.filter(
        sheet__organization=organization, sheet__month=month, member_id__in=ids
    ).exclude(for_month=month):
        others[payment.member_id].append(payment)
    lines = [
        RollLine(dues.members[i], dues.of(i, month), sorted(others[i], key=lambda p: p.for_month))
        for i in ids
    ]
    return sorted(lines, key=lambda line: (line.member.name_sort, line.member.pk))


@dataclass
class Arrears:
    member: Member
    months: list[Due]  # unpaid months, in order
    flagged: bool  # unpaid months in the year reach the rule's number

    @property
    def amount(self) -> int:
        return sum(d.amount for d in self.months)


def arrears(*, organization: Organization, year: int, today: date) -> list[Arrears]:
    """Members of the cell's rolls in `year` with months unpaid (months ended by `today`),
    flagged when the count reaches the rule in force (`removal_unpaid_months`)."""
    return arrears_of(cells=[organization], year=year, today=today)


def arrears_of(*, cells: list[Organization], year: int, today: date) -> list[Arrears]:
    """`arrears` of several cells at once, in a few queries."""
    last = min(date(year, 12, 1), add_months(first_of_month(today), -1))
    months = months_of(date(year, 1, 1), last) if last.year == year else []
    # A month known only by its total (an aggregate sheet) has no debts to show.
    summaries = set(
        DuesSheet.objects.filter(
            organization__in=cells, month__in=months, source=SheetSource.SUMMARY
        ).values_list("organization_id", "month")
    )
    pairs = []
    for cell in cells:
        for month, ids in roll_by_month(organization=cell, months=months).items():
            if (cell.pk, month) not in summaries:
                pairs += [(m, month) for m in ids]
    dues = dues_of(pairs=pairs)
    unpaid = defaultdict(list)
    for due in dues.dues.values():
        if due.unpaid:
            unpaid[due.member_id].append(due)
    rows, dues_rules = [], DuesPolicyLookup()
    for member_id, months_unpaid in unpaid.items():
        months_unpaid.sort(key=lambda d: d.month)
        limit = dues_rules(months_unpaid[-1].month).removal_unpaid_months
        rows.append(Arrears(dues.members[member_id], months_unpaid, len(months_unpaid) >= limit))
    return sorted(rows, key=lambda a: (a.member.name_sort, a.member.pk))
