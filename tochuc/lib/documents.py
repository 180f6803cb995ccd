"""Documents in the Party's administrative layout (Hướng dẫn 36-HD/VPTW, 2018, on the form
of Party documents): the issuing organization and its superior top left with the number, the
"ĐẢNG CỘNG SẢN VIỆT NAM" line top right with place and date, the kind and title centred, the
signature block on the right and the recipients on the left.

The same layout comes as DOCX (python-docx, for staff who finish documents in Word) and as PDF
(WeasyPrint from the `documents/party_document.html` template). Nothing is fetched from the
network: WeasyPrint may read only local files.
"""

import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
# Layout, not a rule: a table with more columns than this goes on landscape pages in a
# smaller type (an 18-column table does not fit a portrait A4 page).
WIDE_TABLE_COLUMNS = 8
TABLE_SIZE = Pt(11)
WIDE_TABLE_SIZE = Pt(8)


def is_wide(columns: int) -> bool:
    return columns > WIDE_TABLE_COLUMNS


@dataclass(frozen=True)
class Heading:
    issuer_parent: str  # "ĐẢNG BỘ TỈNH LẠNG SƠN"
    issuer: str  # "ĐẢNG ỦY XÃ THIỆN TÂN"
    number: str  # "Số 12-QĐ/ĐU"
    place: str  # "Thiện Tân"
    on: date
    kind: str  # "QUYẾT ĐỊNH"
    title: str = ""  # "về việc kết nạp đảng viên"

    @property
    def dated(self) -> str:
        return f"{self.place}, {long_date(self.on)}"


def long_date(on: date) -> str:
    """'ngày 05 tháng 3 năm 2026': a zero before days under 10 and before months 1 and 2."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"ngày {on.day:02d} tháng {month} năm {on.year}"


def _run(paragraph, text, *, bold=False, italic=False, underline=False, size=BODY_SIZE):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = size
    run.font.name = FONT
    return run


def _line(cell_or_doc, text="", *, align=WD_ALIGN_PARAGRAPH.CENTER, first=False, **style):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def docx_document(heading: Heading) -> Document:
    """A new A4 document with the heading, ready for its body paragraphs."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, BODY_SIZE

    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    _line(left, heading.issuer_parent.upper(), first=True, size=HEADER_SIZE)
    _line(left, heading.issuer.upper(), bold=True, size=HEADER_SIZE)
    _line(left, "*", size=HEADER_SIZE)
    _line(left, heading.number, size=HEADER_SIZE)
    _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", first=True, bold=True, underline=True, size=Pt(15))
    _line(right)
    _line(right, heading.dated, italic=True)

    _line(document)
    _line(document, heading.kind.upper(), bold=True, size=Pt(15))
    if heading.title:
        _line(document, heading.title, bold=True)
    _line(document, "-----")
    return document


def docx_landscape(document: Document) -> None:
    """Turn the document's pages to A4 landscape (the margins stay)."""
    for section in document.sections:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)


def docx_fit_table(document: Document, table, weights: list[float]) -> None:
    """Spread the table's columns over the text width in proportion to `weights`, so that
    Word neither widens it past the margin nor squeezes one column."""
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    table.autofit = False
    total = sum(weights)
    twip = 635  # Word keeps widths in twentieths of a point (635 EMU): round down to them
    widths = [int(text_width * weight / total) // twip * twip for weight in weights]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def docx_paragraph(document: Document, text: str, *, bold=False, italic=False,
                   align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True):  # fmt: skip
    """A body paragraph: justified, first line indented, 14 pt."""
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(6)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    _run(paragraph, text, bold=bold, italic=italic)
    return paragraph


def docx_signature(document: Document, on_behalf: str, position: str, name: str) -> None:
    """The signature block on the right: 'T/M BAN THƯỜNG VỤ', 'BÍ THƯ', space, the name."""
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    _line(left, first=True)
    if on_behalf:
        _line(right, on_behalf.upper(), first=True, bold=True)
        _line(right, position.upper(), bold=True)
    else:
        _line(right, position.upper(), first=True, bold=True)
    for _ in range(3):
        _line(right)
    _line(right, name, bold=True)
    document._signature_cell = left  # recipients go beside the signature


def docx_recipients(document: Document, lines: list[str]) -> None:
    """'Nơi nhận:' and its lines, in the left cell beside the signature when there is one."""
    where = getattr(document, "_signature_cell", None) or document
    _line(where, "Nơi nhận:", align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True,
          underline=True, size=Pt(12))  # fmt: skip
    for text in lines:
        _line(where, f"- {text}", align=WD_ALIGN_PARAGRAPH.LEFT, size=Pt(12))


def docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_text(data: bytes) -> str:
    """All the text of a DOCX, paragraphs and table cells, one per line (for tests and checks)."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


LOCAL_PROTOCOLS = ("file", "data")


def pdf_bytes(html: str) -> bytes:
    """The HTML (usually `documents/party_document.html`) as an A4 PDF, without the network:
    the fetcher refuses every protocol but local files and data URIs."""
    from weasyprint import HTML  # imported late: it loads Pango
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=LOCAL_PROTOCOLS, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    from django.template.loader import render_to_string

    return pdf_bytes(render_to_string(template_name, context))
