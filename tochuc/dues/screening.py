"""Unpaid dues as a ground of the quality screening (Điều lệ art. 8).

A ground for removal needs evidence: only the months whose collection the cell recorded
member by member count (a month with no sheet yet, or known only by its total, says nothing
of one member), and the member is flagged when those months reach the rule's number.
"""

from collections import defaultdict
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.organizations.models import Organization
from tochuc.policy.dues import DuesPolicyLookup

from . import rolls
from .models import DuesSheet, SheetSource
from .selectors import collecting_organizations


def unpaid_dues(organization: Organization, on: date) -> dict[int, str]:
    """Members unpaid in as many recorded months of `on`'s year as the rule names."""
    cells = collecting_organizations(organization=organization, month=date(on.year, 12, 1))
    recorded = defaultdict(set)
    sheets = DuesSheet.objects.filter(organization__in=cells, month__year=on.year).exclude(
        source=SheetSource.SUMMARY
    )
    for cell_id, month in sheets.values_list("organization_id", "month"):
        recorded[cell_id].add(month)
    rules, found = DuesPolicyLookup(), {}
    for cell in cells:
        if not recorded[cell.pk]:
            continue
        for row in rolls.arrears_of(cells=[cell], year=on.year, today=on):
            months = [due.month for due in row.months if due.month in recorded[cell.pk]]
            if months and len(months) >= rules(months[-1]).removal_unpaid_months:
                found[row.member.pk] = _(
                    "Không đóng đảng phí %(count)s tháng năm %(year)s (tháng %(months)s)"
                ) % {
                    "count": len(months),
                    "year": on.year,
                    "months": ", ".join(str(month.month) for month in months),
                }
    return found


def register() -> None:
    from tochuc.quality.screening import register_ground

    register_ground("dues_unpaid", gettext_lazy("Không đóng đảng phí nhiều tháng"), unpaid_dues)
