from datetime import date

import pytest

from tochuc.lib.dates import parse_date, vn_date
from tochuc.lib.vntext import fold, person_sort_key, sort_key


def test_fold_strips_tones_and_letter_marks_and_maps_d():
    assert fold("Đảng ủy xã Tân An") == "dang uy xa tan an"
    assert fold("  NGUYỄN   Văn  Ấn ") == "nguyen van an"
    assert fold("Đồng Đăng") == fold("dong dang")


def test_words_sort_in_the_vietnamese_alphabet():
    words = ["đá", "da", "ăn", "an", "âm", "ba", "ơn", "ôn", "on", "ưa", "ua", "yêu", "xa"]
    assert sorted(words, key=sort_key) == [
        "an", "ăn", "âm", "ba", "da", "đá", "on", "ôn", "ơn", "ua", "ưa", "xa", "yêu",
    ]  # fmt: skip


def test_tones_order_after_letters():
    assert sorted(["má", "mà", "ma", "mạ", "mã", "mả"], key=sort_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ",
    ]  # fmt: skip


def test_numbers_compare_as_numbers():
    names = ["Chi bộ khối 10", "Chi bộ khối 2", "Chi bộ khối 1"]
    assert sorted(names, key=sort_key) == ["Chi bộ khối 1", "Chi bộ khối 2", "Chi bộ khối 10"]


def test_people_sort_by_given_name_then_middle_and_family_name():
    people = ["Trần Thị Bình", "Nguyễn Văn An", "Lê Văn Ấn", "Phạm Anh", "Hoàng Ánh"]
    assert sorted(people, key=person_sort_key) == [
        "Nguyễn Văn An", "Phạm Anh", "Hoàng Ánh", "Lê Văn Ấn", "Trần Thị Bình",
    ]  # fmt: skip


def test_sort_keys_are_digit_strings_safe_for_any_collation():
    assert sort_key("Đảng ủy xã Tân An").isdigit()


def test_dates_read_and_show_the_vietnamese_way():
    assert parse_date("31/12/2020") == date(2020, 12, 31)
    assert parse_date("2020-12-31") == date(2020, 12, 31)
    assert parse_date("") is None
    assert vn_date(date(2025, 7, 1)) == "01/07/2025"
    with pytest.raises(ValueError, match="không phải ngày hợp lệ"):
        parse_date("31/02/2020")


def test_search_terms_read_the_usual_synonyms_as_one_word():
    from tochuc.lib.vntext import search_terms

    assert search_terms("Đảng ủy xã Thiện Tân") == [
        ("dang bo", "dang uy"), ("xa", "x."), ("thien",), ("tan",),
    ]  # fmt: skip
    assert search_terms("TX. Sơn Tây") == [("thi xa", "tx"), ("son",), ("tay",)]
    assert search_terms("tp.Lạng Sơn")[0] == ("thanh pho", "tp")
    assert search_terms("p.Đông Kinh") == [("phuong",), ("dong",), ("kinh",)]
    assert search_terms("chi uy") == [("chi bo", "chi uy")]
    assert search_terms("  ") == []
