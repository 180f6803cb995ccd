"""The report "committee_congresses": in a period and a subtree, the congresses held (by kind
and by level) and the terms ending in the period whose congress is due. Registered from
CommitteesConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.reports.dataset import TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.registry import ReportDefinition, require_period

from .. import selectors
from ..models import CongressKind, DelegateKind


def congresses_report(organization, period):
    require_period(period)
    data = dataset_for(DEFINITION, organization, period)
    held = list(
        selectors.congresses_held(
            organization=organization, start=period.start, end=period.end
        ).prefetch_related("delegates_elected__above")
    )
    due = selectors.terms_ending_between(
        organization=organization, start=period.start, end=period.end
    )
    data.paragraphs = [
        _("%(period)s: %(held)s đại hội đã tiến hành; %(due)s nhiệm kỳ kết thúc trong kỳ.")
        % {"period": period.label(), "held": len(held), "due": len(due)}
    ]
    by_kind = {kind: sum(c.kind == kind for c in held) for kind in CongressKind.values}
    data.tables.append(
        Table(
            "held",
            _("Đại hội đã tiến hành"),
            [Column("label", _("Hình thức"), TEXT), Column("count", _("Số đại hội"))],
            [{"label": str(label), "count": by_kind[kind]} for kind, label in CongressKind.choices],
            totals={"label": _("Cộng"), "count": len(held)},
        )
    )
    data.tables.append(
        Table(
            "due",
            _("Nhiệm kỳ kết thúc trong kỳ"),
            [
                Column("label", _("Tổ chức"), TEXT),
                Column("term", _("Nhiệm kỳ"), TEXT),
                Column("ends_on", _("Kết thúc"), TEXT),
                Column("held", _("Đã đại hội"), TEXT),
            ],
            [
                {
                    "label": term.organization.name,
                    "term": str(term),
                    "ends_on": f"{term.ends_on:%d/%m/%Y}",
                    "held": _("Có")
                    if any(c.organization_id == term.organization_id for c in held)
                    else _("Chưa"),
                }  # fmt: skip
                for term in due
            ],
        )
    )
    data.tables.append(_delegates_table(held))
    return data


def _delegates_table(held) -> Table:
    """The delegates to the congress above elected by the congresses held in the period."""
    rows = []
    for congress in sorted(held, key=lambda c: (c.organization.path, c.starts_on)):
        kinds = [d.kind for d in congress.delegates_elected.all()]
        if kinds:
            rows.append({
                "label": congress.organization.name,
                "above": congress.delegates_elected.all()[0].above.name,
                "official": kinds.count(DelegateKind.OFFICIAL),
                "alternate": kinds.count(DelegateKind.ALTERNATE),
            })  # fmt: skip
    return Table(
        "delegates",
        _("Đại biểu dự đại hội cấp trên được bầu trong kỳ"),
        [
            Column("label", _("Tổ chức"), TEXT),
            Column("above", _("Dự đại hội của"), TEXT),
            Column("official", _("Chính thức")),
            Column("alternate", _("Dự khuyết")),
        ],
        rows,
        totals={
            "label": _("Cộng"),
            "above": "",
            "official": sum(r["official"] for r in rows),
            "alternate": sum(r["alternate"] for r in rows),
        },  # fmt: skip
    )


DEFINITION = ReportDefinition(
    "committee_congresses",
    gettext_lazy("Đại hội và nhiệm kỳ"),
    congresses_report,
    description=gettext_lazy(
        "Số đại hội đã tiến hành trong kỳ theo hình thức; các nhiệm kỳ kết thúc trong kỳ và đã "
        "đại hội hay chưa."
    ),
    order=62,
)
