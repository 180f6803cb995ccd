"""The report "commendations" (tochuc/reports/registry.py): commendations decided in the
period by the organizations of the subtree, by form and recipient kind — "4 tổ chức đảng
và 15 đảng viên". Registered from AwardsConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.reports import periods
from tochuc.reports.dataset import TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.registry import ReportDefinition

from .. import selectors
from ..models import CommendationForm, RecipientKind

KINDS = list(RecipientKind)


def sentence(label: str, counts: dict[str, int]) -> str:
    parts = []
    if counts["organization"]:
        parts.append(_("%(n)s tổ chức đảng") % {"n": counts["organization"]})
    if counts["member"]:
        parts.append(_("%(n)s đảng viên") % {"n": counts["member"]})
    if counts["person"]:
        parts.append(_("%(n)s cá nhân khác") % {"n": counts["person"]})
    return _("%(form)s: %(who)s.") % {"form": label, "who": _(" và ").join(parts)}


def commendations_report(organization, period):
    if not period.is_period:
        period = periods.year(period.end.year)
    data = dataset_for(DEFINITION, organization, period)
    counts = selectors.commendation_counts(
        scope=None, organization=organization, start=period.start, end=period.end
    )
    rows = []
    for form in CommendationForm:
        by_kind = selectors.counts_sentence(counts, form.value)
        rows.append({"form": str(form.label), **by_kind, "total": sum(by_kind.values())})
        if sum(by_kind.values()):
            data.paragraphs.append(sentence(str(form.label), by_kind))
    totals = {"form": _("Cộng"), **{k.value: sum(r[k.value] for r in rows) for k in KINDS}}
    totals["total"] = sum(totals[k.value] for k in KINDS)
    data.tables.append(
        Table(
            "commendations",
            _("Khen thưởng theo hình thức và đối tượng"),
            [
                Column("form", _("Hình thức"), TEXT),
                *[Column(k.value, str(k.label)) for k in KINDS],
                Column("total", _("Cộng")),
            ],
            rows,
            totals=totals,
            chart="bar",
        )
    )
    if not data.paragraphs:
        data.paragraphs.append(_("Không có khen thưởng nào trong kỳ."))
    return data


DEFINITION = ReportDefinition(
    "commendations",
    gettext_lazy("Khen thưởng"),
    commendations_report,
    description=gettext_lazy(
        "Số tổ chức đảng, đảng viên và cá nhân được khen thưởng trong kỳ, theo hình thức "
        "(Bằng khen, Giấy khen, Kỷ niệm chương…)."
    ),
    order=85,
)
