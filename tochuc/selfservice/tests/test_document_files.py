"""A member downloads the files of a document sent to their cell: each download audited;
a document sent elsewhere, a file of another document, or any file of a secret document:
not found."""

from datetime import date

import pytest
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.documents.models import Document
from tochuc.documents.services import (
    Upload,
    attachment_add,
    document_distribute,
    document_register,
)
from tochuc.testing import PASSWORD, member_account

PDF = b"%PDF-1.4 chi thi 35"


@pytest.fixture
def signed_in(client, hoa):
    member_account(hoa)
    assert client.login(username=hoa.citizen_id, password=PASSWORD)
    return client


def sent(cast, organization, number: str, title: str):
    document = document_register(
        organization=cast.province, number=number, issued_on=date(2024, 6, 14), title=title
    )
    file = attachment_add(document=document, upload=Upload("chi-thi.pdf", "application/pdf", PDF))
    document_distribute(document=document, organization=organization, sent_on=date(2025, 8, 1))
    return document, file


def file_url(document, file) -> str:
    return reverse("selfservice:document_file", args=[document.pk, file.pk])


def test_the_member_downloads_a_file_of_a_document_sent_to_the_cell(signed_in, cast, hoa):
    document, file = sent(cast, cast.cell, "35-CT/TW", "Chỉ thị về đại hội")
    page = signed_in.get(reverse("selfservice:document", args=[document.pk])).content.decode()
    assert file_url(document, file) in page and "chi-thi.pdf" in page
    response = signed_in.get(file_url(document, file))
    assert (response.status_code, response.content) == (200, PDF)
    assert 'filename="chi-thi.pdf"' in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="tochuc.document.file_downloaded_by_member")
    assert (entry.data["filename"], entry.data["member"]) == ("chi-thi.pdf", hoa.pk)


def test_a_file_not_sent_to_the_cell_is_not_found(signed_in, cast):
    mine, _file = sent(cast, cast.cell, "35-CT/TW", "Chỉ thị về đại hội")
    other, other_file = sent(cast, cast.sibling_cell, "36-CT/TW", "Chỉ thị khác")
    assert signed_in.get(file_url(other, other_file)).status_code == 404
    assert signed_in.get(file_url(mine, other_file)).status_code == 404  # another's file
    assert not AuditEntry.objects.filter(action="tochuc.document.file_downloaded_by_member")


def test_a_secret_documents_files_are_never_served(signed_in, cast):
    document, file = sent(cast, cast.cell, "12-NQ/TU", "Nghị quyết")
    # A state the services refuse (a document with files made secret), as an old record may
    # hold it: the files stay closed all the same.
    Document.objects.filter(pk=document.pk).update(classification="secret")
    page = signed_in.get(reverse("selfservice:document", args=[document.pk])).content.decode()
    assert "chi-thi.pdf" not in page
    assert signed_in.get(file_url(document, file)).status_code == 404


def test_staff_do_not_download_through_the_members_page(client, cast, users):
    document, file = sent(cast, cast.cell, "35-CT/TW", "Chỉ thị về đại hội")
    client.login(username=users.cell_secretary.username, password=PASSWORD)
    assert client.get(file_url(document, file)).status_code == 404


def test_reading_and_downloading_leave_the_other_provinces_home_panels_cached(signed_in, cast, hoa):
    from tochuc.core import audit

    document, file = sent(cast, cast.cell, "35-CT/TW", "Chỉ thị về đại hội")
    other = audit.last_write_id(cast.other_province.pk)
    signed_in.get(reverse("selfservice:document", args=[document.pk]))  # opened: a receipt
    opened = AuditEntry.objects.get(action="tochuc.document.read_by_member")
    assert opened.province_id == cast.province.pk == hoa.province_id
    signed_in.get(file_url(document, file))  # a download changes no data at all
    assert audit.last_write_id(cast.province.pk) == opened.pk
    assert audit.last_write_id(cast.other_province.pk) == other
