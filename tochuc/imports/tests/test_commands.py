import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tochuc.core.models import AuditEntry
from tochuc.imports.tests.files import organization_row, xlsx_bytes
from tochuc.organizations.models import Organization

pytestmark = pytest.mark.django_db

ROWS = [
    organization_row("T01.X01.CB1", "Chi bộ Khu 1", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
    organization_row("T01.X01.CB2", "Chi bộ Khu 2", "base_cell", "T01.X01", "01/08/2025"),
]


def command(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_template_command_writes_a_documented_workbook(tmp_path):
    target = tmp_path / "mau.xlsx"
    assert "Đã ghi mẫu nhập tổ chức đảng" in command("template", "organizations", "-o", target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Tổ chức", "Hướng dẫn", "Danh mục"]
    assert book["Tổ chức"]["A1"].value == "Mã tổ chức*"
    guide_columns = [row[0] for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Ngày thành lập" in guide_columns


def test_an_unknown_importer_is_named_in_the_error():
    with pytest.raises(CommandError, match="Không có loại dữ liệu nhập “khong-co”"):
        command("template", "khong-co")


def test_the_import_command_writes_then_a_second_run_changes_nothing(cast, tmp_path):
    path = tmp_path / "to-chuc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    assert "Đã nhập 2 dòng: 2 tạo mới, 0 thay đổi, 0 không đổi." in command(
        "import", "organizations", path
    )
    assert Organization.objects.filter(code__startswith="T01.X01.CB").count() == 2
    assert AuditEntry.objects.get(action="tochuc.import.organizations").data["channel"] == "cli"
    assert "0 tạo mới, 0 thay đổi, 2 không đổi" in command("import", "organizations", path)


def test_a_dry_run_writes_nothing(cast, tmp_path):
    path = tmp_path / "to-chuc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    output = command("import", "organizations", path, "--dry-run")
    assert "Chạy thử: tệp hợp lệ (2 dòng), sẽ có 2 tạo mới, 0 thay đổi, 0 không đổi." in output
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()


def test_bad_rows_are_printed_and_the_command_fails_without_writing(cast, tmp_path):
    path = tmp_path / "to-chuc.xlsx"
    bad = organization_row("T01.X01.CB3", "Chi bộ Khu 3", "Chi bộ cơ sở", "T09", "01/08/2025")
    path.write_bytes(xlsx_bytes([*ROWS, bad]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Có 1 lỗi ở 1 dòng; chưa ghi dòng nào."):
        call_command("import", "organizations", path, stdout=out, stderr=io.StringIO())
    assert (
        "Dòng 4, cột “Mã tổ chức cấp trên”: Không tìm thấy tổ chức cấp trên mã “T09”."
        in out.getvalue()
    )
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()


def test_with_a_user_the_import_keeps_to_their_scope(cast, users, tmp_path):
    path = tmp_path / "to-chuc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    with pytest.raises(CommandError, match="Có 2 lỗi ở 2 dòng"):
        command("import", "organizations", path, "--user", "sibling_officer")
    with pytest.raises(CommandError, match="“commune_viewer” không có quyền nhập dữ liệu"):
        command("import", "organizations", path, "--user", "commune_viewer")
    with pytest.raises(CommandError, match="Không có người dùng “ai-do”"):
        command("import", "organizations", path, "--user", "ai-do")
    assert "2 tạo mới" in command("import", "organizations", path, "--user", "commune_officer")
    entry = AuditEntry.objects.get(action="tochuc.import.organizations")
    assert entry.username == "commune_officer"


def test_a_missing_file_is_reported(cast, tmp_path):
    with pytest.raises(CommandError, match="Không nhập được tệp"):
        command("import", "organizations", tmp_path / "khong-co.xlsx")
