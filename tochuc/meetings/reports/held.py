"""The report "meetings_held": cell meetings held, thematic meetings and the attendance rate,
per cell and per month, for any subtree and period (HTML, XLSX, DOCX, PDF, JSON from one
dataset). The monthly briefing reads its totals for a month (`periods.between(first, last)`).
Registered from MeetingsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.reports.dataset import PERCENT, TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import ratio_percent, vn_int, vn_percent
from tochuc.reports.registry import ReportDefinition, require_period

from .. import selectors
from ..models import Body
from ..selectors import Figures


def _figures(row: dict, figures: Figures) -> dict:
    row.update(
        held=figures.held,
        thematic=figures.thematic,
        expected=figures.expected,
        present=figures.present,
        rate=ratio_percent(figures.present, figures.expected),
    )
    return row


def _columns(first: Column) -> list[Column]:
    return [
        first,
        Column("held", _("Số buổi sinh hoạt")),
        Column("thematic", _("Chuyên đề")),
        Column("expected", _("Lượt phải dự")),
        Column("present", _("Lượt có mặt")),
        Column("rate", _("Tỷ lệ dự"), PERCENT),
    ]


def held(organization, period):
    require_period(period)
    data = dataset_for(DEFINITION, organization, period)
    cells = selectors.figures(organization, period.start, period.end)
    months = selectors.months_of(period.start, period.end)
    total = Figures()
    by_month = {m: Figures() for m in months}
    met = dict.fromkeys(months, 0)
    long_rows = []
    for item in cells:
        total.add(item.total)
        for month in months:
            figures = item.months.get(month)
            if figures is None:
                continue
            by_month[month].add(figures)
            met[month] += 1
            label = f"{month[1]:02d}/{month[0]}"
            long_rows.append(
                _figures({"code": item.cell.code, "cell": item.cell.name, "month": label}, figures)
            )
    month_rows = [
        _figures({"month": f"{m[1]:02d}/{m[0]}", "cells_met": met[m]}, by_month[m]) for m in months
    ]
    data.paragraphs = [
        _(
            "Trong kỳ, %(cells)s chi bộ đã tổ chức %(held)s buổi sinh hoạt, trong đó %(thematic)s "
            "buổi chuyên đề; tỷ lệ đảng viên dự sinh hoạt %(rate)s."
        )
        % {
            "cells": vn_int(sum(1 for c in cells if c.total.held)),
            "held": vn_int(total.held),
            "thematic": vn_int(total.thematic),
            "rate": vn_percent(ratio_percent(total.present, total.expected)) or "—",
        }
    ]
    tables = [
        Table(
            "by_cell", _("Theo chi bộ"),
            _columns(Column("cell", _("Chi bộ"), TEXT)),
            [_figures({"cell": c.cell.name, "code": c.cell.code}, c.total) for c in cells],
            totals=_figures({"cell": _("Cộng")}, total),
        ),
        Table(
            "by_month", _("Theo tháng"),
            [Column("month", _("Tháng"), TEXT), Column("cells_met", _("Số chi bộ đã sinh hoạt")),
             *_columns(Column("month", "", TEXT))[1:]],
            month_rows,
            totals=_figures({"month": _("Cộng")}, total),
            chart="bar",
        ),
    ]  # fmt: skip
    if len(months) > 1:  # over one month, the table by cell says it all
        tables.append(Table(
            "by_cell_month", _("Theo chi bộ và tháng"),
            [Column("code", _("Mã chi bộ"), TEXT), Column("cell", _("Chi bộ"), TEXT),
             *_columns(Column("month", _("Tháng"), TEXT))],
            long_rows,
        ))  # fmt: skip
    committees = selectors.committee_figures(organization, period.start, period.end)
    if committees:  # hội nghị cấp ủy, Ban Thường vụ: apart from the cells' meetings
        tables.append(Table(
            "by_committee", _("Hội nghị cấp ủy, Ban Thường vụ"),
            [Column("organization", _("Tổ chức"), TEXT), Column("body", _("Hội nghị"), TEXT),
             *_columns(Column("organization", "", TEXT))[1:]],
            [_figures({"organization": c.organization.name, "body": str(Body(c.body).label)},
                      c.total) for c in committees],
        ))  # fmt: skip
    data.tables = tables
    return data


DEFINITION = ReportDefinition(
    "meetings_held",
    gettext_lazy("Sinh hoạt chi bộ: số buổi và tỷ lệ đảng viên dự"),
    held,
    description=gettext_lazy(
        "Số buổi sinh hoạt, số buổi chuyên đề và tỷ lệ đảng viên dự sinh hoạt, theo chi bộ "
        "và theo tháng."
    ),
    order=60,
)
