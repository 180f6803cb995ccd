"""Small workbooks (a few KB) that ask a reader for a huge grid: calamine sizes its grid from
the used cells (32 bytes a cell), so one far cell is enough. Each holds a header row naming
`headers` and one good data row, then the hostile part."""

import io
import zipfile
from xml.sax.saxutils import escape

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def workbook(headers, row, hostile_rows: str = "", dimension: str = "") -> bytes:
    """A real package (openpyxl's) whose sheet is replaced by the header, `row`, then
    `hostile_rows` (raw <row> XML), with `dimension` declared when given."""
    book = openpyxl.Workbook()
    book.active.title = "Dữ liệu"
    buffer = io.BytesIO()
    book.save(buffer)
    letters = [openpyxl.utils.get_column_letter(n) for n in range(1, len(headers) + 1)]
    first = "".join(_cell(f"{c}1", str(h)) for c, h in zip(letters, headers, strict=True))
    second = "".join(_cell(f"{c}2", str(v)) for c, v in zip(letters, row, strict=True) if v)
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{declared}<sheetData><row r="1">{first}</row><row r="2">{second}</row>'
        f"{hostile_rows}</sheetData></worksheet>"
    )
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet.encode() if info.filename == SHEET else source.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def far_corner(headers, row) -> bytes:
    """One cell at XFD1048576, Excel's last: a grid of 17 billion cells (512 GB)."""
    return workbook(headers, row, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def az600000(headers, row) -> bytes:
    """One cell at AZ600000: 31 million cells (a gigabyte)."""
    return workbook(headers, row, '<row r="600000"><c r="AZ600000"><v>1</v></c></row>')


def implicit_far_cell(headers, row) -> bytes:
    """A cell without a reference in a far row: its position follows the row's."""
    return workbook(headers, row, '<row r="900000"><c t="inlineStr"><is><t>x</t></is></c></row>')


def repeated_reference(headers, row) -> bytes:
    """A cell naming its place twice (calamine takes the last, XFD1048576): not well-formed."""
    return workbook(headers, row, '<row r="3"><c r="A3" r="XFD1048576"><v>1</v></c></row>')


def declared_everything(headers, row) -> bytes:
    """A <dimension> of A1:XFD1048576 over two real rows: the declaration must not count."""
    return workbook(headers, row, dimension="A1:XFD1048576")


def sparse_three_million_rows(headers, row) -> bytes:
    """A cell every 100 rows down to row 3,000,000 (beyond Excel's own last row)."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(100, 3_000_001, 100)
    )
    return workbook(headers, row, rows)


FAR_ROW = "quá xa so với giới hạn"
REFUSED = {  # file → what the refusal says (a Vietnamese message naming the cell)
    far_corner: "có dữ liệu ở cột XFD (ô XFD1048576), ngoài",
    az600000: "có dữ liệu ở dòng 600.000 (ô AZ600000), " + FAR_ROW,
    implicit_far_cell: "có dữ liệu ở dòng 900.000 (ô A900000), " + FAR_ROW,
    sparse_three_million_rows: "có dữ liệu ở dòng 101.100 (ô A101100), " + FAR_ROW,
}
