"""Reads of the dues app, for a page, a report or a panel: the sheets of a month, the cells
that have not reported, the members flagged for unpaid dues, a member's dues history.

The roll and what each member owes are in `rolls.py`; the remittance up the tree in
`ledger.py`. Every read that lists organizations stays in the caller's subtree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, QuerySet

from tochuc.lib.paths import under
from tochuc.members.models import Affiliation, Member
from tochuc.organizations.models import Organization, OrganizationVersion
from tochuc.organizations.selectors import in_force, version_of
from tochuc.policy.dues import first_of_month

from . import rolls
from .ledger import COLLECTING
from .models import DuesBasis, DuesPayment, DuesRelief, DuesSheet


def sheet_of(*, organization: Organization, month: date) -> DuesSheet | None:
    return DuesSheet.objects.filter(organization=organization, month=first_of_month(month)).first()


def payment_on_sheet(*, organization: Organization, month: date, pk) -> DuesPayment:
    """A payment collected on the cell's sheet of `month`; another one is not found."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    found = DuesPayment.objects.filter(
        sheet__organization=organization, sheet__month=first_of_month(month),
        pk=int(pk) if str(pk).isdigit() else 0,
    ).select_related("member", "sheet__organization").first()  # fmt: skip
    if found is None:
        raise ValidationError(_("Không tìm thấy lượt nộp này trong sổ thu tháng."))
    return found


def _collecting_versions(*, organization: Organization, month: date):
    """The versions of the cells (cells and grassroots cells) of `organization`'s subtree in
    force at the month's end."""
    day = rolls.month_end(first_of_month(month))
    version = version_of(organization=organization, on=day)
    if version is None:
        return OrganizationVersion.objects.none()
    return (
        OrganizationVersion.objects.filter(in_force(day), kind__in=COLLECTING)
        .filter(under("path", version.path))
        .order_by()
    )


def collecting_cells(*, organization: Organization, month: date) -> QuerySet[Organization]:
    """The cells of `organization`'s subtree as the tree was at the month's end, unordered."""
    versions = _collecting_versions(organization=organization, month=month)
    return Organization.objects.filter(pk__in=versions.values("organization_id")).order_by()


def collecting_organizations(*, organization: Organization, month: date) -> list[Organization]:
    """`collecting_cells`, in Vietnamese order."""
    cells = collecting_cells(organization=organization, month=month)
    return sorted(cells, key=lambda o: (o.name_sort, o.pk))


@dataclass
class CellState:
    organization: Organization
    sheet: DuesSheet | None

    @property
    def reported(self) -> bool:
        return self.sheet is not None and self.sheet.reported_on is not None


def cell_states(*, organization: Organization, month: date) -> list[CellState]:
    """Each cell of the subtree with its sheet of the month (None: nothing recorded)."""
    month = first_of_month(month)
    cells = collecting_organizations(organization=organization, month=month)
    sheets = {
        s.organization_id: s for s in DuesSheet.objects.filter(organization__in=cells, month=month)
    }
    return [CellState(cell, sheets.get(cell.pk)) for cell in cells]


@dataclass(frozen=True)
class Reporting:
    cells: int
    unreported: int
    first_unreported: list[str]  # the names of the first ones, in Vietnamese order


def reporting(*, organization: Organization, month: date, first: int = 0) -> Reporting:
    """`cell_states`' numbers counted by the database (the home page's due line at a
    province's scale: thousands of cells): how many cells, how many have not reported the
    month, and the names of the `first` of those."""
    month = first_of_month(month)
    versions = _collecting_versions(organization=organization, month=month)
    reported = DuesSheet.objects.filter(
        organization=OuterRef("organization_id"), month=month, reported_on__isnull=False
    )
    counts = versions.aggregate(  # distinct: as the cells, whatever their versions
        cells=Count("organization_id", distinct=True),
        unreported=Count("organization_id", distinct=True, filter=~Exists(reported)),
    )
    names = []
    if first and counts["unreported"]:
        unreported = (
            versions.filter(~Exists(reported))
            .values_list("organization__name_sort", "organization_id", "organization__name")
            .order_by("organization__name_sort", "organization_id")
            .distinct()
        )
        names = [name for _key, _pk, name in unreported[:first]]
    return Reporting(counts["cells"], counts["unreported"], names)


def unreported_cells(*, organization: Organization, month: date) -> list[Organization]:
    """The due line: cells of the subtree that have not reported the month's dues."""
    states = cell_states(organization=organization, month=month)
    return [s.organization for s in states if not s.reported]


ARREARS_MAX_CELLS = 300  # a subtree's flagged list reads each cell's roll: a commune's


def too_many_cells(*, organization: Organization, year: int) -> bool:
    cells = collecting_organizations(organization=organization, month=date(year, 12, 1))
    return len(cells) > ARREARS_MAX_CELLS


def children_of(*, ids) -> list[Organization]:
    """Organizations named by the ledger of a subtree the caller may see."""
    return list(Organization.objects.filter(pk__in=ids))


def members_by_ids(*, ids) -> list[Member]:
    """The members of a roll, in Vietnamese order."""
    return list(Member.objects.filter(pk__in=ids).order_by("name_sort", "id"))


def members_unpaid(*, organization: Organization, year: int, today: date) -> list[rolls.Arrears]:
    """Members of the subtree's cells flagged for unpaid dues in `year` (as many months as
    the rule names, or more): a ground for removal, for the screening lists."""
    cells = collecting_organizations(organization=organization, month=date(year, 12, 1))
    return [a for a in rolls.arrears_of(cells=cells, year=year, today=today) if a.flagged]


@dataclass
class MemberDues:
    bases: list[DuesBasis]
    reliefs: list[DuesRelief]
    months: list[rolls.Due]  # of the year, up to last month
    payments: list[DuesPayment]


def _year_months(year: int, today: date) -> list[date]:
    last = min(date(year, 12, 1), first_of_month(today))
    return rolls.months_of(date(year, 1, 1), last) if last.year == year else []


def _on_roll(months: list[date], spans) -> list[date]:
    """The months the member was on a roll (in official activity at their end)."""
    return [
        m for m in months
        if any(a <= rolls.month_end(m) and (b is None or b > rolls.month_end(m)) for a, b in spans)
    ]  # fmt: skip


def member_dues(*, member: Member, year: int, today: date) -> MemberDues:
    spans = list(
        member.affiliations.filter(kind=Affiliation.Kind.OFFICIAL).values_list(
            "valid_from", "valid_to"
        )
    )
    months = _on_roll(_year_months(year, today), spans)
    dues = rolls.dues_of(pairs=[(member.pk, m) for m in months])
    return MemberDues(
        bases=list(member.dues_bases.order_by("-valid_from")),
        reliefs=list(member.dues_reliefs.order_by("-first_month")),
        months=[dues.of(member.pk, m) for m in months],
        payments=list(
            member.dues_payments.select_related("sheet__organization").order_by("-for_month")[:24]
        ),
    )


def owed_of(*, members: list[Member], on: date) -> dict[int, list[rolls.Due]]:
    """The months of `on`'s year (up to its month) each member owes and has not paid, as on
    their `member_dues` page; in a few queries whatever the number of members. Members who
    owe nothing are absent."""
    spans: dict[int, list] = {}
    for member_id, valid_from, valid_to in Affiliation.objects.filter(
        member_id__in=[m.pk for m in members], kind=Affiliation.Kind.OFFICIAL
    ).values_list("member_id", "valid_from", "valid_to"):
        spans.setdefault(member_id, []).append((valid_from, valid_to))
    year_months = _year_months(on.year, on)
    months = {m.pk: _on_roll(year_months, spans.get(m.pk, ())) for m in members}
    dues = rolls.dues_of(pairs=[(pk, m) for pk, ms in months.items() for m in ms])
    owed = {}
    for pk, ms in months.items():
        unpaid = [d for d in (dues.of(pk, m) for m in ms) if not d.paid and d.amount]
        if unpaid:
            owed[pk] = unpaid
    return owed
