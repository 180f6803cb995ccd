import io
from datetime import date

import openpyxl
import pytest

from tochuc.accounts.access import Scope
from tochuc.core.models import AuditEntry
from tochuc.imports import registry
from tochuc.imports.tests.files import organization_row, xlsx_bytes
from tochuc.organizations.models import Kind, Organization, OrganizationEvent

pytestmark = pytest.mark.django_db

IMPORTER = registry.get("organizations")


def run(content, user=None, *, dry_run=False):
    scope = Scope.for_user(user) if user else registry.SystemScope()
    return registry.run_import(IMPORTER, content, scope=scope, by=user, dry_run=dry_run)


def errors_of(outcome):
    return [(e.row, e.column, e.message) for e in outcome.errors]


def new_tree_rows():
    """A company committee with a cell listed before it, and a village cell."""
    return [
        organization_row(
            "T01.X01.CTY.PX1", "Chi bộ Phân xưởng 1", "cell", "T01.X01.CTY", "01/09/2025"
        ),
        organization_row(
            "T01.X01.CTY", "Đảng bộ Công ty May Tân An", "Đảng bộ cơ sở", "T01.X01",
            "01/08/2025", grassroots_type="Doanh nghiệp ngoài nhà nước",
            decision_no="12-QĐ/ĐU", decision_date="25/07/2025",
        ),
        organization_row(
            "T01.X01.BANMOI", "Chi bộ thôn Bản Mới", "chi bo co so", "T01.X01",
            date(2025, 7, 15), grassroots_type="khac",
        ),
    ]  # fmt: skip


def test_the_template_round_trips_filled_in_and_imported(cast, users):
    book = openpyxl.load_workbook(io.BytesIO(IMPORTER.template()))
    sheet = book["Tổ chức"]
    sheet.delete_rows(2)  # the example row
    for row in new_tree_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)

    outcome = run(buffer.getvalue(), users.commune_officer)

    assert errors_of(outcome) == []
    assert outcome.summary == "3 tạo mới, 0 thay đổi, 0 không đổi"
    company = Organization.objects.get(code="T01.X01.CTY")
    assert company.parent == cast.commune
    assert company.kind == Kind.BASE_COMMITTEE
    assert company.grassroots_type == "dn_ngoai_nha_nuoc"
    assert company.founded_on == date(2025, 8, 1)
    event = OrganizationEvent.objects.get(parts__organization=company, parts__role="result")
    assert (event.decision_no, event.decision_date) == ("12-QĐ/ĐU", date(2025, 7, 25))
    assert Organization.objects.get(code="T01.X01.CTY.PX1").parent == company
    assert Organization.objects.get(code="T01.X01.BANMOI").kind == Kind.BASE_CELL
    entry = AuditEntry.objects.get(action="tochuc.import.organizations")
    assert entry.user == users.commune_officer
    assert (entry.data["created"], entry.data["unchanged"]) == (3, 0)


def test_the_example_row_of_the_template_imports_under_the_cast_commune(cast):
    outcome = run(IMPORTER.template())
    assert errors_of(outcome) == []
    assert Organization.objects.get(code="T01.X01.BANMOI").parent == cast.commune


def test_a_file_with_three_bad_rows_gives_three_precise_errors_and_writes_nothing(cast, users):
    rows = [
        *new_tree_rows(),
        organization_row("T01.X01.A", "Chi bộ A", "Chi bộ cơ sở", "T01.X01", "31/02/2025"),
        organization_row("T01.X01.B", "Chi bộ B", "Chi bộ trực thuộc", "T01.X01", "01/08/2025"),
        organization_row("T01.X01.C", "Chi bộ C", "Chi bộ cơ sở", "T09", "01/08/2025"),
    ]
    before = (Organization.objects.count(), OrganizationEvent.objects.count())

    outcome = run(xlsx_bytes(rows), users.commune_officer)

    assert errors_of(outcome) == [
        (5, "Ngày thành lập", "“31/02/2025” không phải ngày hợp lệ (dd/mm/yyyy)."),
        (
            6,
            "Loại tổ chức",
            "Chi bộ trực thuộc không thể trực thuộc Đảng bộ xã Tân An (Đảng bộ xã, phường, "
            "đặc khu); cấp trên phải là: Đảng bộ cơ sở, Đảng bộ bộ phận.",
        ),
        (7, "Mã tổ chức cấp trên", "Không tìm thấy tổ chức cấp trên mã “T09”."),
    ]
    assert str(outcome.errors[2]) == (
        "Dòng 7, cột “Mã tổ chức cấp trên”: Không tìm thấy tổ chức cấp trên mã “T09”."
    )
    assert (Organization.objects.count(), OrganizationEvent.objects.count()) == before
    assert not AuditEntry.objects.filter(action="tochuc.import.organizations").exists()


def test_reimporting_the_same_file_changes_nothing(cast, users):
    content = xlsx_bytes(new_tree_rows())
    assert run(content, users.commune_officer).summary == "3 tạo mới, 0 thay đổi, 0 không đổi"
    before = (Organization.objects.count(), OrganizationEvent.objects.count())

    again = run(content, users.commune_officer)

    assert errors_of(again) == []
    assert again.summary == "0 tạo mới, 0 thay đổi, 3 không đổi"
    assert (Organization.objects.count(), OrganizationEvent.objects.count()) == before


def test_a_dry_run_reports_the_counts_and_writes_nothing(cast, users):
    before = Organization.objects.count()
    outcome = run(xlsx_bytes(new_tree_rows()), users.commune_officer, dry_run=True)
    assert outcome.ok and not outcome.written
    assert outcome.summary == "3 tạo mới, 0 thay đổi, 0 không đổi"
    assert [sample[1] for sample in outcome.samples] == [
        "T01.X01.CTY", "T01.X01.CTY.PX1", "T01.X01.BANMOI",
    ]  # fmt: skip
    assert Organization.objects.count() == before
    assert not AuditEntry.objects.filter(action="tochuc.import.organizations").exists()


def test_a_parent_outside_the_scope_is_refused_as_not_found(cast, users):
    rows = [
        organization_row("T01.X02.MOI", "Chi bộ thôn Mới", "Chi bộ cơ sở", "T01.X02", "01/08/2025"),
        organization_row("T01.X02.KHAC", "Chi bộ Khác", "Chi bộ cơ sở", "T01.X99", "01/08/2025"),
    ]
    outcome = run(xlsx_bytes(rows), users.commune_officer)
    assert errors_of(outcome) == [
        (2, "Mã tổ chức cấp trên", "Không tìm thấy tổ chức cấp trên mã “T01.X02”."),
        (3, "Mã tổ chức cấp trên", "Không tìm thấy tổ chức cấp trên mã “T01.X99”."),
    ]
    assert not Organization.objects.filter(code__in=["T01.X02.MOI", "T01.X02.KHAC"]).exists()
    # The same rows are fine for the officer of that commune … save the missing parent.
    outcome = run(xlsx_bytes(rows[:1]), users.sibling_officer)
    assert outcome.ok and outcome.created == 1


def test_a_viewer_cannot_import_under_the_organization_they_see(cast, users):
    rows = [organization_row("T01.X01.V", "Chi bộ V", "Chi bộ cơ sở", "T01.X01", "01/08/2025")]
    outcome = run(xlsx_bytes(rows), users.commune_viewer)
    assert errors_of(outcome) == [
        (
            2,
            "Mã tổ chức cấp trên",
            "Bạn không có quyền nhập dữ liệu cho Đảng bộ xã Tân An (mã “T01.X01”).",
        )
    ]


def test_an_existing_code_with_other_data_is_an_error_and_one_out_of_scope_is_just_taken(
    cast, users
):
    rows = [
        # the commune itself, unchanged
        organization_row("T01.X01", "Đảng bộ xã Tân An", "commune", "T01", "01/07/2025"),
        organization_row("T01.X01.NAPHAI", "Chi bộ thôn Nà Phái mới", "base_cell", "T01.X01",
                         "01/07/2025"),
        organization_row("T01.X02.KHONLENG", "Chi bộ thôn Khòn Lèng", "base_cell", "T01.X02",
                         "01/07/2025"),
    ]  # fmt: skip
    outcome = run(xlsx_bytes(rows), users.commune_officer)
    assert errors_of(outcome) == [
        (
            3,
            "Mã tổ chức",
            "Mã “T01.X01.NAPHAI” đã có với tên khác; dùng chức năng đổi tên/chuyển trực thuộc "
            "thay cho nhập lại.",
        ),
        (4, "Mã tổ chức", "Mã tổ chức “T01.X02.KHONLENG” đã được dùng."),
    ]
    assert outcome.unchanged == 1


def test_rows_of_the_file_are_checked_against_each_other(cast):
    rows = [
        organization_row("A1", "Đảng bộ A1", "base_committee", "A2", "01/08/2025"),
        organization_row("A2", "Đảng bộ A2", "base_committee", "A1", "01/08/2025"),
        organization_row("B1", "Đảng bộ B1", "base_committee", "T01.X01", "01/09/2025"),
        organization_row("B1.1", "Chi bộ B1.1", "cell", "B1", "15/08/2025"),
        organization_row("B1", "Đảng bộ B1 lặp", "base_committee", "T01.X01", "01/09/2025"),
        organization_row("C1", "Chi bộ C1", "cell", "", "01/09/2025"),
        organization_row("C2", "Chi bộ dưới A1", "cell", "A1", "01/09/2025"),
    ]
    outcome = run(xlsx_bytes(rows))
    assert errors_of(outcome) == [
        (2, "Mã tổ chức cấp trên", "Vòng lặp cấp trên: A1 → A2 → A1."),
        (3, "Mã tổ chức cấp trên", "Vòng lặp cấp trên: A1 → A2 → A1."),
        (
            5,
            "Ngày thành lập",
            "Ngày thành lập 15/08/2025 trước ngày thành lập của tổ chức cấp trên Đảng bộ B1 "
            "(01/09/2025).",
        ),
        (6, "Mã tổ chức", "Mã “B1” trùng với dòng 4."),
        (
            7,
            "Mã tổ chức cấp trên",
            "Chưa ghi mã tổ chức cấp trên (chỉ Đảng bộ tỉnh, thành phố được để trống).",
        ),
    ]


def test_required_fields_codes_and_lists_are_checked(cast):
    rows = [
        ["", "", "", "T01.X01", "", "", "", "", ""],
        organization_row("X 1", "Chi bộ", "Chi bộ to", "T01.X01", "01/08/2025",
                         grassroots_type="Hợp tác xã"),
    ]  # fmt: skip
    outcome = run(xlsx_bytes(rows))
    assert errors_of(outcome) == [
        (2, "Mã tổ chức", "Chưa ghi (cột bắt buộc)."),
        (2, "Tên tổ chức", "Chưa ghi (cột bắt buộc)."),
        (2, "Loại tổ chức", "Chưa ghi (cột bắt buộc)."),
        (2, "Ngày thành lập", "Chưa ghi (cột bắt buộc)."),
        (3, "Mã tổ chức", "Mã “X 1” chỉ được gồm chữ cái không dấu, chữ số và các dấu . - _"),
        (3, "Loại tổ chức", "“Chi bộ to” không có trong danh mục Loại tổ chức."),
        (3, "Loại hình cơ sở", "“Hợp tác xã” không có trong danh mục Loại hình cơ sở."),
    ]


def test_only_the_administrator_imports_a_province(cast, users):
    rows = [organization_row("T03", "Đảng bộ tỉnh C", "province", "", "01/01/1950")]
    outcome = run(xlsx_bytes(rows), users.province_officer)
    assert errors_of(outcome) == [
        (2, "Mã tổ chức cấp trên", "Chỉ quản trị hệ thống được nhập tổ chức cấp cao nhất.")
    ]
    assert run(xlsx_bytes(rows), users.admin).created == 1


def test_a_file_that_is_not_a_workbook_is_one_file_error(cast):
    outcome = run(b"not a spreadsheet")
    assert errors_of(outcome) == [(None, "", "Tệp không phải định dạng Excel .xlsx.")]


def test_the_bulk_write_leaves_what_founding_one_by_one_leaves(cast, users):
    assert run(xlsx_bytes(new_tree_rows()), users.commune_officer).written

    company = Organization.objects.get(code="T01.X01.CTY")
    workshop = Organization.objects.get(code="T01.X01.CTY.PX1")
    assert (workshop.parent, workshop.depth, workshop.province_id) == (
        company, cast.commune.depth + 2, cast.province.pk,
    )  # fmt: skip
    assert workshop.path == f"{cast.commune.path}{company.pk}/{workshop.pk}/"
    assert company.name_folded == "dang bo cong ty may tan an"
    version = workshop.versions.get()
    assert (version.path, version.parent, version.valid_from, version.valid_to) == (
        workshop.path, company, date(2025, 9, 1), None,
    )  # fmt: skip
    event = OrganizationEvent.objects.get(parts__organization=company, parts__role="result")
    assert (event.type, event.decision_no, event.decision_date) == (
        OrganizationEvent.Type.FOUNDED, "12-QĐ/ĐU", date(2025, 7, 25),
    )  # fmt: skip
    assert sorted(event.parts.values_list("organization__code", "role")) == [
        ("T01.X01", "parent"), ("T01.X01.CTY", "result"),
    ]  # fmt: skip
    founded = AuditEntry.objects.filter(action="tochuc.organization.founded",
                                        object_id=str(company.pk)).get()  # fmt: skip
    assert (founded.username, founded.reason, founded.data) == (
        "commune_officer", "12-QĐ/ĐU", {"parent": "T01.X01", "on": "2025-08-01"},
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="tochuc.organization.founded").count() >= 3
