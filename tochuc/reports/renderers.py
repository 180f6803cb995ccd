"""Renderers: a dataset in, bytes out. One computation, many forms.

XLSX through the injection-safe writer (lib/xlsx.py), one sheet per table; DOCX and PDF in
the Party's administrative layout (lib/documents.py); JSON as documented in
docs/reports.md; plain text for the terminal. The HTML page is a template
(reports/_dataset.html) over the same dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.pages import DOCX_TYPE, PDF_TYPE, XLSX_TYPE
from tochuc.lib import documents, xlsx
from tochuc.lib.dates import vn_date

from .dataset import INT, PERCENT, TEXT, Dataset, Table
from .numbers import vn_int


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    content_type: str


FORMATS = {
    f.key: f
    for f in (
        Format("xlsx", "Excel (.xlsx)", "xlsx",
               XLSX_TYPE),
        Format("docx", "Word (.docx)", "docx",
               DOCX_TYPE),
        Format("pdf", "PDF", "pdf", PDF_TYPE),
        Format("json", "JSON", "json", "application/json"),
        Format("text", gettext_lazy("Văn bản (.txt)"), "txt", "text/plain; charset=utf-8"),
    )
}  # fmt: skip


def filename(data: Dataset, fmt: str) -> str:
    code = data.organization_code or "toan-quoc"
    return f"bao-cao-{data.report}-{code}-{data.period.end:%Y-%m-%d}." + FORMATS[fmt].extension


def _named(data: Dataset) -> str:
    """ "Đảng bộ xã Tân An (T01.X01)"; the whole system has no code: "Toàn quốc"."""
    if not data.organization_code:
        return data.organization_name
    return f"{data.organization_name} ({data.organization_code})"


def render(data: Dataset, fmt: str, *, today: date | None = None) -> bytes:
    return RENDERERS[fmt](data, today=today or timezone.localdate())


# ---------------------------------------------------------------- JSON and text


def to_json(data: Dataset, **_kwargs) -> bytes:
    return json.dumps(data.as_dict(), ensure_ascii=False, indent=2).encode()


def _heading_lines(data: Dataset) -> list[str]:
    return [
        data.title.upper(),
        f"{_named(data)} — {data.period.label()}",
    ]


def table_text(table: Table) -> list[str]:
    """A table with aligned columns: text left, numbers right."""
    header = [c.title for c in table.columns]
    body = table.display_rows()
    totals = table.display_totals()
    lines_ = [header, *body, *([totals] if totals else [])]
    widths = [max(len(line[i]) for line in lines_) for i in range(len(header))]

    def fmt(line):
        cells = []
        for i, (column, value) in enumerate(zip(table.columns, line, strict=True)):
            numeric = column.type in (INT, PERCENT)
            cells.append(value.rjust(widths[i]) if numeric else value.ljust(widths[i]))
        return "  ".join(cells).rstrip()

    rule = "-" * len(fmt(header))
    out = [table.title, rule, fmt(header), rule, *(fmt(line) for line in body)]
    if totals:
        out += [rule, fmt(totals)]
    if table.note:
        out.append(table.note)
    return out


def check_lines(data: Dataset) -> list[str]:
    lines_ = []
    for check in data.checks:
        if check.ok:
            lines_.append(
                _("%(label)s: khớp (%(actual)s).")
                % {"label": check.label, "actual": vn_int(check.actual)}
            )
        else:
            lines_.append(
                _("%(label)s: KHÔNG KHỚP — tính được %(expected)s, đếm được %(actual)s, chênh "
                  "lệch %(difference)s.")
                % {"label": check.label, "expected": vn_int(check.expected),
                   "actual": vn_int(check.actual), "difference": vn_int(check.difference)}
            )  # fmt: skip
    return lines_


def to_text(data: Dataset, **_kwargs) -> bytes:
    out = [*_heading_lines(data), ""]
    for paragraph in data.paragraphs:
        out += [paragraph, ""]
    for table in data.tables:
        out += [*table_text(table), ""]
    out += check_lines(data)
    out += data.notes
    return ("\n".join(out).rstrip() + "\n").encode()


# ---------------------------------------------------------------- XLSX


def to_xlsx(data: Dataset, **_kwargs) -> bytes:
    """One sheet per table (numbers as numbers, percentages as numbers), and a first sheet
    with the title, the period, the paragraphs and the checks."""
    cover = [
        [_("Báo cáo"), data.title],
        [_("Tổ chức"), _named(data)],
        [_("Kỳ báo cáo"), data.period.label()],
        *[[_("Tóm tắt") if i == 0 else "", p] for i, p in enumerate(data.paragraphs)],
        *[[_("Kiểm tra"), line] for line in check_lines(data)],
    ]
    sheets = [xlsx.SheetData(_("Thông tin"), [_("Mục"), _("Nội dung")], cover, (18, 100))]
    for index, table in enumerate(data.tables, start=1):
        # The number keeps the names apart once shortened (lib/xlsx.short_sheet_name).
        title = f"{index}. {table.title}"
        rows = [*table.value_rows()]
        if table.totals is not None:
            rows.append([table.totals.get(c.key) for c in table.columns])
        formats = [_number_format(c, [row[i] for row in rows]) for i, c in enumerate(table.columns)]
        rows = [[_cell(c, v) for c, v in zip(table.columns, row, strict=True)] for row in rows]
        widths = [40 if c.type not in (INT, PERCENT) else 14 for c in table.columns]
        sheets.append(
            xlsx.SheetData(title, [c.title for c in table.columns], rows, widths, formats)
        )
    return xlsx.write_workbook(sheets)


def _number_format(column, values) -> str | None:
    """Integers with grouped thousands; percentages as percentages with the decimals the
    report rounded them to."""
    if column.type == INT:
        return xlsx.INTEGER_FORMAT
    if column.type == PERCENT:
        exponents = [Decimal(str(v)).as_tuple().exponent for v in values if v is not None]
        return xlsx.percent_format(max([-e for e in exponents if isinstance(e, int)] or [0]))
    return None


def _cell(column, value):
    if value is None:
        return column.empty or None
    if column.type == PERCENT:
        return float(Decimal(str(value)) / 100)  # a fraction, shown by its percent format
    return value


# ---------------------------------------------------------------- DOCX and PDF


def heading(data: Dataset, today: date) -> documents.Heading:
    return documents.Heading(
        issuer_parent=data.issuer_parent,
        issuer=data.issuer,
        number=_("Số      -BC"),
        place=data.place,
        on=today,
        kind=_("BÁO CÁO"),
        title=f"{data.title} ({data.period.label()})",
    )


def _docx_table(document, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    wide = documents.is_wide(len(table.columns))
    size = documents.WIDE_TABLE_SIZE if wide else documents.TABLE_SIZE
    documents.docx_paragraph(document, table.title, bold=True, indent=False)
    rows = table.display_rows()
    totals = table.display_totals()
    grid = document.add_table(rows=1 + len(rows) + (1 if totals else 0), cols=len(table.columns))
    grid.style = "Table Grid"
    for r, values in enumerate(
        [[c.title for c in table.columns], *rows, *([totals] if totals else [])]
    ):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = size
            run.bold = r == 0 or (totals is not None and r == len(rows) + 1)
            if r and table.columns[c].type in (INT, PERCENT):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    documents.docx_fit_table(document, grid, _column_weights(table))
    if table.note:
        documents.docx_paragraph(document, table.note, italic=True, indent=False)


def _column_weights(table: Table) -> list[float]:
    """Names take the room they need; numbers share the rest evenly."""
    return [3.0 if c.key == "label" else 1.5 if c.type == TEXT else 1.0 for c in table.columns]


def _percent_widths(table: Table) -> list[str] | None:
    if not documents.is_wide(len(table.columns)):
        return None
    weights = _column_weights(table)
    return [f"{100 * weight / sum(weights):.2f}" for weight in weights]


def is_wide(data: Dataset) -> bool:
    """A report with a table too wide for a portrait page is set on landscape pages."""
    return any(documents.is_wide(len(table.columns)) for table in data.tables)


def to_docx(data: Dataset, *, today: date) -> bytes:
    document = documents.docx_document(heading(data, today))
    if is_wide(data):
        documents.docx_landscape(document)
    documents.docx_paragraph(
        document,
        _("Tổ chức: %(name)s. Kỳ báo cáo: %(period)s.")
        % {"name": data.organization_name, "period": data.period.label()},
        italic=True,
    )
    for paragraph in data.paragraphs:
        documents.docx_paragraph(document, paragraph)
    for table in data.tables:
        _docx_table(document, table)
    for line in check_lines(data):
        documents.docx_paragraph(document, line, italic=True)
    documents.docx_signature(document, _("T/M cấp ủy"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Cấp ủy cấp trên (để báo cáo)"), _("Lưu văn phòng.")])
    return documents.docx_bytes(document)


def to_pdf(data: Dataset, *, today: date) -> bytes:
    html = render_to_string(
        "reports/document.html",
        {
            "heading": heading(data, today),
            "data": data,
            "checks": check_lines(data),
            "signature": {"on_behalf": _("T/M cấp ủy"), "position": _("Bí thư"), "name": ""},
            "recipients": [_("Cấp ủy cấp trên (để báo cáo)"), _("Lưu văn phòng.")],
            "printed": vn_date(today),
            "landscape": is_wide(data),
            # A wide table's column widths in percent (its layout is fixed, see the template).
            "tables": [(table, _percent_widths(table)) for table in data.tables],
        },
    )
    return documents.pdf_bytes(html)


RENDERERS = {"xlsx": to_xlsx, "docx": to_docx, "pdf": to_pdf, "json": to_json, "text": to_text}
