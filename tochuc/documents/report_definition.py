"""The report "documents" of the report engine: the documents issued in a period by the
organizations of a subtree, by kind. Registered from DocumentsConfig.ready()."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib.paths import under
from tochuc.organizations.models import Organization
from tochuc.reports.dataset import TEXT, Column, Dataset, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import vn_int
from tochuc.reports.periods import Period
from tochuc.reports.registry import ReportDefinition, require_period

from . import numbers
from .models import Document


def documents_report(organization: Organization, period: Period) -> Dataset:
    require_period(period)
    data = dataset_for(DEFINITION, organization, period)
    # The engine has checked the caller's scope on `organization`: its whole subtree counts.
    counts = dict(
        Document.objects.filter(
            under("issued_by__path", organization.path),
            issued_on__gte=period.start,
            issued_on__lte=period.end,
        )
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = sum(counts.values())
    rows = [
        {"label": f"{numbers.KINDS[kind]} ({kind})", "count": counts[kind]}
        for kind in numbers.KINDS
        if counts.get(kind)
    ]
    data.tables.append(
        Table(
            "issued",
            _("Văn bản đã ban hành"),
            [Column("label", _("Loại văn bản"), TEXT), Column("count", _("Số văn bản"))],
            rows,
            totals={"label": _("Cộng"), "count": total},
        )
    )
    data.paragraphs.append(
        _("%(when)s, ban hành %(n)s văn bản.") % {"when": period.label(), "n": vn_int(total)}
    )
    return data


DEFINITION = ReportDefinition(
    "documents",
    gettext_lazy("Văn bản đã ban hành"),
    documents_report,
    description=gettext_lazy("Số văn bản các tổ chức trong đảng bộ ban hành trong kỳ, theo loại."),
    order=80,
)
