"""What a report definition returns: one dataset, no rendering inside.

A dataset holds tables (columns and rows of plain values: text, int, Decimal percent, or
None where a figure does not exist), the paragraphs of a narrative, and checks (a balance
that must hold, with its difference shown, never hidden). Every renderer — HTML, XLSX,
DOCX, PDF, JSON, text — reads only this.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .numbers import vn_number, vn_percent
from .periods import Period

JSON_VERSION = 1

TEXT, INT, PERCENT = "text", "int", "percent"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    type: str = INT
    empty: str = ""  # shown where the value is None (e.g. "chưa giao chỉ tiêu")

    def display(self, value: Any) -> str:
        if value is None:
            return self.empty
        if self.type == PERCENT:
            return vn_percent(value)
        if self.type == INT:
            return vn_number(value)
        return str(value)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    chart: str = ""  # "bar", "pie", "line" or "" (no chart)
    note: str = ""

    def value_rows(self) -> list[list[Any]]:
        return [[row.get(c.key) for c in self.columns] for row in self.rows]

    def display_rows(self) -> list[list[str]]:
        return [[c.display(row.get(c.key)) for c in self.columns] for row in self.rows]

    def cells(self) -> list[list[tuple[str, bool]]]:
        """Rows of (text, is_numeric) for templates: numbers align right."""
        numeric = [c.type != TEXT for c in self.columns]
        return [list(zip(line, numeric, strict=True)) for line in self.display_rows()]

    def total_cells(self) -> list[tuple[str, bool]] | None:
        totals = self.display_totals()
        if totals is None:
            return None
        return list(zip(totals, [c.type != TEXT for c in self.columns], strict=True))

    def display_totals(self) -> list[str] | None:
        if self.totals is None:
            return None
        return [c.display(self.totals.get(c.key)) for c in self.columns]

    def chart_data(self) -> dict | None:
        """Labels (first column) and the first numeric column, for Chart.js."""
        if not self.chart:
            return None
        numeric = next((c for c in self.columns if c.type == INT), None)
        if numeric is None:
            return None
        label_key = self.columns[0].key
        return {
            "type": self.chart,
            "label": numeric.title,
            "labels": [str(row.get(label_key, "")) for row in self.rows],
            "values": [row.get(numeric.key) or 0 for row in self.rows],
        }


@dataclass
class Check:
    """A balance: `expected` (computed from its parts) against `actual` (counted)."""

    key: str
    label: str
    expected: int
    actual: int
    explanation: str = ""

    @property
    def difference(self) -> int:
        return self.actual - self.expected

    @property
    def ok(self) -> bool:
        return self.difference == 0


@dataclass
class Dataset:
    report: str
    title: str
    organization_code: str
    organization_name: str
    period: Period
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # For the document layout (DOCX, PDF): the issuing organization and its place.
    issuer_parent: str = ""
    issuer: str = ""
    place: str = ""

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def as_dict(self) -> dict:
        """The JSON form, documented in docs/reports.md (version 1, kept stable)."""
        return {
            "version": JSON_VERSION,
            "report": self.report,
            "title": self.title,
            "organization": {"code": self.organization_code, "name": self.organization_name},
            "period": self.period.as_dict(),
            "tables": [
                {
                    "key": t.key,
                    "title": t.title,
                    "columns": [
                        {"key": c.key, "title": c.title, "type": c.type} for c in t.columns
                    ],
                    "rows": [_json_row(t, row) for row in t.rows],
                    "totals": (
                        {c.key: _json(t.totals.get(c.key)) for c in t.columns}
                        if t.totals is not None
                        else None
                    ),
                    "note": t.note,
                }
                for t in self.tables
            ],
            "paragraphs": list(self.paragraphs),
            "checks": [
                {
                    "key": c.key,
                    "label": c.label,
                    "expected": c.expected,
                    "actual": c.actual,
                    "difference": c.difference,
                    "ok": c.ok,
                    "explanation": c.explanation,
                }
                for c in self.checks
            ],
            "notes": list(self.notes),
        }


def _json_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row's values by column key; a row with a stable `key` (e.g. "admitted") keeps it."""
    values = {c.key: _json(row.get(c.key)) for c in table.columns}
    return {"key": row["key"], **values} if "key" in row else values


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value
