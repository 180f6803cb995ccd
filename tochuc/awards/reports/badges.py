"""The report "badges" (tochuc/reports/registry.py): per occasion of the period and per
organization directly under the chosen one, the members newly due for a Party badge, those
proposed, decided and awarded. Registered from AwardsConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib.dates import vn_date
from tochuc.reports import periods
from tochuc.reports.dataset import TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.registry import ReportDefinition

from .. import rules, selectors

KEYS = ("due", "proposed", "decided", "awarded")


def badges_report(organization, period):
    if not period.is_period:
        period = periods.year(period.end.year)
    data = dataset_for(DEFINITION, organization, period)
    occasions = [
        day
        for year in range(period.start.year, period.end.year + 1)
        for day in rules.occasions_of_year(year)
        if period.start <= day <= period.end
    ]
    rows = selectors.badge_counts(organization=organization, occasions=occasions)
    titles = {
        "due": _("Đến hạn"),
        "proposed": _("Đã đề nghị"),
        "decided": _("Có quyết định"),
        "awarded": _("Đã trao"),
    }
    table_rows = [
        {
            "occasion": vn_date(r["occasion"]),
            "organization": r["organization"].name,
            **{k: r[k] for k in KEYS},
        }
        for r in rows
    ]
    totals = {
        "occasion": _("Cộng"),
        "organization": "",
        **{k: sum(r[k] for r in rows) for k in KEYS},
    }
    data.tables.append(
        Table(
            "badges",
            _("Huy hiệu Đảng theo đợt và tổ chức"),
            [
                Column("occasion", _("Đợt"), TEXT),
                Column("organization", _("Tổ chức"), TEXT),
                *[Column(k, titles[k]) for k in KEYS],
            ],
            table_rows,
            totals=totals,
            note=_("Đến hạn: đảng viên đủ tuổi Đảng nhận mốc huy hiệu kể từ đợt trước."),
        )
    )
    data.paragraphs = [
        _(
            "Trong %(period)s: %(due)s đảng viên đến hạn, %(proposed)s được đề nghị, "
            "%(decided)s có quyết định và %(awarded)s đã được trao Huy hiệu Đảng."
        )
        % {"period": period.label().lower(), **totals}
    ]
    return data


DEFINITION = ReportDefinition(
    "badges",
    gettext_lazy("Huy hiệu Đảng"),
    badges_report,
    description=gettext_lazy(
        "Đảng viên đến hạn, được đề nghị, có quyết định và đã nhận Huy hiệu Đảng theo từng đợt "
        "(3/2, 19/5, 2/9, 7/11) và từng tổ chức trực thuộc."
    ),
    order=80,
)
