"""The report "committee_consolidations": in a period and a subtree, the organizations whose
committees were consolidated (kiện toàn), the posts filled, and the seats still vacant at the
end of the period — "in the first quarter it consolidated the committees of 19
organizations". Registered from CommitteesConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.reports.dataset import TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.registry import ReportDefinition, require_period

from .. import selectors


def consolidations_report(organization, period):
    require_period(period)
    data = dataset_for(DEFINITION, organization, period)
    found = selectors.consolidations(organization=organization, start=period.start, end=period.end)
    data.paragraphs = [
        _(
            "%(period)s, kiện toàn cấp ủy của %(organizations)s tổ chức đảng (%(posts)s chức "
            "danh); đến cuối kỳ còn %(vacant)s chức danh khuyết."
        )
        % {
            "period": period.label(),
            "organizations": found.organizations,
            "posts": found.posts_filled,
            "vacant": found.posts_vacant,
        }
    ]
    data.tables.append(
        Table(
            "consolidations",
            _("Kiện toàn cấp ủy"),
            [
                Column("label", _("Tổ chức"), TEXT),
                Column("organizations", _("Số tổ chức được kiện toàn")),
                Column("filled", _("Số chức danh được kiện toàn")),
                Column("vacant", _("Số chức danh còn khuyết cuối kỳ")),
            ],
            [
                {"label": name, "organizations": orgs, "filled": filled, "vacant": vacant}
                for name, orgs, filled, vacant in found.by_child
            ],
            totals={
                "label": _("Cộng"),
                "organizations": found.organizations,
                "filled": found.posts_filled,
                "vacant": found.posts_vacant,
            },
        )
    )
    return data


DEFINITION = ReportDefinition(
    "committee_consolidations",
    gettext_lazy("Kiện toàn cấp ủy"),
    consolidations_report,
    description=gettext_lazy(
        "Số tổ chức đảng được kiện toàn cấp ủy, số chức danh được kiện toàn trong kỳ và số "
        "chức danh còn khuyết cuối kỳ."
    ),
    order=60,
)
