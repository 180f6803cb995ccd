"""Document numbers parse into sequence, kind and issuer; a malformed one says why."""

import pytest
from django.core.exceptions import ValidationError

from tochuc.documents.numbers import parse


@pytest.mark.parametrize(
    "text, expected, kind, issuer",
    [
        ("35-CT/TW", "35-CT/TW", "CT", "TW"),
        ("04-CTr/TU", "04-CTr/TU", "CTr", "TU"),
        ("16-HD/BTCTW", "16-HD/BTCTW", "HD", "BTCTW"),
        ("294-QĐ/TW", "294-QĐ/TW", "QĐ", "TW"),
        ("Số 4-ctr/tu", "04-CTr/TU", "CTr", "TU"),
        ("12-qdi/tw", "12-QĐi/TW", "QĐi", "TW"),
        ("5-NQ/DU", "05-NQ/ĐU", "NQ", "ĐU"),
        ("21-KH/BTC/TU", "21-KH/BTC/TU", "KH", "BTC/TU"),
    ],
)
def test_a_party_number_parses(text, expected, kind, issuer):
    number = parse(text)
    assert (str(number), number.kind, number.issuer) == (expected, kind, issuer)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("35/TW", "thiếu dấu “-” giữa số và loại văn bản"),
        ("35-CT", "thiếu dấu “/” trước cơ quan ban hành"),
        ("CT-35/TW", "phải bắt đầu bằng số thứ tự"),
        ("35-XY/TW", "“XY” không phải loại văn bản của Đảng"),
        ("35-CT/ABC", "không rõ cơ quan ban hành “ABC”"),
        ("0-CT/TW", "số thứ tự phải từ 1"),
        ("", "Hãy ghi số, ký hiệu văn bản"),
    ],
)
def test_a_malformed_number_is_refused_with_the_reason(text, reason):
    with pytest.raises(ValidationError) as refused:
        parse(text)
    assert reason in refused.value.message_dict["number"][0]


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết Trung ương 4 khóa XII",
        "NQ TW4 khoá xii",
        "Nghị quyết Hội nghị Trung ương 4, khóa XII",
    ],
)
def test_a_plenums_resolution_cited_in_prose_is_recorded_as_a_conference_resolution(text):
    number = parse(text)
    assert str(number) == "Nghị quyết Trung ương 4 khóa XII"
    assert (number.kind, number.issuer, number.seq, number.term) == ("NQ", "TW", 4, "XII")
