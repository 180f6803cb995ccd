"""The report "cadre_staffing" of the report engine (tochuc/reports/registry.py): staffing
quotas of the agencies of a subtree for a year — assigned, actual, the difference, the
reduction planned and done. Counts per agency only, no personal data, but cadre work all the
same: it needs VIEW_CADRES where it is made. Registered from CadresConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.permissions import VIEW_CADRES
from tochuc.organizations.models import Organization
from tochuc.reports.dataset import TEXT, Column, Dataset, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.periods import Period
from tochuc.reports.registry import ReportDefinition

from . import selectors


def staffing_table(rows) -> Table:
    lines = [
        {"agency": r.agency.name, "assigned": r.assigned, "actual": r.actual,
         "difference": r.difference, "planned_reduction": r.planned_reduction,
         "reduced": r.reduced}
        for r in rows
    ]  # fmt: skip
    keys = ("assigned", "actual", "difference", "planned_reduction", "reduced")
    totals = {"agency": _("Tổng cộng"), **{k: sum(line[k] for line in lines) for k in keys}}
    return Table(
        "staffing",
        _("Biên chế được giao và thực có"),
        [
            Column("agency", _("Cơ quan, đơn vị"), TEXT),
            Column("assigned", _("Biên chế được giao")),
            Column("actual", _("Thực có")),
            Column("difference", _("Chênh lệch (giao − có)")),
            Column("planned_reduction", _("Kế hoạch tinh giản")),
            Column("reduced", _("Đã tinh giản trong năm")),
        ],
        lines,
        totals=totals,
        chart="bar",
    )


def staffing_report(organization: Organization, period: Period) -> Dataset:
    """The year of the period's end (a date alone: its year)."""
    year = period.end.year
    data = dataset_for(DEFINITION, organization, period)
    # The engine has checked the caller's scope on `organization`: its whole subtree counts.
    rows = selectors.staffing(scope=None, organization=organization, year=year)
    data.tables.append(staffing_table(rows))
    data.paragraphs = [
        _("Năm %(year)s: %(n)s cơ quan, đơn vị được giao %(assigned)s biên chế, thực có "
          "%(actual)s; đã tinh giản %(reduced)s người (kế hoạch %(planned)s).")
        % {"year": year, "n": len(rows), "assigned": sum(r.assigned for r in rows),
           "actual": sum(r.actual for r in rows), "reduced": sum(r.reduced for r in rows),
           "planned": sum(r.planned_reduction for r in rows)}
    ]  # fmt: skip
    return data


DEFINITION = ReportDefinition(
    "cadre_staffing",
    gettext_lazy("Biên chế và tinh giản biên chế"),
    staffing_report,
    needs_period=False,
    description=gettext_lazy(
        "Biên chế được giao, thực có, chênh lệch và tinh giản của các cơ quan, đơn vị trong năm."
    ),
    order=80,
    # Cadre work's own permission (concealed): without it the report is not there at all —
    # not in the picker, its page, its downloads, the API (404), nor a briefing.
    permission=VIEW_CADRES,
)
