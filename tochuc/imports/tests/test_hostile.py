"""Hostile files: bad rows, wrong types, XXE, billion laughs, a zip bomb, a 1,000,000-row
sheet and cells starting with "=". Each gets a clear Vietnamese error, writes 0 rows, and
stays within bounded memory and time."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.core.models import AuditEntry
from tochuc.imports import registry
from tochuc.imports.tests.files import ORGANIZATION_HEADERS, organization_row, xlsx_bytes
from tochuc.lib.tests import hostile
from tochuc.organizations.models import Organization

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


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


def good_row(letter: str):
    return organization_row(f"T01.X01.{letter}", f"Chi bo thon {letter}", "base_cell",
                            "T01.X01", "01/09/2025")  # fmt: skip


def million_rows() -> bytes:
    """A real package whose sheet holds a header and 1,000,000 rows (about 140 MB of XML,
    13 MB compressed: within the size, inflation and ratio limits)."""
    header = xlsx_bytes([])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(header)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info, source.read(info))
                continue
            head, _, tail = source.read(info).decode().partition("</sheetData>")
            with target.open(SHEET, "w") as sheet:
                sheet.write(head.encode())
                for first in range(2, 1_000_002, 10_000):
                    sheet.write(
                        "".join(
                            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>T01.X01.{n}</t></is>'
                            f'</c><c r="B{n}" t="inlineStr"><is><t>Chi bộ {n}</t></is></c></row>'
                            for n in range(first, first + 10_000)
                        ).encode()
                    )
                sheet.write(("</sheetData>" + tail).encode())
    return buffer.getvalue()


def laughs(content: bytes) -> bytes:
    dtd = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
            for n in range(1, 10)
        )
        + "]>"
    )
    return rewritten(content, SHEET, lambda xml: dtd + xml.replace("Chi bo thon A", "&lol9;"))


def xxe(content: bytes) -> bytes:
    dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return rewritten(content, SHEET, lambda xml: dtd + xml.replace("Chi bo thon A", "&xxe;"))


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(SHEET, b" " * (200 * 1024 * 1024))
    return buffer.getvalue()


UNREADABLE = "Không đọc được tệp Excel (tệp hỏng hoặc có nội dung không cho phép)."

CORPUS = {
    "bad rows": (
        lambda: xlsx_bytes([
            good_row("A"),
            organization_row("T01.X01.B", "", "base_cell", "T01.X01", "01/09/2025"),
            organization_row("T01.X01.C", "Chi bộ C", "khong-co-loai", "T01.X01", "01/09/2025"),
            organization_row("T01.X01.D", "Chi bộ D", "base_cell", "KHONG-CO", "01/09/2025"),
        ]),
        [
            "Dòng 3, cột “Tên tổ chức”: Chưa ghi (cột bắt buộc).",
            "Dòng 4, cột “Loại tổ chức”: “khong-co-loai” không có trong danh mục Loại tổ chức.",
            "Dòng 5, cột “Mã tổ chức cấp trên”: Không tìm thấy tổ chức cấp trên mã “KHONG-CO”.",
        ],
    ),
    "wrong types": (
        lambda: xlsx_bytes([
            good_row("A"),
            organization_row("T01.X01.B", "Chi bộ B", "base_cell", "T01.X01", 12345),
            organization_row("T01.X01.C", "Chi bộ C", "base_cell", "T01.X01", True),
            organization_row("T01.X01.D", "Chi bộ D", "base_cell", "T01.X01", "31/02/2025"),
            organization_row("T01.X01.E", "Chi bộ E", "base_cell", "T01.X01", "01/09/2025",
                             decision_date="ngày mai"),
        ]),
        [
            "Dòng 3, cột “Ngày thành lập”: “12345” không phải ngày hợp lệ (dd/mm/yyyy).",
            "Dòng 4, cột “Ngày thành lập”: “Có” không phải ngày hợp lệ (dd/mm/yyyy).",
            "Dòng 5, cột “Ngày thành lập”: “31/02/2025” không phải ngày hợp lệ (dd/mm/yyyy).",
            "Dòng 6, cột “Ngày quyết định”: “ngày mai” không phải ngày hợp lệ (dd/mm/yyyy).",
        ],
    ),
    "XXE": (lambda: xxe(xlsx_bytes([good_row("A"), good_row("B")])), [UNREADABLE]),
    "billion laughs": (lambda: laughs(xlsx_bytes([good_row("A"), good_row("B")])), [UNREADABLE]),
    "zip bomb": (
        zip_bomb,
        ["Tệp bị nén bất thường (nghi là “bom nén”); không đọc. Hãy mở bằng Excel và lưu lại."],
    ),
    # Text that Excel would take for a formula (a formula cell itself is read as its value).
    "formula cells": (
        lambda: rewritten(
            xlsx_bytes([good_row("A"), good_row("B")]), SHEET,
            lambda xml: xml.replace("Chi bo thon B", '=HYPERLINK("http://x","Bam")'),
        ),
        [
            "Dòng 3, cột “Tên tổ chức”: ô bắt đầu bằng dấu “=” (công thức). Hãy nhập giá trị, "
            "không nhập công thức; nếu cần, sao chép rồi dán dạng giá trị (Paste Values).",
        ],
    ),
}  # fmt: skip


def run(content: bytes, users):
    scope = Scope.for_user(users.province_officer)
    return registry.run_import(
        registry.get("organizations"), content, scope=scope, by=users.province_officer
    )


@pytest.mark.parametrize("case", CORPUS)
def test_a_hostile_file_gets_a_clear_error_and_writes_nothing(cast, users, case):
    make, messages = CORPUS[case]
    content = make()
    organizations = Organization.objects.count()
    tracemalloc.start()
    started = time.perf_counter()
    outcome = run(content, users)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [str(error) for error in outcome.errors] == messages
    assert not outcome.written
    assert Organization.objects.count() == organizations
    assert (
        not Organization.objects.filter(code__startswith="T01.X01.")
        .exclude(pk__in=[cast.base.pk, cast.cell.pk, cast.village_cell.pk])
        .exists()
    )
    assert not AuditEntry.objects.filter(action="tochuc.import.organizations").exists()
    assert peak < 20 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB"
    assert elapsed < 10, f"{elapsed:.1f} s"


def test_the_xxe_file_never_reads_the_servers_files(cast, users):
    outcome = run(xxe(xlsx_bytes([good_row("A")])), users)
    assert "root:" not in " ".join(str(e) for e in outcome.errors)


def test_a_million_row_sheet_is_refused_at_the_row_cap_in_bounded_memory(cast, users):
    content = million_rows()
    assert len(content) < 30 * 1024 * 1024  # within the upload limit: the row cap must act
    organizations = Organization.objects.count()
    tracemalloc.start()
    started = time.perf_counter()
    outcome = run(content, users)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [str(e) for e in outcome.errors] == [
        "Tệp có hơn 100.000 dòng dữ liệu; hãy chia thành nhiều tệp."
    ]
    assert Organization.objects.count() == organizations
    # The rows up to the cap only (about 50 MB), never the million (300 MB when held whole).
    assert peak < 100 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB"
    assert elapsed < 60, f"{elapsed:.1f} s"


@pytest.mark.parametrize("make", list(hostile.REFUSED), ids=lambda make: make.__name__)
def test_a_far_cell_is_refused_by_every_import_and_writes_nothing(
    client, cast, users, make, tmp_path, settings
):
    """A 2 KB workbook with one cell far away used to abort the process (see
    tochuc/lib/tests/test_xlsx.py for the memory ceiling); now each way in refuses it."""
    settings.VAR_DIR = tmp_path
    content = make(ORGANIZATION_HEADERS, good_row("A"))
    assert len(content) < 300_000
    organizations = Organization.objects.count()

    outcome = run(content, users)
    path = tmp_path / "xa.xlsx"
    path.write_bytes(content)
    printed = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "organizations", str(path), "--dry-run", stdout=printed)
    client.force_login(users.province_officer)
    page = client.post(
        reverse("imports:upload", args=["organizations"]),
        {"file": SimpleUploadedFile("xa.xlsx", content)},
        follow=True,
    ).content.decode()

    expected = hostile.REFUSED[make]
    assert len(outcome.errors) == 1 and expected in str(outcome.errors[0])
    assert expected in printed.getvalue()
    assert expected in page, page[page.find("<main") :][:3000]
    assert Organization.objects.count() == organizations
    assert not AuditEntry.objects.filter(action="tochuc.import.organizations").exists()
