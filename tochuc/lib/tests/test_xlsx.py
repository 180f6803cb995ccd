import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from tochuc.lib import xlsx
from tochuc.lib.tests import hostile

COLUMNS = [
    xlsx.Column("code", "Mã tổ chức", required=True),
    xlsx.Column("name", "Tên tổ chức", required=True),
    xlsx.Column("founded_on", "Ngày thành lập", is_date=True),
]
LIMITS = xlsx.Limits(
    max_bytes=5 * xlsx.MB, max_uncompressed=50 * xlsx.MB, max_ratio=100, max_rows=100
)


def workbook(rows, title="Dữ liệu") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(content: bytes, member: str, change) -> bytes:
    """The same package with one member's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = change(data.decode()).encode()
            target.writestr(info.filename, data)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the file reached openpyxl")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", refuse)


# ---------------------------------------------------------------- reading


def test_it_finds_columns_by_title_ignoring_case_accents_marks_and_notes():
    content = workbook(
        [
            ["ghi chú", "TEN TO CHUC *", "Ma to chuc", "Ngày thành lập* (dd/mm/yyyy)"],
            ["x", "Chi bộ thôn Nà Phái", "T01.X01.NAPHAI", "01/07/2025"],
            [None, None, None, None],
            [None, "  Chi bộ Tổ Toán ", 42.0, datetime(2025, 7, 1)],
        ]
    )
    table = xlsx.read_table(content, COLUMNS, limits=LIMITS)
    assert table.ignored_headers == ["ghi chú"]
    assert [row.number for row in table.rows] == [2, 4]
    first, second = table.rows
    assert first.values == {
        "code": "T01.X01.NAPHAI",
        "name": "Chi bộ thôn Nà Phái",
        "founded_on": "01/07/2025",
    }
    assert second.text("code") == "42"
    assert second.text("name") == "Chi bộ Tổ Toán"
    assert xlsx.cell_date(second.values["founded_on"]) == date(2025, 7, 1)


def test_it_names_the_missing_required_columns():
    content = workbook([["Mã tổ chức", "Ngày thành lập"], ["T01", "01/01/1950"]])
    with pytest.raises(xlsx.SpreadsheetError) as refused:
        xlsx.read_table(content, COLUMNS, limits=LIMITS)
    assert "thiếu “Tên tổ chức”" in refused.value.messages[0]


def test_it_prefers_the_named_data_sheet_and_skips_the_guide():
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Mã tổ chức", "Tên tổ chức"])
    other = book.create_sheet("Khác")
    other.append(["Mã tổ chức", "Tên tổ chức"])
    other.append(["SAI", "Trang khác"])
    data = book.create_sheet("Tổ chức")
    data.append(["Mã tổ chức", "Tên tổ chức"])
    data.append(["T01", "Đảng bộ tỉnh A"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = xlsx.read_table(buffer.getvalue(), COLUMNS, sheet_title="to chuc", limits=LIMITS)
    assert table.sheet == "Tổ chức"
    assert [row.text("code") for row in table.rows] == ["T01"]


def test_it_reads_every_row_even_when_the_file_lies_about_its_dimension():
    content = workbook([["Mã tổ chức", "Tên tổ chức"], ["A", "Một"], ["B", "Hai"], ["C", "Ba"]])
    lying = rewritten(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace('<dimension ref="A1:B4"', '<dimension ref="A1:A1"'),
    )
    assert lying != content
    table = xlsx.read_table(lying, COLUMNS, limits=LIMITS)
    assert [row.text("code") for row in table.rows] == ["A", "B", "C"]


def test_it_refuses_more_rows_than_the_limit():
    rows = [["Mã tổ chức", "Tên tổ chức"]] + [[f"M{i}", f"Tổ chức {i}"] for i in range(11)]
    limits = xlsx.Limits.from_settings(max_rows=10)
    with pytest.raises(xlsx.SpreadsheetError) as refused:
        xlsx.read_table(workbook(rows), COLUMNS, limits=limits)
    assert refused.value.messages == ["Tệp có hơn 10 dòng dữ liệu; hãy chia thành nhiều tệp."]
    assert len(xlsx.read_table(workbook(rows[:11]), COLUMNS, limits=limits).rows) == 10


def test_cell_dates_are_real_dates_or_dd_mm_yyyy_text():
    assert xlsx.cell_date(datetime(2025, 7, 1, 0, 0)) == date(2025, 7, 1)
    assert xlsx.cell_date("1/7/2025") == date(2025, 7, 1)
    assert xlsx.cell_date(None) is None
    for bad in ("31/02/2025", "tháng 7", 45839):
        with pytest.raises(ValueError, match="không phải ngày hợp lệ"):
            xlsx.cell_date(bad)


# ---------------------------------------------------------------- refused before parsing


def test_an_oversized_file_is_refused_before_parsing(openpyxl_must_not_run, settings):
    settings.TOCHUC_IMPORT_MAX_BYTES = 2 * xlsx.MB
    content = b"PK" + b"\0" * (3 * xlsx.MB)
    with pytest.raises(xlsx.SpreadsheetError) as refused:
        xlsx.read_table(content, COLUMNS)
    assert refused.value.messages == ["Tệp quá lớn (3 MB), tối đa 2 MB."]


def test_a_file_that_is_not_a_zip_is_refused_before_parsing(openpyxl_must_not_run):
    for content in (b"Ma to chuc;Ten\nT01;Tinh A\n", b"PK\x03\x04 but not really a zip"):
        with pytest.raises(xlsx.SpreadsheetError) as refused:
            xlsx.read_table(content, COLUMNS, limits=LIMITS)
        assert refused.value.messages == ["Tệp không phải định dạng Excel .xlsx."]


def test_a_zip_that_is_not_a_workbook_is_refused(openpyxl_must_not_run):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(xlsx.SpreadsheetError, match="không phải định dạng Excel"):
        xlsx.read_table(buffer.getvalue(), COLUMNS, limits=LIMITS)


def test_an_old_xls_file_gets_its_own_explanation(openpyxl_must_not_run):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000
    with pytest.raises(xlsx.SpreadsheetError, match=r"Excel cũ \(.xls\)"):
        xlsx.read_table(content, COLUMNS, limits=LIMITS)


def bomb(size: int) -> bytes:
    """A workbook package whose sheet inflates from a few kilobytes to `size` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_before_parsing(openpyxl_must_not_run):
    content = bomb(40 * xlsx.MB)
    assert len(content) < 100_000
    with pytest.raises(xlsx.SpreadsheetError, match="bom nén"):
        xlsx.read_table(content, COLUMNS, limits=LIMITS)


def test_too_much_data_once_inflated_is_refused_before_parsing(openpyxl_must_not_run):
    limits = xlsx.Limits.from_settings(max_uncompressed=10 * xlsx.MB, max_ratio=10_000)
    with pytest.raises(xlsx.SpreadsheetError, match=r"quá lớn khi giải nén \(20 MB\)"):
        xlsx.read_table(bomb(20 * xlsx.MB), COLUMNS, limits=limits)


def test_openpyxl_never_expands_entities_either():
    """Uploads are read by calamine; openpyxl (writing, and reading in tests) is safe too."""
    import defusedxml.ElementTree
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse is defusedxml.ElementTree.iterparse
    laughs = (  # lxml, which python-docx brings, parses with resolve_entities=False
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><r>&lol2;</r>'
    )
    assert "lollol" not in (functions.tostring(functions.fromstring(laughs)).decode())


def test_an_entity_expansion_in_the_file_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    content = workbook([["Mã tổ chức", "Tên tổ chức"], ["T01", "&lol2;"]])
    poisoned = rewritten(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: laughs + xml.replace("&amp;lol2;", "&lol2;"),
    )
    with pytest.raises(xlsx.SpreadsheetError, match="Không đọc được tệp Excel") as refused:
        xlsx.read_table(poisoned, COLUMNS, limits=LIMITS)
    # The sheet scan refuses the DTD before calamine sees the sheet (calamine's own reader
    # would refuse its entities too).
    assert "lol" not in " ".join(refused.value.messages)


# ---------------------------------------------------------------- writing


def read_back(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_formula_like_text_is_written_as_quoted_text_never_as_a_formula():
    dangerous = ["=1+2", '=HYPERLINK("http://x")', "+84 912", "-5", "@SUM(A1)", "\tx", "\rx"]
    content = xlsx.write_workbook(
        [xlsx.SheetData("Dữ liệu", ["Giá trị"], [[text] for text in dangerous])]
    )
    sheet = read_back(content)
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == dangerous
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.quotePrefix for cell in cells)
    raw = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in raw and "<f " not in raw


def test_ordinary_text_numbers_and_dates_are_written_plainly():
    content = xlsx.write_workbook(
        [
            xlsx.SheetData(
                "Dữ liệu",
                ["Tên", "Số", "Ngày"],
                [["Chi bộ Tổ Toán", 12, date(2025, 7, 1)], ["Có\x00ký tự lạ", None, None]],
                widths=[30, 8, 14],
            )
        ]
    )
    sheet = read_back(content)
    name, number, day = sheet[2]
    assert (name.value, name.data_type, name.quotePrefix) == ("Chi bộ Tổ Toán", "s", False)
    assert (number.value, number.data_type) == (12, "n")
    assert day.value == datetime(2025, 7, 1) and day.number_format == "DD/MM/YYYY"
    assert sheet["A3"].value == "Cóký tự lạ"
    assert sheet["A1"].font.b is True
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30


def test_the_template_documents_every_column_and_holds_one_example_row():
    content = xlsx.template_workbook(
        title="thử",
        sheet_title="Dữ liệu",
        columns=[*COLUMNS, xlsx.Column("kind", "Loại", choices=("Chi bộ", "Đảng bộ"))],
        example={"code": "=T01", "name": "Tỉnh A", "founded_on": "01/01/1950"},
        notes=["Dòng 2 là ví dụ."],
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]
    data = book["Dữ liệu"]
    assert [c.value for c in data[1]] == ["Mã tổ chức*", "Tên tổ chức*", "Ngày thành lập", "Loại"]
    assert [c.value for c in data[2]][:3] == ["=T01", "Tỉnh A", "01/01/1950"]
    assert data["A2"].data_type == "s"
    assert data.data_validations.dataValidation[0].formula1 == "'Danh mục'!$A$2:$A$3"
    guide = [list(row) for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert ["Mã tổ chức", "Có", "Văn bản", None, None] in guide
    assert ["Loại", "Không", "Văn bản", "Chi bộ\nĐảng bộ", None] in guide


def test_sheet_titles_are_shortened_at_a_word_boundary():
    from tochuc.lib.xlsx import short_sheet_name as sheet_title

    assert sheet_title("Đảng viên") == "Đảng viên"
    short = sheet_title("3. Tổ chức cơ sở đảng theo loại hình")
    assert short == "3. Tổ chức cơ sở đảng theo…" and len(short) <= 31
    assert sheet_title("Báo cáo: quý 1/2026 [tạm]") == "Báo cáo quý 1 2026 tạm"
    assert len(sheet_title("x" * 40)) == 31


# ---------------------------------------------------------------- grids of billions of cells

MEMORY_CHECK = r"""
import json, resource, sys
import django
django.setup()
from tochuc.lib import xlsx
from tochuc.lib.tests import hostile
from tochuc.lib.tests import hostile
from tochuc.lib.tests.test_xlsx import COLUMNS

def used():
    for line in open("/proc/self/status"):
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
headers, row = ["Mã tổ chức", "Tên tổ chức"], ["T01", "Chi bộ 1"]
files = {name: getattr(hostile, name)(headers, row) for name in sys.argv[2:]}
ceiling = used() + int(sys.argv[1]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
for name, content in files.items():
    try:
        table = xlsx.read_table(content, COLUMNS)
        print(json.dumps([name, "read", len(table.rows)]), flush=True)
    except xlsx.SpreadsheetError as error:
        print(json.dumps([name, "refused", " ".join(error.messages)]), flush=True)
"""


def test_far_cells_are_refused_while_streaming_within_a_memory_ceiling():
    """In a process whose address space may grow by 200 MB at most (setrlimit): before the
    sheet scan, the first file aborted the process (a 512 GB allocation)."""
    import json
    import os
    import subprocess
    import sys

    from tochuc.lib.tests import hostile

    names = [f.__name__ for f in (*hostile.REFUSED, hostile.repeated_reference,
                                   hostile.declared_everything)]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tochuc.settings", "TOCHUC_TESTING": "1"}
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHECK, "200", *names],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    results = {name: (how, what) for name, how, what in map(json.loads, done.stdout.splitlines())}
    for make, message in hostile.REFUSED.items():
        how, what = results[make.__name__]
        assert how == "refused" and message in what, (make.__name__, what)
        assert what.startswith("Trang “Dữ liệu” có dữ liệu ở "), what
    assert results["repeated_reference"] == ("refused", xlsx._(xlsx.UNREADABLE))
    assert results["declared_everything"] == ("read", 1)


def test_a_grid_too_wide_for_its_rows_is_refused():
    wide = hostile.workbook(
        ["Mã tổ chức", "Tên tổ chức"], ["T01", "Chi bộ 1"],
        '<row r="5000"><c r="GR5000"><v>1</v></c></row>',
    )  # fmt: skip
    with pytest.raises(xlsx.SpreadsheetError) as refused:
        xlsx.read_table(wide, COLUMNS, limits=xlsx.Limits.from_settings(max_cells=100_000))
    assert refused.value.messages == [
        "Vùng dữ liệu của trang “Dữ liệu” quá rộng (5.000 dòng × 200 cột, ô xa nhất GR5000); "
        "hãy xóa các ô thừa ở xa vùng dữ liệu hoặc chia thành nhiều tệp."
    ]


def test_an_empty_formatted_cell_far_away_is_no_data():
    styled = hostile.workbook(
        ["Mã tổ chức", "Tên tổ chức"], ["T01", "Chi bộ 1"],
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>',
    )  # fmt: skip
    assert [r.values["code"] for r in xlsx.read_table(styled, COLUMNS).rows] == ["T01"]


# ---------------------------------------------------------------- the plain sheet's quick check

HEADERS, GOOD_ROW = ["Mã tổ chức", "Tên tổ chức"], ["T01", "Chi bộ 1"]


@pytest.fixture
def full_scan_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the sheet was scanned cell by cell")

    monkeypatch.setattr(xlsx, "_SheetScan", refuse)


def plain_rows(count: int) -> str:
    """`count` data rows as Excel saves them: every cell names its place."""
    return "".join(
        f'<row r="{n}"><c r="A{n}" t="n"><v>{n}</v></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>Chi bộ {n}</t></is></c><c r="C{n}"/></row>'
        for n in range(3, count + 3)
    )


def test_a_sheet_saved_plainly_is_read_without_parsing_its_xml_twice(full_scan_must_not_run):
    """The check that calamine's grid stays within the limits reads a plain sheet (the
    form Excel and the template save) with a few regular-expression passes over its bytes
    (0,6 s instead of 4–7 s for the 70,000-member file), not cell by cell through expat."""
    content = hostile.workbook(HEADERS, GOOD_ROW, plain_rows(5_000))
    table = xlsx.read_table(content, COLUMNS)
    assert len(table.rows) == 5_001
    assert [row.text("name") for row in table.rows[-2:]] == ["Chi bộ 5001", "Chi bộ 5002"]


def test_an_empty_formatted_cell_far_away_still_needs_no_parsing(full_scan_must_not_run):
    styled = hostile.workbook(HEADERS, GOOD_ROW, '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    assert [r.values["code"] for r in xlsx.read_table(styled, COLUMNS).rows] == ["T01"]


NEARLY_PLAIN = {  # a far cell the regular expressions could misplace: each goes to expat
    "prefixed": '<row r="9"><x:c xmlns:x="urn:x" r="XFD1048576"><x:v>1</x:v></x:c></row>',
    "after a comment": '<!-- a note --><row r="9"><c r="XFD1048576"><v>1</v></c></row>',
    "in single quotes": "<row r=\"9\"><c r='XFD1048576'><v>1</v></c></row>",
    "on a new line": '<row r="9"><c\nr="XFD1048576"><v>1</v></c></row>',
    "named twice": '<row r="9"><c r="A9" r="XFD1048576"><v>1</v></c></row>',
    "named late": '<row r="9"><c s="1" r="XFD1048576"><v>1</v></c></row>',
    "unnamed": '<row r="1048576"><c><v>1</v></c><c t="n"><v>1</v></c></row>',
    "after an instruction": '<?x y?><row r="9"><c r="XFD1048576"><v>1</v></c></row>',
}


@pytest.mark.parametrize("form", list(NEARLY_PLAIN))
def test_a_far_cell_in_any_other_form_is_left_to_the_full_scan(form):
    content = hostile.workbook(HEADERS, GOOD_ROW, NEARLY_PLAIN[form])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert not xlsx.plain_sheet(archive, hostile.SHEET, xlsx.Limits.from_settings())
    with pytest.raises(xlsx.SpreadsheetError):
        xlsx.read_table(content, COLUMNS)


@pytest.mark.parametrize("make", list(hostile.REFUSED), ids=lambda make: make.__name__)
def test_the_quick_check_never_vouches_for_a_sheet_the_full_scan_refuses(make):
    with zipfile.ZipFile(io.BytesIO(make(HEADERS, GOOD_ROW))) as archive:
        assert not xlsx.plain_sheet(archive, hostile.SHEET, xlsx.Limits.from_settings())


def test_the_quick_check_counts_rows_and_columns_against_the_grid_limit():
    limits = xlsx.Limits.from_settings(max_cells=100_000)
    for far_cell, vouched in (("Z3800", True), ("AA3800", False), ("Z9000", False)):
        content = hostile.workbook(
            HEADERS, GOOD_ROW, f'<row r="{far_cell[-4:]}"><c r="{far_cell}"><v>1</v></c></row>'
        )
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert xlsx.plain_sheet(archive, hostile.SHEET, limits) is vouched, far_cell
