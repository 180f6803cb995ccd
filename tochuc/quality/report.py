"""The report "quality" of the report engine, registered from QualityConfig.ready(): the
score of an organization and of each organization directly under it, at the latest scan."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.organizations.models import Organization
from tochuc.reports.dataset import PERCENT, TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import ratio_percent
from tochuc.reports.registry import ReportDefinition

from . import selectors


def _row(score) -> dict:
    return {
        "label": score.organization.name,
        "records": score.records,
        "clean": score.clean,
        "share": ratio_percent(score.clean, score.records, digits=2),
    }


def quality_report(organization: Organization, period):
    data = dataset_for(DEFINITION, organization, period)
    score = selectors.score_of(organization=organization)
    rows = [_row(s) for s in selectors.ranking(organization=organization, score=score)]
    data.tables.append(
        Table(
            key="units",
            title=_("Chất lượng dữ liệu đảng viên"),
            columns=[
                Column("label", _("Tổ chức"), TEXT),
                Column("records", _("Hồ sơ đang sinh hoạt")),
                Column("clean", _("Không có vấn đề")),
                Column("share", _("Tỷ lệ"), PERCENT),
            ],
            rows=rows,
            totals=(
                {**_row(score), "label": _("Cộng")} if score is not None else {"label": _("Cộng")}
            ),
        )
    )
    if score is None:
        data.notes.append(_("Chưa quét dữ liệu của tổ chức này."))
    else:
        data.notes.append(
            _("Theo lần quét ngày %(day)s.") % {"day": score.scan.on.strftime("%d/%m/%Y")}
        )
    return data


DEFINITION = ReportDefinition(
    "quality",
    gettext_lazy("Chất lượng dữ liệu đảng viên"),
    quality_report,
    needs_period=False,
    description=gettext_lazy(
        "Tỷ lệ hồ sơ đảng viên không có vấn đề của tổ chức và các tổ chức trực thuộc."
    ),
    order=90,
)
