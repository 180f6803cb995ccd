"""Report "movement": membership movement over a period, with the balance checked, and the
admissions against the year's target."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.organizations.models import Organization
from tochuc.reports.dataset import INT, PERCENT, TEXT, Check, Column, Dataset, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import ratio_percent
from tochuc.reports.periods import Period
from tochuc.reports.registry import ReportDefinition, require_period

from .. import selectors, sources

MOVEMENT_ROWS = [
    ("start", gettext_lazy("Đảng viên đầu kỳ")),
    ("admitted", gettext_lazy("Kết nạp")),
    ("readmitted", gettext_lazy("Kết nạp lại")),
    ("confirmed", gettext_lazy("Công nhận đảng viên chính thức")),
    ("transferred_in", gettext_lazy("Chuyển sinh hoạt đảng chính thức đến")),
    ("transferred_out", gettext_lazy("Chuyển sinh hoạt đảng chính thức đi")),
    ("restructured_in", gettext_lazy("Chuyển đến theo sắp xếp tổ chức")),
    ("restructured_out", gettext_lazy("Chuyển đi theo sắp xếp tổ chức")),
    ("died", gettext_lazy("Từ trần")),
    ("removed", gettext_lazy("Xóa tên")),
    ("expelled", gettext_lazy("Khai trừ")),
    ("resigned", gettext_lazy("Xin ra khỏi Đảng")),
    ("end", gettext_lazy("Đảng viên cuối kỳ")),
]
INCREASES = sources.INCREASE_KEYS
DECREASES = sources.DECREASE_KEYS
NO_TARGET = gettext_lazy("chưa giao chỉ tiêu")


def expected_end(counts: Counter) -> int:
    return counts["start"] + sum(counts[k] for k in INCREASES) - sum(counts[k] for k in DECREASES)


def target_year(period: Period) -> int | None:
    return period.start.year if period.start.year == period.end.year else None


BALANCE_EXPLANATION = gettext_lazy(
    "Đầu kỳ + kết nạp + kết nạp lại + chuyển đến + chuyển đến theo sắp xếp tổ chức − chuyển đi "
    "− chuyển đi theo sắp xếp tổ chức − từ trần − xóa tên − khai trừ − xin ra = cuối kỳ. Đảng "
    "viên được tính từ ngày quyết định kết nạp (như tuổi đảng); chuyển sinh hoạt trong hệ thống "
    "tính vào ngày đến nơi mới. Trên hồ sơ đầy đủ hai vế luôn bằng nhau; chênh lệch là do hồ sơ "
    "còn thiếu sự kiện (ví dụ đảng viên được nhập vào chi bộ từ một ngày mà không ghi chuyển "
    "đến) — trang báo cáo liệt kê những đảng viên gây chênh lệch để bổ sung."
)


def movement(organization: Organization | None, period: Period) -> Dataset:
    """Over a period, for `organization` (None: the whole country)."""
    require_period(period)
    data = dataset_for(DEFINITION, organization, period)
    key = organization.pk if organization is not None else sources.NATION
    counts = sources.movement_of(organization, period.start, period.end, by_child=False).get(
        key, Counter()
    )
    data.tables.append(
        Table(
            "movement",
            _("Biến động đảng viên"),
            [Column("label", _("Chỉ tiêu"), TEXT), Column("count", _("Số đảng viên"))],
            [
                {"key": key, "label": str(label), "count": counts[key]}
                for key, label in MOVEMENT_ROWS
            ],
            chart="bar",
        )
    )
    year = target_year(period)
    targets = sources.admission_targets([key], year) if year and organization else None
    target = (targets or {}).get(key)
    data.tables.append(
        Table(
            "admissions",
            _("Kết nạp đảng viên so với chỉ tiêu"),
            [
                Column("label", _("Tổ chức"), TEXT),
                Column("admitted", _("Kết nạp")),
                Column("target", _("Chỉ tiêu năm"), INT, str(NO_TARGET)),
                Column("percent", _("Đạt (%)"), PERCENT),
            ],
            [
                {
                    "label": data.organization_name,
                    "admitted": counts["admitted"],
                    "target": target,
                    "percent": ratio_percent(counts["admitted"], target, digits=0),
                }
            ],
        )
    )
    data.checks.append(
        Check(
            "balance",
            _("Cân đối đầu kỳ − cuối kỳ"),
            expected_end(counts),
            counts["end"],
            str(BALANCE_EXPLANATION),
        )  # fmt: skip
    )
    return data


def drilldown(*, scope, organization: Organization | None, period: Period) -> dict | None:
    return selectors.unbalanced_rows(
        scope=scope, organization=organization, period=period, by_child=False
    )


DEFINITION = ReportDefinition(
    "movement",
    gettext_lazy("Biến động đảng viên trong kỳ"),
    movement,
    description=gettext_lazy(
        "Đầu kỳ, kết nạp (so với chỉ tiêu), chuyển đến, chuyển đi, giảm, cuối kỳ."
    ),
    national=True,
    order=20,
    drilldown=drilldown,
)
