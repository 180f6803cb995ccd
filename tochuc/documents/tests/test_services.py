"""Registering, issuing (numbered in the issuer's series), linking, distributing and
reading documents."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.core.errors import ProcedureError
from tochuc.documents import selectors, services
from tochuc.documents.models import Receipt, Validity

pytestmark = pytest.mark.django_db


def test_a_received_document_is_registered_with_its_number_parsed(directive_35):
    assert (directive_35.number, directive_35.kind, directive_35.issuer) == ("35-CT/TW", "CT", "TW")
    assert directive_35.year == 2024
    assert " chi thi " in directive_35.search_text and " 35 ct tw " in directive_35.search_text


def test_the_same_number_twice_in_a_year_is_refused(registered, directive_35):
    with pytest.raises(ValidationError) as refused:
        registered("35-ct/tw", "Bản sao")
    assert "đã đăng ký văn bản số 35-CT/TW năm 2024" in str(refused.value)


def test_a_malformed_number_is_refused_and_nothing_is_written(registered):
    with pytest.raises(ValidationError):
        registered("35/TW", "Chỉ thị")
    assert not selectors.Document.objects.exists()


def test_a_secret_document_keeps_no_summary_and_no_file(registered):
    with pytest.raises(ValidationError) as refused:
        registered("12-NQ/TU", "Nghị quyết", classification="secret", summary="Nội dung")
    assert "summary" in refused.value.message_dict
    secret = registered("12-NQ/TU", "Nghị quyết", classification="secret")
    with pytest.raises(ProcedureError):
        services.attachment_add(
            document=secret, upload=services.Upload("nq.pdf", "application/pdf", b"%PDF")
        )


def test_a_document_dated_after_today_is_refused(registered):
    with pytest.raises(ValidationError) as refused:
        registered("01-CT/TW", "Chỉ thị", on=date(2099, 1, 1))
    assert "issued_on" in refused.value.message_dict


def test_issued_documents_are_numbered_per_issuer_kind_and_year(cast, users):
    def issue(kind, on, issuer=cast.commune):
        return services.document_issue(
            issuer=issuer, kind=kind, issued_on=on, title="Văn bản", by=users.commune_officer
        ).number

    assert issue("KH", date(2025, 8, 1)) == "01-KH/ĐU"
    assert issue("KH", date(2025, 9, 1)) == "02-KH/ĐU"
    assert issue("NQ", date(2025, 9, 1)) == "01-NQ/ĐU"
    assert issue("KH", date(2026, 1, 5)) == "01-KH/ĐU"
    assert issue("CTr", date(2025, 9, 1), cast.province) == "01-CTr/TU"
    assert issue("KH", date(2025, 10, 1), cast.sibling_commune) == "01-KH/ĐU"


def test_a_replaced_document_is_no_longer_in_force_and_an_amended_one_says_so(registered):
    old = registered("232-QĐ/TW", "Quy định thi hành Điều lệ Đảng", on=date(2025, 1, 20))
    new = registered("294-QĐ/TW", "Quy định thi hành Điều lệ Đảng", on=date(2025, 5, 26))
    guide = registered("69-QĐ/TW", "Quy định về kỷ luật", on=date(2022, 7, 6))
    amend = registered("264-QĐ/TW", "Sửa đổi Quy định 69", on=date(2025, 2, 14))
    services.document_link(source=new, target=old, relation="replaces")
    services.document_link(source=amend, target=guide, relation="amends")
    assert selectors.validity(old) == Validity.REPLACED
    assert selectors.validity(guide) == Validity.AMENDED
    assert selectors.validity(new) == Validity.IN_FORCE
    with pytest.raises(ValidationError):  # a later document cannot be replaced by an earlier
        services.document_link(source=old, target=new, relation="replaces")


def test_a_document_sent_to_a_commune_reaches_each_of_its_cells_and_is_read(
    cast, users, directive_35
):
    distribution = services.document_distribute(
        document=directive_35,
        organization=cast.commune,
        sent_on=date(2024, 6, 20),
        by=users.province_officer,
    )
    recipients = {r.organization for r in distribution.receipts.all()}
    assert recipients == {cast.cell, cast.village_cell}
    receipt = Receipt.objects.get(organization=cast.cell)
    services.receipt_mark_read(receipt=receipt, by=users.cell_secretary)
    assert Receipt.objects.filter(read_at__isnull=False).count() == 1
    assert [r.organization for r in selectors.unread_for(organization=cast.commune)] == [
        cast.village_cell
    ]


def test_the_rules_in_force_cite_their_source_documents_by_number(registered):
    from tochuc.documents.citations import cited_numbers, citing

    assert cited_numbers("Quy định 366-QĐ/TW (30/8/2025); trước đó 124-QĐ/TW (2023)") == {
        "366-QĐ/TW", "124-QĐ/TW",
    }  # fmt: skip
    assert [c.effective_from for c in citing("294-QĐ/TW")] == [date(2025, 7, 1)]
    assert citing("35-CT/TW") == []
