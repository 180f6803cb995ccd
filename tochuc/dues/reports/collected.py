"""The report "Thu nộp đảng phí" (dues_collected) of the report engine: for a period, the
organization's and each of its children's collected, received-from-below, retained and
remitted dues, with the two balances that must hold. Registered from DuesConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.reports.dataset import TEXT, Check, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.registry import ReportDefinition, require_period

from ..ledger import period_rows
from ..rolls import months_of

FIELDS = ("collected", "received", "retained", "remitted")


def columns() -> list[Column]:
    return [
        Column("label", _("Tổ chức"), TEXT),
        Column("collected", _("Chi bộ thu của đảng viên")),
        Column("received", _("Cấp dưới nộp lên")),
        Column("retained", _("Trích giữ lại")),
        Column("remitted", _("Nộp cấp trên")),
    ]


def collected(organization, period):
    require_period(period)
    data = dataset_for(DEFINITION, organization, period)
    rows, total = period_rows(root=organization, months=months_of(period.start, period.end))
    lines = [
        {"label": row.organization.name if row.depth else _("%(name)s (cả đảng bộ)") % {
            "name": row.organization.name}, **{f: getattr(row.line, f) for f in FIELDS}}
        for row in rows
    ]  # fmt: skip
    data.tables.append(
        Table(
            "collected",
            _("Thu, nộp đảng phí (đồng)"),
            columns(),
            lines,
            chart="bar",
            note=_(
                "Mỗi tổ chức trích giữ lại phần của mình trên số thu và số cấp dưới nộp lên, "
                "nộp phần còn lại lên cấp trên (tỷ lệ theo quy định của từng tháng)."
            ),
        )
    )
    data.checks.append(
        Check(
            "balance",
            _("Thu + cấp dưới nộp lên = trích giữ lại + nộp cấp trên"),
            expected=total.collected + total.received,
            actual=total.retained + total.remitted,
        )
    )
    data.checks.append(
        Check(
            "received",
            _("Số nhận của cấp dưới = tổng số các tổ chức trực thuộc nộp lên"),
            expected=sum(r.line.remitted for r in rows[1:]),
            actual=total.received,
        )
    )
    return data


DEFINITION = ReportDefinition(
    "dues_collected",
    gettext_lazy("Thu nộp đảng phí"),
    collected,
    description=gettext_lazy("Số đảng phí thu, trích giữ lại và nộp lên trong kỳ."),
    order=70,
)
