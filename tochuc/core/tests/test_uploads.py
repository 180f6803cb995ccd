"""The checks of an attached file (core/uploads.py): the name keeps no path and no control
character, the extension must be allowed and the first bytes must agree with it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tochuc.core import uploads


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\bi thu\\Biên bản.pdf", "Biên bản.pdf"),
        ("bien\x00ban\r\n.pdf", "bienban.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_a_name_keeps_only_the_files_own_name(given, kept):
    assert uploads.clean_name(given) == kept


def test_a_docx_must_be_a_zip_and_a_png_a_png():
    assert uploads.check(SimpleUploadedFile("a.docx", b"PK\x03\x04rest")) == "a.docx"
    assert uploads.check(SimpleUploadedFile("a.PNG", b"\x89PNG\r\n\x1a\nrest")) == "a.PNG"
    with pytest.raises(ValidationError) as refused:
        uploads.check(SimpleUploadedFile("a.png", b"GIF89a"))
    assert refused.value.message_dict["file"] == [
        "Nội dung tệp không phải tệp .png như tên tệp ghi."
    ]


def test_only_the_configured_types_are_taken(settings):
    settings.TOCHUC_ATTACHMENT_TYPES = ["pdf"]
    with pytest.raises(ValidationError) as refused:
        uploads.check(SimpleUploadedFile("a.txt", b"hello"))
    assert refused.value.message_dict["file"] == ["Không nhận loại tệp này; chỉ nhận: .pdf."]
