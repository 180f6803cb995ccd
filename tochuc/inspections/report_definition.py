"""The report "inspections" of the report engine (tochuc/reports/registry.py): supervision,
inspection and discipline over a period — HTML, XLSX, DOCX, PDF, JSON from one dataset.
Registered from InspectionsConfig.ready()."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.organizations.models import Organization
from tochuc.organizations.selectors import version_of
from tochuc.reports import periods
from tochuc.reports.dataset import Dataset
from tochuc.reports.heading import heading_fields
from tochuc.reports.periods import Period
from tochuc.reports.registry import ReportDefinition

from . import selectors
from .reports import sentences, tables


def inspections_report(organization: Organization, period: Period) -> Dataset:
    """Counts of the period under `organization` (a date alone: its year)."""
    if not period.is_period:
        period = periods.year(period.end.year)
    version = version_of(organization=organization, on=period.end) or (
        organization.versions.order_by("-valid_from").first()
    )
    data = Dataset(
        report="inspections",
        title=_("Kiểm tra, giám sát và thi hành kỷ luật"),
        organization_code=organization.code,
        organization_name=version.name,
        period=period,
        **heading_fields(version, min(period.end, timezone.localdate())),
    )
    # The engine has checked the caller's scope on `organization`: its whole subtree counts.
    counts = selectors.period_counts(
        scope=None, organization=organization, start=period.start, end=period.end
    )
    data.paragraphs = sentences(counts, period)
    data.tables = tables(counts)
    return data


DEFINITION = ReportDefinition(
    "inspections",
    gettext_lazy("Kiểm tra, giám sát và thi hành kỷ luật"),
    inspections_report,
    description=gettext_lazy(
        "Cấp ủy, ủy ban kiểm tra giám sát, kiểm tra bao nhiêu tổ chức đảng, đảng viên; kỷ luật "
        "theo hình thức."
    ),
    order=50,
)
