"""The report "ratings" of the report engine (tochuc/reports/registry.py), registered from
RatingsConfig.ready(): for an organization and
a year, the members and the organizations per level, with shares of those decided."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib import paths
from tochuc.organizations.models import Organization
from tochuc.reports.dataset import PERCENT, TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import ratio_percent
from tochuc.reports.registry import ReportDefinition

from .models import LEVEL_ORDER, Level, PeriodKind, RatingSubject, SubjectKind


def _level_table(key: str, title: str, counts: dict[str, int], label_title: str) -> Table:
    decided = sum(counts.values())
    rows = [
        {"key": level, "label": str(Level(level).label), "count": counts.get(level, 0),
         "share": ratio_percent(counts.get(level, 0), decided, digits=2)}
        for level in LEVEL_ORDER
    ]  # fmt: skip
    return Table(
        key=key,
        title=title,
        columns=[
            Column("label", label_title, TEXT),
            Column("count", _("Số lượng")),
            Column("share", _("Tỷ lệ"), PERCENT),
        ],
        rows=rows,
        totals={"label": _("Cộng"), "count": decided, "share": ratio_percent(decided, decided)},
        chart="bar",
    )


def ratings_report(organization: Organization, period):
    """For an organization and a year: members and organizations per level (decided in the
    yearly sessions of that year under the organization), with shares of those decided."""
    if not period.is_period:
        raise ValidationError(_("Báo cáo này cần một năm (hoặc một khoảng thời gian)."))
    data = dataset_for(DEFINITION, organization, period)
    rows = (
        RatingSubject.objects.filter(
            paths.under("org_path", organization.path),
            session__kind=PeriodKind.YEAR,
            session__year__gte=period.start.year,
            session__year__lte=period.end.year,
        )
        .exclude(final_level="")
        .values_list("kind", "final_level")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {SubjectKind.MEMBER: {}, SubjectKind.ORGANIZATION: {}}
    for kind, level, n in rows:
        counts[kind][level] = counts[kind].get(level, 0) + n
    data.tables = [
        _level_table("members", _("Xếp loại đảng viên"), counts[SubjectKind.MEMBER], _("Mức")),
        _level_table(
            "organizations", _("Xếp loại tổ chức đảng"), counts[SubjectKind.ORGANIZATION], _("Mức")
        ),
    ]
    data.notes.append(
        _("Tỷ lệ tính trên số đã có quyết định xếp loại; các kỳ đánh giá theo năm %(y)s.")
        % {"y": period.start.year if period.start.year == period.end.year
           else f"{period.start.year}–{period.end.year}"}
    )  # fmt: skip
    return data


RATINGS_TITLE = gettext_lazy("Đánh giá, xếp loại chất lượng")
RATINGS_DESCRIPTION = gettext_lazy(
    "Số và tỷ lệ đảng viên, tổ chức đảng theo bốn mức xếp loại trong năm."
)
DEFINITION = ReportDefinition(
    "ratings", RATINGS_TITLE, ratings_report, description=RATINGS_DESCRIPTION, order=60
)
