import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.imports.tests.files import organization_row, xlsx_bytes
from tochuc.lib import xlsx
from tochuc.organizations.models import Kind, Organization
from tochuc.testing import found

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:upload", args=["organizations"])
CONFIRM = reverse("imports:confirm", args=["organizations"])
ROWS = [
    organization_row("T01.X01.CB1", "Chi bộ Khu 1", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
    organization_row("T01.X01.CB2", "Chi bộ Khu 2", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "uploads"


def upload(client, content, name="to-chuc.xlsx"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def test_a_commune_officer_sees_the_preview_then_imports(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    index = client.get(reverse("imports:index"))
    assert index.status_code == 200
    assert "Nhập tổ chức đảng" in index.content.decode()

    preview = upload(client, xlsx_bytes(ROWS))

    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Tệp hợp lệ" in body and "Xác nhận nhập" in body
    assert "Chi bộ Khu 1" in body and "Chi bộ Khu 2" in body
    assert preview.context["outcome"].summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()
    token = preview.context["token"]
    assert [p.name for p in uploads.iterdir()] == [f"{token}.xlsx"]

    done = client.post(CONFIRM, {"token": token}, follow=True)

    assert done.redirect_chain[-1][0] == reverse("imports:index")
    assert "2 tạo mới, 0 thay đổi, 0 không đổi" in done.content.decode()
    assert set(
        Organization.objects.filter(code__startswith="T01.X01.CB").values_list("parent", flat=True)
    ) == {cast.commune.pk}
    entry = AuditEntry.objects.get(action="tochuc.import.organizations")
    assert (entry.username, entry.data["created"], entry.data["channel"]) == (
        "commune_officer",
        2,
        "web",
    )
    assert list(uploads.iterdir()) == []
    # The token was used up.
    assert client.post(CONFIRM, {"token": token}).status_code == 404


def test_a_sibling_commune_officer_cannot_import_under_another_commune(
    client, cast, users, uploads
):
    client.force_login(users.sibling_officer)

    preview = upload(client, xlsx_bytes(ROWS))

    body = preview.content.decode()
    assert "Chưa ghi dòng nào" in body
    assert "Không tìm thấy tổ chức cấp trên mã “T01.X01”." in body
    assert [(e.row, e.column) for e in preview.context["outcome"].errors] == [
        (2, "Mã tổ chức cấp trên"),
        (3, "Mã tổ chức cấp trên"),
    ]
    assert "Xác nhận nhập" not in body
    assert preview.context["token"] == ""
    assert list(uploads.iterdir()) == []
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()


def test_a_token_only_works_in_the_session_that_uploaded_the_file(client, cast, users):
    client.force_login(users.commune_officer)
    token = upload(client, xlsx_bytes(ROWS)).context["token"]
    client.force_login(users.province_officer)  # a new session
    assert client.post(CONFIRM, {"token": token}).status_code == 404
    assert client.post(CONFIRM, {"token": "../../secret-key"}).status_code == 404
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()


def test_cancelling_deletes_the_waiting_file(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    token = upload(client, xlsx_bytes(ROWS)).context["token"]
    response = client.post(reverse("imports:cancel", args=["organizations"]), {"token": token})
    assert response.status_code == 302
    assert list(uploads.iterdir()) == []
    assert client.post(CONFIRM, {"token": token}).status_code == 404


def test_a_file_that_is_already_imported_needs_no_confirmation(client, cast, users, uploads):
    rows = [organization_row("T01.X01", "Đảng bộ xã Tân An", "commune", "T01", "01/07/2025")]
    client.force_login(users.commune_officer)
    preview = upload(client, xlsx_bytes(rows))
    assert "không có dữ liệu mới" in preview.content.decode()
    assert preview.context["token"] == ""
    assert list(uploads.iterdir()) == []


def test_the_confirmation_checks_the_file_again(client, cast, users):
    client.force_login(users.commune_officer)
    token = upload(client, xlsx_bytes(ROWS)).context["token"]
    # Meanwhile someone else took one of the codes for another cell.
    found("T01.X01.CB1", "Chi bộ Khu Một", Kind.BASE_CELL, cast.commune)
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Không nhập được" in body and "đã có với tên, ngày thành lập khác" in body
    assert not Organization.objects.filter(code="T01.X01.CB2").exists()


def test_an_oversized_upload_is_refused_from_its_declared_length(client, cast, users, settings):
    settings.TOCHUC_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(users.commune_officer)
    response = upload(client, b"PK" + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "Tệp quá lớn (2 MB), tối đa 1 MB." in response.content.decode()


def test_a_bomb_or_a_non_workbook_is_refused_by_the_form(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    response = upload(client, b"Ma;Ten\n", name="to-chuc.csv")
    assert response.status_code == 200
    assert xlsx.NOT_XLSX in response.content.decode()
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_the_template_downloads_as_xlsx(client, cast, users):
    client.force_login(users.commune_officer)
    response = client.get(reverse("imports:template", args=["organizations"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-organizations.xlsx"'
    assert response.content.startswith(b"PK")


@pytest.mark.parametrize("role", ["commune_viewer", "cell_secretary", "stranger"])
def test_users_who_may_not_import_find_nothing(client, cast, users, role):
    client.force_login(getattr(users, role))
    for url in (
        reverse("imports:index"),
        UPLOAD,
        reverse("imports:template", args=["organizations"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(CONFIRM, {"token": "x" * 43}).status_code == 404


def test_an_unknown_importer_is_not_found(client, cast, users):
    client.force_login(users.commune_officer)
    assert client.get(reverse("imports:upload", args=["khong-co"])).status_code == 404
