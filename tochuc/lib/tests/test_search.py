"""The one search-query parser: caps on length and words, the same Vietnamese message."""

import pytest
from django.db.models import Q

from tochuc.lib import search


def test_a_name_within_the_caps_is_searched_word_by_word():
    assert search.words("  Nguyễn Văn  Ân ") == ["nguyen", "van", "an"]
    assert search.parse("Nguyễn Văn Ân").error == ""
    assert search.parse("Nguyễn Văn Ân").text == "Nguyễn Văn Ân"


def test_an_empty_query_matches_everything_without_a_condition():
    assert search.name_condition("") == Q()
    assert search.parse("   ").text == ""


def test_a_query_longer_than_the_cap_is_refused_with_its_length_named():
    query = search.parse("a" * (search.MAX_CHARS + 1))
    assert query.error == f"Từ khóa quá dài (tối đa {search.MAX_CHARS} ký tự)."
    assert query.text == ""  # a refused query searches for nothing
    assert len(query.shown) == search.MAX_CHARS
    with pytest.raises(search.QueryTooLong, match="quá dài"):
        search.words("a" * (search.MAX_CHARS + 1))


def test_a_query_of_too_many_short_words_is_refused_even_within_the_length():
    text = " ".join(["a"] * (search.MAX_WORDS + 1))
    assert len(text) <= search.MAX_CHARS
    assert search.parse(text).error == f"Từ khóa có quá nhiều từ (tối đa {search.MAX_WORDS} từ)."
    with pytest.raises(search.QueryTooLong):
        search.name_condition(text)


def test_twelve_thousand_words_are_refused_before_any_condition_is_built():
    with pytest.raises(search.QueryTooLong):
        search.name_condition(" ".join(["nguyen"] * 12_000))


def test_the_form_field_refuses_with_the_same_message():
    from django import forms

    class Form(forms.Form):
        q = search.SearchField()

    form = Form({"q": "x " * 5000})
    assert not form.is_valid()
    assert form.errors["q"] == [f"Từ khóa quá dài (tối đa {search.MAX_CHARS} ký tự)."]
    assert Form({"q": "nguyen van an"}).is_valid()
