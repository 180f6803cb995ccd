"""The report registry: every report is a definition that its own app registers from its
`AppConfig.ready()`; the engine (views, forms, the `tochuc report` command) lists and builds
them from here and imports no domain app.

    # tochuc/<app>/apps.py
    def ready(self):
        from tochuc.reports import registry
        from .reports import my_report
        registry.register(registry.ReportDefinition("my_report", TITLE, my_report, ...))

A definition's `build(organization, period)` returns a `Dataset` (reports/dataset.py); start
it with `reports.heading.dataset_for(definition, organization, period)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from tochuc.accounts.access import refuse
from tochuc.accounts.permissions import VIEW
from tochuc.core.routers import reading_reports
from tochuc.organizations.models import Organization

from .dataset import Dataset
from .periods import Period


@dataclass(frozen=True)
class ReportDefinition:
    name: str  # the key in URLs and files (bao_cao=…)
    title: Any  # str or lazy str
    build: Callable[[Organization | None, Period], Dataset]
    needs_period: bool = True  # False: at a date
    description: Any = ""
    national: bool = False  # also for the whole country (organization None)
    order: int = 100  # place in the picker
    # When a balance check is off: (scope, organization, period) → the members who make it
    # differ (see reports/templates/reports/_unbalanced.html), or None.
    drilldown: Callable[..., dict | None] | None = None
    # The permission needed, where the report is made, to see it at all (on the page, in its
    # downloads, in the API): the usual VIEW by default. A concealed permission (cadre work,
    # accounts.permissions.CONCEALED) answers 404 to whoever lacks it; a report needing
    # more than VIEW is never built into a document that VIEW alone reads (the briefing).
    permission: str = VIEW

    @property
    def restricted(self) -> bool:
        """Needs more than the usual VIEW permission."""
        return self.permission != VIEW


_REPORTS: dict[str, ReportDefinition] = {}


def register(definition: ReportDefinition) -> ReportDefinition:
    """Add a report (from an app's ready()); the same definition twice is harmless, another
    one under a taken name is a configuration error."""
    known = _REPORTS.get(definition.name)
    if known is not None and known != definition:
        raise ImproperlyConfigured(f"Report {definition.name!r} is registered twice.")
    _REPORTS[definition.name] = definition
    return definition


def unregister(name: str) -> None:
    """For tests that register a report of their own."""
    _REPORTS.pop(name, None)


def definitions() -> list[ReportDefinition]:
    """Every registered report, in picker order."""
    return sorted(_REPORTS.values(), key=lambda d: (d.order, d.name))


def definitions_for(permissions) -> list[ReportDefinition]:
    """The reports a caller holding `permissions` (a set, where the report is made) may see."""
    return [d for d in definitions() if d.permission in permissions]


def visible(name: str, *, scope, organization: Organization | None) -> ReportDefinition:
    """The report `name` when the caller (`scope`) may see it at `organization` (None: the
    whole country); otherwise the refusal of the gate (404 for a concealed permission, as
    for a report that does not exist)."""
    report = _REPORTS.get(name)
    if report is None:
        raise Http404
    if report.permission not in scope.permissions_for(organization):
        raise refuse(report.permission)
    return report


def names() -> list[str]:
    return [d.name for d in definitions()]


def get(name: str) -> ReportDefinition | None:
    return _REPORTS.get(name)


def build(name: str, organization: Organization | None, period: Period) -> Dataset:
    """The report `name` for `organization`, or for the whole country when it is None (only
    a report declared `national`)."""
    report = _REPORTS.get(name)
    if report is None:
        raise ValidationError(_("Không có báo cáo “%(name)s”.") % {"name": name})
    if organization is None and not report.national:
        raise ValidationError(not_national_message(report))
    with reading_reports():  # on the reports replica when one is configured (core/routers.py)
        return report.build(organization, period)


def not_national_message(report: ReportDefinition) -> str:
    return _("Báo cáo “%(title)s” chỉ lập cho từng tổ chức, không lập cho toàn quốc.") % {
        "title": report.title
    }


def require_period(period: Period) -> None:
    """For a report over a period: a date alone is refused, in Vietnamese."""
    if not period.is_period:
        raise ValidationError(_("Báo cáo này cần một khoảng thời gian (năm, quý hoặc từ… đến…)."))


# Contexts an app registers so that reports built together (a briefing) share their work:
# the statistics app's reading (each date's freshness, each period's movement, once).
_READINGS: list[Callable[[], AbstractContextManager]] = []


def register_reading(factory: Callable[[], AbstractContextManager]) -> None:
    if factory not in _READINGS:
        _READINGS.append(factory)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within this block the reports built share the registered readings."""
    with ExitStack() as stack:
        for factory in _READINGS:
            stack.enter_context(factory())
        yield
