"""Members' figures on the home page (tochuc/core/dashboard.py): members over the years,
admissions against the target (only where targets were set), and the breakdowns at the date.
Each chart links to its table in the reports page."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from tochuc.lib.dates import vn_date
from tochuc.reports import periods
from tochuc.reports.heading import NotInTree

from . import sources
from .reports.membership import membership

YEARS_SHOWN = 6  # the dashboard's window, not a rule: the current year and five before


def _report_url(organization, name: str, period: periods.Period, table: str) -> str:
    query = urlencode({"bao_cao": name, "to_chuc": organization.code, **period.as_query()})
    return f"{reverse('reports:index')}?{query}#bang-{table}"


def _years(on: date) -> list[int]:
    return list(range(on.year - YEARS_SHOWN + 1, on.year + 1))


def members_over_years(request, organization, on: date) -> dict | None:
    points = []
    for year in _years(on):
        day = min(date(year, 12, 31), on)
        points.append((year, day, sources.member_total(organization, day)))
    if not any(n for _y, _d, n in points):
        return None
    labels = [vn_date(day) for _y, day, _n in points]
    chart = {"type": "line", "label": _("Số đảng viên"), "labels": labels,
             "values": [n for _y, _d, n in points]}  # fmt: skip
    return {
        "charts": {"chart-members-years": chart},
        "rows": [(vn_date(day), n, _report_url(organization, "membership", periods.at(day),
                                               "members")) for _y, day, n in points],
        "table_url": _report_url(organization, "membership", periods.at(on), "members"),
    }  # fmt: skip


def admissions_vs_target(request, organization, on: date) -> dict | None:
    years = _years(on)
    targets = sources.admission_targets_by_year(organization, years)
    if not targets:
        return None  # no target was set: nothing to compare
    admitted = sources.admitted_by_year(organization, years[0], years[-1])
    chart = {
        "type": "bar",
        "labels": [str(y) for y in years],
        "series": [
            {"label": _("Kết nạp"), "values": [admitted[y] for y in years]},
            {"label": _("Chỉ tiêu"), "values": [targets.get(y) for y in years]},
        ],
    }
    rows = [
        (y, admitted[y], targets.get(y),
         _report_url(organization, "movement", periods.year(y), "admissions"))
        for y in years
    ]  # fmt: skip
    return {"charts": {"chart-admissions": chart}, "rows": rows}


def breakdowns(request, organization, on: date) -> dict | None:
    try:
        data = membership(organization, periods.at(on))
    except NotInTree:
        return None
    members = data.table("members")
    if not members.rows[0]["count"]:
        return None
    age = data.table("age")
    theory = data.table("political_theory")
    charts = {"chart-dash-age": age.chart_data(), "chart-dash-theory": theory.chart_data()}
    charts["chart-dash-age"]["type"] = "pie"
    return {
        "members": members,
        "charts": charts,
        "age_url": _report_url(organization, "membership", periods.at(on), "age"),
        "theory_url": _report_url(organization, "membership", periods.at(on), "political_theory"),
        "table_url": _report_url(organization, "membership", periods.at(on), "members"),
    }


def register() -> None:
    try:
        from tochuc.core.dashboard import register_data_version, register_panel
    except ImportError:  # pragma: no cover - the home page without panels
        return
    from .counts import changes_of

    register_data_version(changes_of)
    register_panel(
        "reports.members", "statistics/panels/members.html", members_over_years, order=20
    )
    register_panel("reports.breakdowns", "statistics/panels/breakdowns.html", breakdowns, order=30)
    register_panel(
        "reports.admissions", "statistics/panels/admissions.html", admissions_vs_target, order=40
    )
