"""Sửa / Hủy in the registry: a received document's number corrected (and found by its new
number), an outgoing number refused, a distributed document cancelled (its distribution
withdrawn, said in the correction), a cited document kept until the citation goes, a stale
form refused, and the pages behind the gate."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.core.corrections import Grounds, history
from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.documents import corrections, selectors, services
from tochuc.documents.models import Distribution, Document, DocumentLink, Receipt, Relation

pytestmark = pytest.mark.django_db
TYPO = Grounds("Gõ nhầm số văn bản", "12-QĐ/TU", date(2024, 7, 1))


def test_a_received_documents_number_is_corrected_and_found_by_the_new_one(users, directive_35):
    corrections.document_correct(
        document=directive_35, grounds=TYPO, number="36-ct/tw", by=users.province_officer
    )
    directive_35.refresh_from_db()
    assert (directive_35.number, directive_35.seq, directive_35.kind) == ("36-CT/TW", 36, "CT")
    assert " 36 ct tw " in directive_35.search_text
    assert directive_35.row_version == 2
    correction = history(directive_35).get()
    assert (correction.before["number"], correction.after["number"]) == ("35-CT/TW", "36-CT/TW")
    assert correction.decision_no == "12-QĐ/TU"
    assert AuditEntry.objects.filter(action="tochuc.document.corrected").count() == 1


def test_an_outgoing_number_is_the_series_and_is_not_typed(cast, users):
    issued = services.document_issue(
        issuer=cast.commune, kind="BC", issued_on=date(2026, 3, 2), title="Báo cáo quý I"
    )
    with pytest.raises(ValidationError) as refused:
        corrections.document_correct(document=issued, grounds=TYPO, number="7-BC/ĐU")
    assert "hủy văn bản rồi ban hành lại" in refused.value.message_dict["number"][0]
    with pytest.raises(ValidationError) as refused:
        corrections.document_correct(document=issued, grounds=TYPO, issued_on=date(2025, 12, 1))
    assert "năm 2026" in refused.value.message_dict["issued_on"][0]
    issued.refresh_from_db()
    assert (issued.number, issued.issued_on) == ("01-BC/ĐU", date(2026, 3, 2))


def test_cancelling_a_distributed_document_withdraws_its_receipts(cast, users, directive_35):
    services.document_distribute(
        document=directive_35, organization=cast.commune, sent_on=date(2024, 6, 20)
    )
    services.receipt_mark_read(receipt=Receipt.objects.get(organization=cast.cell))
    corrections.document_cancel(
        document=directive_35, grounds=Grounds("Đăng ký trùng"), by=users.province_officer
    )
    assert not Document.objects.exists()
    assert (Distribution.objects.count(), Receipt.objects.count()) == (0, 0)
    correction = history(directive_35).get()
    assert correction.action == "cancelled"
    assert correction.effects == [
        f"Thu hồi văn bản đã gửi đến {cast.commune.name}: 2 nơi nhận (1 nơi đã đọc)."
    ]
    assert selectors.unread_for(organization=cast.commune).count() == 0


def test_a_document_another_one_implements_is_not_cancelled_until_the_link_goes(
    users, registered, directive_35
):
    guide = registered("16-HD/BTCTW", "Hướng dẫn thực hiện Chỉ thị 35", on=date(2024, 7, 1))
    link = services.document_link(source=guide, target=directive_35, relation=Relation.GUIDES)
    with pytest.raises(ProcedureError) as refused:
        corrections.document_cancel(document=directive_35, grounds=Grounds("Trùng"))
    assert "16-HD/BTCTW hướng dẫn thực hiện văn bản này" in refused.value.messages[0]
    corrections.link_cancel(link=link, grounds=Grounds("Liên kết nhầm"))
    assert not DocumentLink.objects.exists()
    corrections.document_cancel(document=directive_35, grounds=Grounds("Trùng"))
    assert list(Document.objects.values_list("number", flat=True)) == ["16-HD/BTCTW"]


def test_a_date_before_the_document_it_guides_is_refused(registered, directive_35):
    guide = registered("16-HD/BTCTW", "Hướng dẫn thực hiện Chỉ thị 35", on=date(2024, 7, 1))
    services.document_link(source=guide, target=directive_35, relation=Relation.GUIDES)
    with pytest.raises(ValidationError) as refused:
        corrections.document_correct(document=guide, grounds=TYPO, issued_on=date(2024, 6, 1))
    assert "35-CT/TW (ban hành 14/06/2024)" in refused.value.message_dict["issued_on"][0]


def test_a_form_opened_before_someone_elses_correction_is_refused(directive_35):
    corrections.document_correct(document=directive_35, grounds=TYPO, title="Chỉ thị 35")
    with pytest.raises(ProcedureError):
        corrections.document_correct(
            document=directive_35, grounds=TYPO, expected_version=1, title="Chỉ thị số 35"
        )
    directive_35.refresh_from_db()
    assert directive_35.title == "Chỉ thị 35"


def test_the_page_previews_then_cancels_and_says_the_distribution_is_withdrawn(
    client, cast, users, directive_35
):
    services.document_distribute(
        document=directive_35, organization=cast.commune, sent_on=date(2024, 6, 20)
    )
    client.force_login(users.province_officer)
    url = reverse("documents:correct", args=[cast.province.code, directive_35.pk])
    data = {"mode": "cancelled", "reason": "Đăng ký trùng", "row_version": "1"}
    preview = client.post(url, {**data, "action": "preview"})
    assert "Thu hồi văn bản đã gửi đến" in preview.content.decode()
    assert Document.objects.count() == 1
    response = client.post(url, {**data, "action": "save"})
    assert response.status_code == 302
    assert (Document.objects.count(), Receipt.objects.count()) == (0, 0)


def test_a_reason_is_required_beside_its_field(client, cast, users, directive_35):
    client.force_login(users.province_officer)
    url = reverse("documents:correct", args=[cast.province.code, directive_35.pk])
    response = client.post(url, {"mode": "cancelled", "reason": "", "action": "save"})
    assert response.context["form"].errors["reason"] == ["Hãy ghi lý do sửa, hủy."]
    assert Document.objects.count() == 1


def test_a_commune_reads_the_provinces_document_but_cannot_correct_it(
    client, cast, users, directive_35
):
    client.force_login(users.commune_officer)
    detail = client.get(reverse("documents:detail", args=[cast.commune.code, directive_35.pk]))
    assert detail.status_code == 200 and not detail.context["can_correct"]
    url = reverse("documents:correct", args=[cast.commune.code, directive_35.pk])
    assert client.get(url).status_code == 404
    client.force_login(users.sibling_officer)
    url = reverse("documents:correct", args=[cast.province.code, directive_35.pk])
    assert client.get(url).status_code == 404


def test_a_documents_file_passes_the_same_checks_as_every_attachment(
    client, cast, users, directive_35
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users.province_officer)
    url = reverse("documents:attach", args=[cast.province.code, directive_35.pk])
    response = client.post(url, {"file": SimpleUploadedFile("35.pdf", b"MZ not a pdf")})
    assert response.status_code == 200
    assert "không phải tệp .pdf" in response.context["form"].errors["file"][0]
    upload = SimpleUploadedFile("..\\..\\35-ct-tw.pdf", b"%PDF-1.4 ...")
    assert client.post(url, {"file": upload}).status_code == 302
    assert directive_35.attachments.get().filename == "35-ct-tw.pdf"
