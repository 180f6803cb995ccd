"""Report "movement_by_child": the movement of the period, one row per child organization
(every child that existed during the period) and a totals row."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib.vntext import sort_key
from tochuc.organizations.models import Organization
from tochuc.reports.dataset import INT, PERCENT, TEXT, Check, Column, Dataset, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import ratio_percent
from tochuc.reports.periods import Period
from tochuc.reports.registry import ReportDefinition, require_period

from .. import selectors, sources
from .movement import BALANCE_EXPLANATION, MOVEMENT_ROWS, NO_TARGET, expected_end, target_year


def movement_by_child(organization: Organization | None, period: Period) -> Dataset:
    """Over a period, one row per child of `organization` (None: per province)."""
    require_period(period)
    data = dataset_for(DEFINITION, organization, period)
    own = organization.pk if organization is not None else sources.NATION
    per_bucket = sources.movement_of(organization, period.start, period.end, by_child=True)
    year = target_year(period)
    targets = sources.admission_targets([*per_bucket, own], year) if year else None
    # Every child that existed during the period, even with no member in it.
    names = sources.children_during(organization, period.before, period.end)
    keys = list(names)
    codes = dict(Organization.objects.filter(pk__in=keys).values_list("pk", "code"))
    keys.sort(key=lambda k: sort_key(names[k]))
    if organization is not None and own in per_bucket:  # members directly in it (a cell)
        keys.insert(0, own)
        names[own] = data.organization_name
        codes[own] = organization.code

    columns = [
        Column("label", _("Tổ chức"), TEXT),
        Column("code", _("Mã"), TEXT),
        *[Column(key, str(label)) for key, label in MOVEMENT_ROWS if key != "end"],
        Column("target", _("Chỉ tiêu kết nạp"), INT, str(NO_TARGET)),
        Column("percent", _("Đạt (%)"), PERCENT),
        Column("end", str(dict(MOVEMENT_ROWS)["end"])),
        Column("difference", _("Chênh lệch")),
    ]
    # A target and its percentage only where one was given to that organization (its own
    # target for the year); the totals row is the organization's own ("chưa giao chỉ tiêu"
    # when it has none), never a sum of the children's that nobody set.
    targets = targets or {}
    rows, totals = [], Counter()
    for key in keys:
        counts = per_bucket.get(key, Counter())
        target = targets.get(key) if key != own else None
        row = {"label": names[key], "code": codes.get(key, "")}
        row.update({k: counts[k] for k, _label in MOVEMENT_ROWS})
        row["target"] = target
        row["percent"] = ratio_percent(counts["admitted"], target, digits=0)
        row["difference"] = counts["end"] - expected_end(counts)
        rows.append(row)
        totals.update({k: counts[k] for k, _label in MOVEMENT_ROWS})
        totals["difference"] += row["difference"]
    total_row = {"label": _("Cộng"), "code": "", **{k: totals[k] for k, _l in MOVEMENT_ROWS}}
    own_target = targets.get(own) if organization is not None else None
    total_row["target"] = own_target
    total_row["percent"] = ratio_percent(totals["admitted"], own_target, digits=0)
    total_row["difference"] = totals["difference"]
    data.tables.append(
        Table(
            "by_child",
            _("Biến động đảng viên theo tổ chức trực thuộc"),
            columns,
            rows,
            totals=total_row,
        )  # fmt: skip
    )
    data.checks.append(
        Check(
            "balance",
            _("Cân đối đầu kỳ − cuối kỳ (cộng các tổ chức trực thuộc)"),
            expected_end(totals),
            totals["end"],
            str(BALANCE_EXPLANATION),
        )  # fmt: skip
    )
    return data


def drilldown(*, scope, organization: Organization | None, period: Period) -> dict | None:
    return selectors.unbalanced_rows(
        scope=scope, organization=organization, period=period, by_child=True
    )


DEFINITION = ReportDefinition(
    "movement_by_child",
    gettext_lazy("Biến động đảng viên theo tổ chức trực thuộc"),
    movement_by_child,
    description=gettext_lazy("Mỗi tổ chức trực thuộc một dòng, có dòng cộng."),
    national=True,
    order=30,
    drilldown=drilldown,
)
