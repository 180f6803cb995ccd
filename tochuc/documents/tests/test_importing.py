"""Importing the registry from XLSX: all or nothing, every bad row named, idempotent, and a
code outside the scope reported as missing."""

import pytest

from tochuc.accounts.access import Scope
from tochuc.documents.models import Document
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADERS = [
    "Mã tổ chức đăng ký",
    "Số, ký hiệu",
    "Ngày ban hành",
    "Trích yếu",
    "Độ mật",
    "Tóm tắt nội dung",
]
GOOD = [
    ["T01.X01", "35-CT/TW", "14/06/2024", "Chỉ thị về đại hội đảng bộ các cấp", "Thường", ""],
    ["T01.X01", "04-ctr/tu", "03/11/2025", "Chương trình hành động", "", ""],
    ["T01.X01", "07-NQ/TU", "03/11/2025", "Nghị quyết", "Mật", ""],
]


def _run(rows, user):
    return registry.run_import(
        registry.get("documents"),
        xlsx_bytes(rows, headers=HEADERS, title="Văn bản"),
        scope=Scope.for_user(user),
        by=user,
    )


def test_a_good_file_registers_every_row_and_again_changes_nothing(users):
    outcome = _run(GOOD, users.commune_officer)
    assert outcome.written and outcome.created == 3
    assert sorted(Document.objects.values_list("number", flat=True)) == [
        "04-CTr/TU",
        "07-NQ/TU",
        "35-CT/TW",
    ]
    again = _run(GOOD, users.commune_officer)
    assert (again.created, again.unchanged) == (0, 3) and Document.objects.count() == 3


def test_one_bad_row_writes_nothing_and_each_error_names_its_row(users):
    rows = [
        *GOOD,
        ["T01.X01", "35/TW", "14/06/2024", "Sai số", "", ""],
        ["T01.X02", "01-KH/ĐU", "01/09/2025", "Ngoài phạm vi", "", ""],
    ]
    outcome = _run(rows, users.commune_officer)
    assert not outcome.written and Document.objects.count() == 0
    messages = [str(e) for e in outcome.errors]
    assert any(m.startswith("Dòng 5") and "thiếu dấu “-”" in m for m in messages)
    assert any(
        m.startswith("Dòng 6") and "Không tìm thấy tổ chức mã “T01.X02”" in m for m in messages
    )
