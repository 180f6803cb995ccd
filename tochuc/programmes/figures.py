"""Last month's figures for the briefing, read generically from the report registry.

Every registered report over a period (`needs_period`) is built for the organization and
the month — admissions, movement (transfers, confirmations, exits), ratings, inspections,
documents, and meetings once that app registers its report — and its narrative and tables
are kept as they came: the briefing's figures ARE the reports' figures. A report that
cannot be made for that organization and month (it did not exist then…) is left out with
its reason. A report needing more than the usual VIEW permission (`restricted`: the
cadres' staffing) is never built into it. Nothing here names a report.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tochuc.organizations.models import Organization
from tochuc.reports import registry
from tochuc.reports.dataset import INT, Dataset
from tochuc.reports.periods import Period


def extract(data: Dataset) -> dict:
    """A report's figures as the briefing keeps them: its paragraphs, and per table the
    (label, first whole-number column) of each row and of the totals."""
    tables = []
    for table in data.tables:
        numbers = [c for c in table.columns if c.type == INT]
        # The table's total column when it has one ("total", "count"), else its first number.
        number = next((c for c in numbers if c.key in ("total", "count")), None) or next(
            iter(numbers), None
        )
        if number is None:
            continue
        label = table.columns[0].key
        rows = [[str(row.get(label, "")), row.get(number.key)] for row in table.rows]
        total = table.totals.get(number.key) if table.totals else None
        tables.append({"title": table.title, "column": number.title, "rows": rows, "total": total})
    return {
        "report": data.report,
        "title": data.title,
        "paragraphs": list(data.paragraphs),
        "tables": tables,
    }


def month_figures(*, organization: Organization, period: Period) -> list[dict]:
    # One reading: what several reports count alike (the month's movement, read by the
    # movement and the summary reports) is counted once.
    with registry.one_reading():
        return _month_figures(organization=organization, period=period)


def _month_figures(*, organization: Organization, period: Period) -> list[dict]:
    figures = []
    for definition in registry.definitions():
        if not definition.needs_period or definition.restricted:
            # A briefing is read by everyone who may view the organization: a report that
            # needs more (cadre work) stays out of it.
            continue
        try:
            data = registry.build(definition.name, organization, period)
        except ValidationError as error:
            figures.append(
                {
                    "report": definition.name,
                    "title": str(definition.title),
                    "paragraphs": [],
                    "tables": [],
                    "skipped": " ".join(error.messages),
                }
            )
            continue
        figures.append(extract(data))
    return figures
