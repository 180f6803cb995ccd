"""Every renderer, read back: XLSX with openpyxl, DOCX with python-docx, PDF with pypdf,
JSON as documented in docs/reports.md, and plain text."""

import io
import json
from datetime import date

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from pypdf import PdfReader

from tochuc.lib.documents import docx_text
from tochuc.reports import periods, registry, renderers

from .fixtures import events_2026, people_2025, targets_2026

pytestmark = pytest.mark.django_db
PRINTED = date(2026, 11, 20)


@pytest.fixture
def by_child(cast):
    events_2026(cast, people_2025(cast))
    targets_2026(cast)
    return registry.build("movement_by_child", cast.commune, periods.year(2026))


@pytest.fixture
def membership(cast):
    people_2025(cast)
    return registry.build("membership", cast.commune, periods.at(date(2025, 12, 31)))


def test_xlsx_has_a_sheet_per_table_with_the_numbers_as_numbers(by_child):
    book = openpyxl.load_workbook(io.BytesIO(renderers.render(by_child, "xlsx")))
    # Shortened to Excel's 31 characters at a word boundary, not in the middle of a word.
    assert book.sheetnames == ["Thông tin", "1. Biến động đảng viên theo tổ…"]
    cover = list(book["Thông tin"].iter_rows(values_only=True))
    assert cover[0] == ("Mục", "Nội dung")
    assert cover[1] == ("Báo cáo", "Biến động đảng viên theo tổ chức trực thuộc")
    assert cover[2] == ("Tổ chức", "Đảng bộ xã Tân An (T01.X01)")
    assert cover[3] == ("Kỳ báo cáo", "Năm 2026")
    assert (
        "Kiểm tra",
        "Cân đối đầu kỳ − cuối kỳ (cộng các tổ chức trực thuộc): khớp (6).",
    ) in cover
    sheet = book["1. Biến động đảng viên theo tổ…"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Tổ chức", "Mã", "Đảng viên đầu kỳ", "Kết nạp")
    col = {title: i for i, title in enumerate(header)}
    village, school, totals = rows[1], rows[2], rows[3]
    assert village[0] == "Chi bộ thôn Nà Phái" and village[1] == "T01.X01.NAPHAI"
    assert village[col["Đảng viên đầu kỳ"]] == 4
    assert village[col["Chuyển sinh hoạt đảng chính thức đến"]] == 2
    assert village[col["Đảng viên cuối kỳ"]] == 6
    assert village[col["Đạt (%)"]] == 1  # 100%, a percentage in Excel
    assert school[col["Chỉ tiêu kết nạp"]] == "chưa giao chỉ tiêu"
    assert school[col["Chuyển sinh hoạt đảng chính thức đi"]] == 2
    assert totals[0] == "Cộng"
    assert totals[col["Đảng viên cuối kỳ"]] == 6 and totals[col["Chênh lệch"]] == 0


def test_xlsx_numbers_group_thousands_and_percentages_show_as_percentages(by_child):
    sheet = openpyxl.load_workbook(io.BytesIO(renderers.render(by_child, "xlsx")))[
        "1. Biến động đảng viên theo tổ…"
    ]
    header = [cell.value for cell in sheet[1]]
    village, totals = sheet[2], sheet[4]
    start, percent = header.index("Đảng viên đầu kỳ"), header.index("Đạt (%)")
    assert (village[start].value, village[start].number_format) == (4, "#,##0")
    assert (totals[start].value, totals[start].number_format) == (6, "#,##0")
    assert (village[percent].value, village[percent].number_format) == (1, "0%")
    assert village[0].number_format == "General"  # names are text


def test_xlsx_percentages_keep_the_decimals_of_the_report(membership):
    book = openpyxl.load_workbook(io.BytesIO(renderers.render(membership, "xlsx")))
    shares = []
    for sheet in book.worksheets[1:]:
        header = [cell.value for cell in sheet[1]]
        if "Tỷ lệ" in header:
            index = header.index("Tỷ lệ")
            shares += [row[index] for row in sheet.iter_rows(min_row=2) if row[index].value]
    assert shares and {cell.number_format for cell in shares} == {"0.0%"}
    assert all(0 < cell.value <= 1 for cell in shares)
    assert shares[-1].value == 1  # the totals row: 100,0%


def test_xlsx_of_membership_holds_the_ethnic_groups(membership):
    book = openpyxl.load_workbook(io.BytesIO(renderers.render(membership, "xlsx")))
    assert len(book.sheetnames) == 1 + len(membership.tables)
    ethnic = book[next(n for n in book.sheetnames if "dân tộc" in n)]
    rows = list(ethnic.iter_rows(values_only=True))
    assert len(rows) == 1 + 55 + 1  # header, 54 groups and "Khác", totals
    values = {r[0]: r[1] for r in rows[1:]}
    assert (values["Kinh"], values["Tày"], values["Nùng"], values["Cộng"]) == (3, 2, 1, 6)


def test_docx_is_a_party_document_with_the_tables(by_child):
    content = renderers.render(by_child, "docx", today=PRINTED)
    text = docx_text(content)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG BỘ TỈNH A" in text  # the parent of the commune
    assert "ĐẢNG ỦY XÃ TÂN AN" in text
    assert "Tân An, ngày 20 tháng 11 năm 2026" in text
    assert "BÁO CÁO" in text
    document = Document(io.BytesIO(content))
    grid = document.tables[1]  # after the heading table
    cells = [[c.text for c in row.cells] for row in grid.rows]
    header = cells[0]
    assert header[:3] == ["Tổ chức", "Mã", "Đảng viên đầu kỳ"]
    end = header.index("Đảng viên cuối kỳ")
    assert [row[0] for row in cells[1:]] == [
        "Chi bộ thôn Nà Phái", "Đảng bộ Trường THPT Tân An", "Cộng",
    ]  # fmt: skip
    assert [row[end] for row in cells[1:]] == ["6", "0", "6"]
    assert cells[2][header.index("Chỉ tiêu kết nạp")] == "chưa giao chỉ tiêu"
    assert cells[1][header.index("Đạt (%)")] == "100%"


def test_docx_sets_a_wide_table_on_landscape_pages_within_the_margins(by_child, membership):
    document = Document(io.BytesIO(renderers.render(by_child, "docx", today=PRINTED)))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    grid = document.tables[1]
    assert len(grid.columns) == 18
    text_width = section.page_width - section.left_margin - section.right_margin
    widths = [column.width for column in grid.columns]
    assert sum(widths) <= text_width and min(widths) > 0
    assert widths[0] > widths[2]  # the names get more room than the numbers
    sizes = {run.font.size.pt for cell in grid.rows[1].cells for run in cell.paragraphs[0].runs}
    assert sizes == {8.0}
    # A report of narrow tables stays portrait.
    narrow = Document(io.BytesIO(renderers.render(membership, "docx", today=PRINTED)))
    assert narrow.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert narrow.sections[0].page_width < narrow.sections[0].page_height


def _text_positions(page) -> list[tuple[float, str]]:
    found = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def test_pdf_sets_a_wide_table_on_landscape_pages_and_shows_every_column(by_child, membership):
    reader = PdfReader(io.BytesIO(renderers.render(by_child, "pdf", today=PRINTED)))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    positions = _text_positions(page)
    assert max(x for x, _text in positions) < width - 30  # nothing runs off the right edge
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for title in ("Chỉ tiêu kết nạp", "Đạt (%)", "Đảng viên cuối kỳ", "Chênh lệch"):
        assert all(word in text for word in title.split())
    assert "100%" in text
    narrow = PdfReader(io.BytesIO(renderers.render(membership, "pdf", today=PRINTED)))
    assert round(float(narrow.pages[0].mediabox.width)) == 595  # portrait


def test_pdf_turned_to_text_shows_the_heading_and_the_figures(cast):
    events_2026(cast, people_2025(cast))
    targets_2026(cast)
    data = registry.build("summary", cast.commune, periods.year(2026))
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(renderers.render(data, "pdf"))).pages
    )
    text = " ".join(text.split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG ỦY XÃ TÂN AN" in text
    assert "kết nạp 1 đảng viên (đạt 50% chỉ tiêu), nâng tổng số đảng viên lên 6 đồng chí" in text
    assert "Đảng viên đầu kỳ 6" in text
    assert "Xóa tên 1" in text


def test_json_is_the_documented_format(by_child):
    payload = json.loads(renderers.render(by_child, "json"))
    assert payload["version"] == 1
    assert payload["report"] == "movement_by_child"
    assert payload["organization"] == {"code": "T01.X01", "name": "Đảng bộ xã Tân An"}
    assert payload["period"] == {
        "kind": "year", "start": "2026-01-01", "end": "2026-12-31", "label": "Năm 2026",
    }  # fmt: skip
    table = payload["tables"][0]
    assert table["key"] == "by_child"
    assert {"key": "target", "title": "Chỉ tiêu kết nạp", "type": "int"} in table["columns"]
    village, school = table["rows"]
    assert (village["code"], village["start"], village["end"], village["percent"]) == (
        "T01.X01.NAPHAI", 4, 6, 100.0,
    )  # fmt: skip
    assert school["target"] is None and school["percent"] is None
    assert table["totals"]["end"] == 6
    assert payload["checks"][0]["difference"] == 0 and payload["checks"][0]["ok"] is True


def test_text_aligns_the_table_and_states_the_balance(by_child):
    text = renderers.render(by_child, "text").decode()
    lines = text.splitlines()
    assert lines[0] == "BIẾN ĐỘNG ĐẢNG VIÊN THEO TỔ CHỨC TRỰC THUỘC"
    assert lines[1] == "Đảng bộ xã Tân An (T01.X01) — Năm 2026"
    village = next(line for line in lines if line.startswith("Chi bộ thôn Nà Phái"))
    assert village.split()[-3:] == ["100%", "6", "0"]
    assert "Cân đối đầu kỳ − cuối kỳ (cộng các tổ chức trực thuộc): khớp (6)." in lines
