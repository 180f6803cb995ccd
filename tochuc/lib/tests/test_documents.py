import io
from datetime import date

from pypdf import PdfReader

from tochuc.lib.documents import (
    Heading,
    docx_bytes,
    docx_document,
    docx_paragraph,
    docx_recipients,
    docx_signature,
    docx_text,
    long_date,
    pdf_bytes,
    render_pdf,
)

HEADING = Heading(
    issuer_parent="Đảng bộ tỉnh Lạng Sơn",
    issuer="Đảng ủy xã Thiện Tân",
    number="Số 12-QĐ/ĐU",
    place="Thiện Tân",
    on=date(2026, 2, 5),
    kind="Quyết định",
    title="về việc kết nạp đảng viên",
)


def test_dates_carry_a_zero_before_small_days_and_the_first_two_months():
    assert long_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert long_date(date(2026, 11, 22)) == "ngày 22 tháng 11 năm 2026"
    assert long_date(date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"


def test_a_docx_has_the_party_heading_body_signature_and_recipients():
    document = docx_document(HEADING)
    docx_paragraph(document, "Kết nạp đồng chí Hoàng Thị Mai vào Đảng Cộng sản Việt Nam.")
    docx_signature(document, "T/M Ban Thường vụ", "Bí thư", "Lương Văn Hùng")
    docx_recipients(document, ["Chi bộ thôn Nà Phái,", "Lưu VP."])
    text = docx_text(docx_bytes(document))
    for expected in [
        "ĐẢNG BỘ TỈNH LẠNG SƠN", "ĐẢNG ỦY XÃ THIỆN TÂN", "Số 12-QĐ/ĐU", "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Thiện Tân, ngày 05 tháng 02 năm 2026", "QUYẾT ĐỊNH", "về việc kết nạp đảng viên",
        "Kết nạp đồng chí Hoàng Thị Mai", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Lương Văn Hùng",
        "Nơi nhận:", "- Lưu VP.",
    ]:  # fmt: skip
        assert expected in text


def test_a_pdf_in_the_same_layout_reads_back_as_text():
    data = render_pdf(
        "documents/party_document.html",
        {"heading": HEADING, "body": "<p>Kết nạp đồng chí Hoàng Thị Mai.</p>",
         "signature": {"on_behalf": "T/M Ban Thường vụ", "position": "Bí thư",
                       "name": "Lương Văn Hùng"}, "recipients": ["Lưu VP."]},
    )  # fmt: skip
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert data.startswith(b"%PDF")
    for expected in ["ĐẢNG CỘNG SẢN VIỆT NAM", "Số 12-QĐ/ĐU", "Hoàng Thị Mai", "Lương Văn Hùng"]:
        assert expected in text


def test_a_pdf_never_fetches_from_the_network(monkeypatch):
    import urllib.request

    opened = []
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda self, url, *a, **k: opened.append(url)
    )
    # an image pointing outside renders without it rather than fetching it
    assert pdf_bytes('<img src="https://example.com/x.png"><p>ok</p>').startswith(b"%PDF")
    assert opened == []
