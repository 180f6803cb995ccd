"""What every report starts from: its heading (the issuing body, the place, the organization
as it was in the period) and the common table shapes. Public, for the report definitions of
every app (see registry.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.organizations.models import Kind, Organization, OrganizationVersion
from tochuc.organizations.selectors import in_force, version_of

from .dataset import PERCENT, TEXT, Column, Dataset, Table
from .numbers import ratio_percent
from .periods import Period
from .registry import ReportDefinition


class NotInTree(ValidationError):
    pass


def version_in_period(organization: Organization, period: Period) -> OrganizationVersion:
    version = version_of(organization=organization, on=period.end)
    if version is None and period.start is not None:
        version = (
            organization.versions.filter(valid_from__lte=period.end)
            .filter(valid_to__gt=period.start)
            .order_by("-valid_from")
            .first()
        )
    if version is None:
        raise NotInTree(
            _("%(name)s không tồn tại trong khoảng thời gian báo cáo (%(period)s).")
            % {"name": organization.name, "period": period.label()}
        )
    return version


PLACE_PREFIX = re.compile(
    r"^(Đảng bộ|Đảng ủy|Chi bộ)\s+(tỉnh|thành phố|xã|phường|đặc khu|thị trấn|huyện|quận|"
    r"thị xã)\s+",
    re.IGNORECASE,
)
PLACE_KINDS = (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE)


def committee_name(version: OrganizationVersion) -> str:
    """The issuing body: "Đảng bộ xã Tân An" → "Đảng ủy xã Tân An"; a cell issues itself;
    a province: "Tỉnh ủy A"."""
    name = version.name
    if version.kind == Kind.PROVINCE:
        match = re.match(r"^Đảng bộ (tỉnh|thành phố)\s+(.*)$", name, re.IGNORECASE)
        if match:
            return ("Tỉnh ủy " if match.group(1).lower() == "tỉnh" else "Thành ủy ") + match.group(
                2
            )
    return re.sub(r"^Đảng bộ\b", "Đảng ủy", name)


def heading_fields(version: OrganizationVersion, day: date) -> dict[str, str]:
    """issuer_parent, issuer and place for the document layout, from the tree on `day`."""
    ids = [int(part) for part in version.path.strip("/").split("/") if part]
    chain = {
        v.organization_id: v
        for v in OrganizationVersion.objects.filter(in_force(day), organization_id__in=ids)
    }
    chain[version.organization_id] = version
    ordered = [chain[pk] for pk in ids if pk in chain]
    parent = ordered[-2] if len(ordered) > 1 else None
    place_version = next((v for v in reversed(ordered) if v.kind in PLACE_KINDS), version)
    return {
        "issuer_parent": (parent.name if parent else version.name).upper(),
        "issuer": committee_name(version).upper(),
        "place": PLACE_PREFIX.sub("", place_version.name),
    }


def last_day(version: OrganizationVersion, period: Period) -> date:
    if version.valid_to and version.valid_to <= period.end:
        return version.valid_to - timedelta(days=1)
    return period.end


# The whole country: no organization above the provinces, so the heading is written here.
NATIONAL_NAME = gettext_lazy("Toàn quốc")
NATIONAL_HEADING = {
    "issuer_parent": gettext_lazy("BAN CHẤP HÀNH TRUNG ƯƠNG"),
    "issuer": gettext_lazy("BAN TỔ CHỨC TRUNG ƯƠNG"),
    "place": gettext_lazy("Hà Nội"),
}


def dataset_for(
    report: ReportDefinition, organization: Organization | None, period: Period
) -> Dataset:
    """An empty dataset of `report` with its heading: the organization as it was in the
    period (NotInTree, in Vietnamese, when it did not exist then); None: the whole country."""
    if organization is None:
        return Dataset(
            report=report.name,
            title=str(report.title),
            organization_code="",
            organization_name=str(NATIONAL_NAME),
            period=period,
            **{key: str(value) for key, value in NATIONAL_HEADING.items()},
        )
    version = version_in_period(organization, period)
    return Dataset(
        report=report.name,
        title=str(report.title),
        organization_code=organization.code,
        organization_name=version.name,
        period=period,
        **heading_fields(version, last_day(version, period)),
    )


def with_share(rows: list[dict], total: int) -> list[dict]:
    for row in rows:
        row["share"] = ratio_percent(row["count"], total)
    return rows


def count_table(
    key: str,
    title: str,
    label_title: str,
    items: Iterable[tuple[str, int]],
    total: int,
    *,
    chart: str = "bar",
    note: str = "",
) -> Table:
    """A table label | count | share with a totals row."""
    rows = with_share([{"label": str(label), "count": n} for label, n in items], total)
    return Table(
        key=key,
        title=str(title),
        columns=[
            Column("label", str(label_title), TEXT),
            Column("count", _("Số đảng viên")),
            Column("share", _("Tỷ lệ"), PERCENT),
        ],
        rows=rows,
        totals={"label": _("Cộng"), "count": total, "share": ratio_percent(total, total)},
        chart=chart,
        note=note,
    )
