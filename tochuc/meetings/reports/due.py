"""The report "meetings_due": at a date, the cells under an organization that have not held
this month's regular meeting, or lack this quarter's thematic meeting (the dated rule of
policy/rules.py). Registered from MeetingsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.policy.rules import policy_for
from tochuc.reports.dataset import INT, TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import vn_int
from tochuc.reports.registry import ReportDefinition

from .. import selectors


def due(organization, period):
    on = period.end
    data = dataset_for(DEFINITION, organization, period)
    rows = selectors.due_cells(organization, on)
    cells = selectors.cells_on(organization, on)
    not_met = [d for d in rows if d.regular_missing]
    no_thematic = [d for d in rows if d.thematic_missing]
    data.paragraphs = [
        _(
            "Đến ngày %(day)s, %(not_met)s/%(cells)s chi bộ chưa sinh hoạt thường kỳ trong tháng; "
            "%(no_thematic)s chi bộ chưa sinh hoạt chuyên đề trong quý (%(source)s)."
        )
        % {
            "day": on.strftime("%d/%m/%Y"),
            "not_met": vn_int(len(not_met)),
            "cells": vn_int(len(cells)),
            "no_thematic": vn_int(len(no_thematic)),
            "source": policy_for(on).meetings_source,
        }
    ]
    data.tables = [
        Table(
            "due",
            _("Chi bộ chưa sinh hoạt đủ"),
            [
                Column("code", _("Mã chi bộ"), TEXT),
                Column("cell", _("Chi bộ"), TEXT),
                Column("regular", _("Thường kỳ trong tháng"), INT),
                Column("thematic", _("Chuyên đề trong quý"), INT),
                Column("last", _("Lần sinh hoạt gần nhất"), TEXT),
            ],
            [
                {
                    "code": d.cell.code,
                    "cell": d.cell.name,
                    "regular": d.regular_held,
                    "thematic": d.thematic_held,
                    "last": d.last_held_on.strftime("%d/%m/%Y") if d.last_held_on else "",
                }
                for d in rows
            ],
        )
    ]
    return data


DEFINITION = ReportDefinition(
    "meetings_due",
    gettext_lazy("Chi bộ chưa sinh hoạt trong tháng"),
    due,
    needs_period=False,
    description=gettext_lazy(
        "Các chi bộ chưa sinh hoạt thường kỳ trong tháng hoặc chưa sinh hoạt chuyên đề trong quý."
    ),
    order=61,
)
