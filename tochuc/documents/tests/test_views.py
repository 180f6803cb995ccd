"""The pages: register through the form (a malformed number refused beside the field),
search, export, a document's page, and a secretary marking a document read."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from tochuc.documents import services
from tochuc.documents.models import Document, Receipt

pytestmark = pytest.mark.django_db


def test_an_officer_registers_a_document_and_a_malformed_number_is_refused_beside_it(
    client, cast, users
):
    client.force_login(users.commune_officer)
    url = reverse("documents:register", args=[cast.commune.code])
    data = {
        "number": "35/TW",
        "issued_on": "14/06/2024",
        "title": "Chỉ thị 35",
        "classification": "normal",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "thiếu dấu “-”" in response.context["form"].errors["number"][0]
    assert not Document.objects.exists()
    response = client.post(url, {**data, "number": "35-ct/tw"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.number, document.organization) == ("35-CT/TW", cast.commune)


def test_the_list_searches_and_exports_what_it_shows(client, cast, users, directive_35):
    client.force_login(users.commune_officer)
    url = reverse("documents:list", args=[cast.commune.code])
    response = client.get(url, {"q": "chi thi 35"})
    assert [d.number for d in response.context["rows"]] == ["35-CT/TW"]
    assert client.get(url, {"q": "chi thi 36"}).context["rows"] == []
    response = client.get(reverse("documents:export", args=[cast.commune.code]), {"q": "35"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["STT", "Số, ký hiệu", "Loại"]
    assert rows[1][:4] == [1, "35-CT/TW", "Chỉ thị", "TW"]
    assert len(rows) == 2


def test_a_secretary_marks_a_document_sent_to_the_cell_as_read(client, cast, users, directive_35):
    services.document_distribute(
        document=directive_35, organization=cast.commune, sent_on=date(2024, 6, 20)
    )
    client.force_login(users.cell_secretary)
    page = reverse("documents:detail", args=[cast.cell.code, directive_35.pk])
    assert client.get(page).context["own_receipt"].read_at is None
    response = client.post(reverse("documents:read", args=[cast.cell.code, directive_35.pk]))
    assert response.status_code == 302
    assert Receipt.objects.get(organization=cast.cell).read_by == users.cell_secretary
    assert Receipt.objects.get(organization=cast.village_cell).read_at is None


def test_a_document_of_another_commune_is_not_found(client, cast, users):
    document = services.document_issue(
        issuer=cast.sibling_commune, kind="KH", issued_on=date(2025, 9, 1), title="Kế hoạch"
    )
    client.force_login(users.commune_officer)
    url = reverse("documents:detail", args=[cast.commune.code, document.pk])
    assert client.get(url).status_code == 404


def test_an_attachment_is_stored_and_downloaded(client, cast, users, directive_35):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users.province_officer)
    url = reverse("documents:attach", args=[cast.province.code, directive_35.pk])
    upload = SimpleUploadedFile("35-ct-tw.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    assert client.post(url, {"file": upload}).status_code == 302
    attachment = directive_35.attachments.get()
    response = client.get(
        reverse("documents:attachment", args=[cast.commune.code, directive_35.pk, attachment.pk])
    )
    client.force_login(users.commune_officer)
    response = client.get(
        reverse("documents:attachment", args=[cast.commune.code, directive_35.pk, attachment.pk])
    )
    assert response.content == b"%PDF-1.4 ..."


def test_the_documents_report_counts_what_was_issued_in_the_period(cast):
    from tochuc.reports import periods, registry

    for on in (date(2025, 8, 1), date(2025, 9, 1), date(2026, 1, 5)):
        services.document_issue(issuer=cast.commune, kind="KH", issued_on=on, title="Kế hoạch")
    data = registry.build("documents", cast.province, periods.year(2025))
    assert data.table("issued").rows == [{"label": "Kế hoạch (KH)", "count": 2}]
