"""Writing spreadsheets safely: `write_workbook` streams rows (write-only mode) with a bold,
frozen header, column widths and dd/mm/yyyy dates; `template_workbook` is an import's
template (data sheet, lists, guide). Every string is written as a string, never as a
formula, and a string that a spreadsheet could take for a formula when edited or saved as
CSV (starting with = + - @ tab or carriage return: OWASP "CSV injection") also gets the
cell's quote prefix, the XLSX form of typing a leading apostrophe: the value stays exactly
the text, so an exported file imports back unchanged.

Reached through `tochuc.lib.xlsx`, which re-exports these names."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TEXT_FORMAT = "@"
# Thousands grouped: Excel shows 66.024 where the system's locale is Vietnamese.
INTEGER_FORMAT = "#,##0"
SHEET_TITLE_LIMIT = 31  # Excel's limit
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def percent_format(digits: int) -> str:
    """A percentage with `digits` decimals (the value is the fraction: 0.025 → 2,5%)."""
    return "0" + ("." + "0" * digits if digits > 0 else "") + "%"


def short_sheet_name(text: str) -> str:
    """A sheet name within Excel's 31 characters, shortened at a word boundary with "…"
    rather than cut in the middle of a word; without the characters Excel refuses."""
    text = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", str(text)).split())
    if len(text) <= SHEET_TITLE_LIMIT:
        return text
    cut = text[:SHEET_TITLE_LIMIT]  # one character left for "…"
    cut = cut[: cut.rfind(" ")] if " " in cut[1:] else cut[: SHEET_TITLE_LIMIT - 1]
    return cut.rstrip(" ,.;-–") + "…"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
EXAMPLE_FONT = Font(italic=True, color="555555")
# Source-language (Vietnamese) names; translated where used.
GUIDE_TITLE = gettext_noop("Hướng dẫn")
LISTS_TITLE = gettext_noop("Danh mục")


def _clean_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def put(cell, value: Any):
    """Set a cell safely: strings stay strings (quote-prefixed if formula-like), dates
    dd/mm/yyyy. Returns the cell."""
    if isinstance(value, bool):
        value = _("Có") if value else _("Không")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell.value = value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif value is None or isinstance(value, (int, float)):
        cell.value = value
    else:
        text = _clean_text(str(value))
        cell.value = text
        cell.data_type = "s"  # never "f": a string is never a formula
        if is_formula_like(text):
            cell.quotePrefix = True
    return cell


def safe_cell(sheet, value: Any, *, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, None)
    put(cell, value)
    if font is not None:
        cell.font = font
    return cell


@dataclass
class SheetData:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()
    formats: Sequence[str | None] = ()  # per column, for its numbers (INTEGER_FORMAT …)


def _number_cell(sheet, value: Any, number_format: str | None) -> WriteOnlyCell:
    cell = safe_cell(sheet, value)
    if number_format and isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


def write_workbook(sheets: Sequence[SheetData]) -> bytes:
    """Stream `sheets` into an XLSX: bold frozen header, widths, number formats, dd/mm/yyyy,
    injection-safe; sheet names shortened at a word boundary (short_sheet_name)."""
    workbook = openpyxl.Workbook(write_only=True)
    for data in sheets:
        sheet = workbook.create_sheet(short_sheet_name(data.title))
        sheet.freeze_panes = "A2"
        for index, width in enumerate(data.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([safe_cell(sheet, h, font=HEADER_FONT) for h in data.headers])
        formats = list(data.formats)
        for row in data.rows:
            sheet.append([
                _number_cell(sheet, value, formats[i] if i < len(formats) else None)
                for i, value in enumerate(row)
            ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook(
    *,
    title: str,
    sheet_title: str,
    columns: Sequence[Any],  # xlsx.Column
    example: dict[str, Any],
    notes: Sequence[str] = (),
) -> bytes:
    """A documented import template: a guide sheet, the data sheet with one example row,
    and a lists sheet feeding drop-downs for columns with allowed values."""
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = str(sheet_title)[:31]
    lists_title = _(LISTS_TITLE)
    guide = workbook.create_sheet(_(GUIDE_TITLE))
    lists = workbook.create_sheet(lists_title)

    # Data sheet: header, one example row, text format on text columns (keeps leading
    # zeros, and dates typed dd/mm/yyyy stay as typed whatever the computer's locale).
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = data.cell(row=1, column=index)
        put(header, column.header)
        header.font = HEADER_FONT
        header.fill = HEADER_FILL
        header.alignment = wrap
        data.column_dimensions[letter].width = column.width
        data.column_dimensions[letter].number_format = TEXT_FORMAT
        cell = data.cell(row=2, column=index)
        put(cell, example.get(column.key))
        cell.font = EXAMPLE_FONT
        cell.number_format = TEXT_FORMAT
    data.freeze_panes = "A2"

    # Lists sheet and drop-downs (a warning only: values are also accepted by code).
    for index, column in enumerate([c for c in columns if c.choices], start=1):
        letter = get_column_letter(index)
        put(lists.cell(row=1, column=index), column.title).font = HEADER_FONT
        for offset, choice in enumerate(column.choices, start=2):
            put(lists.cell(row=offset, column=index), choice)
        lists.column_dimensions[letter].width = max(len(c) for c in column.choices) + 4
        position = get_column_letter(list(columns).index(column) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{lists_title}'!${letter}$2:${letter}${len(column.choices) + 1}",
            allow_blank=True,
            errorStyle="warning",
            error=_("Giá trị không có trong danh mục."),
            errorTitle=str(column.title),
        )
        validation.add(f"{position}2:{position}5000")
        data.add_data_validation(validation)
    lists.freeze_panes = "A2"

    # Guide sheet.
    guide_heading = _("Mẫu nhập %(title)s") % {"title": title}
    put(guide.cell(row=1, column=1), guide_heading).font = Font(bold=True, size=14)
    line = 2
    for note in notes:
        put(guide.cell(row=line, column=1), note)
        guide.merge_cells(start_row=line, start_column=1, end_row=line, end_column=5)
        guide.cell(row=line, column=1).alignment = wrap
        guide.row_dimensions[line].height = 15 * (1 + len(note) // 110)
        line += 1
    line += 1
    for index, heading in enumerate(
        [_("Cột"), _("Bắt buộc"), _("Định dạng"), _("Giá trị cho phép"), _("Ghi chú")]
    ):
        cell = guide.cell(row=line, column=index + 1)
        put(cell, heading)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for column in columns:
        line += 1
        values = [
            column.title,
            _("Có") if column.required else _("Không"),
            column.format,
            "\n".join(str(choice) for choice in column.choices),
            column.note,
        ]
        for index, value in enumerate(values, start=1):
            cell = guide.cell(row=line, column=index)
            put(cell, value)
            cell.alignment = wrap
    for letter, width in zip("ABCDE", (28, 10, 30, 42, 60), strict=True):
        guide.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
