"""`QuickSelect` writes the HTML Django's `Select` writes through its templates, for the
member list's filters: nothing chosen, a choice, a value that is not a choice, text to
escape, and the attributes the bound field adds. Only the whitespace between tags differs
(compared token by token, as the rows written in Python are)."""

import copy
import re

import pytest
from django import forms
from django.utils import translation
from django.utils.functional import lazy

from tochuc.core.widgets import QuickSelect
from tochuc.members.forms import MemberFilterForm

CHOICES = [("", "Tất cả"), ("a", "An"), ("b&c", 'B <"C">'), (3, "Ba"), ("a", "An lần hai")]


def tokens(html: str) -> list[str]:
    return [t for t in re.split(r"\s+|(?=<)|(?<=>)", html) if t and t.strip()]


def pair(value, attrs=None):
    quick = QuickSelect(attrs={"class": "form-select", "data-autosubmit": ""}, choices=CHOICES)
    plain = forms.Select(attrs={"class": "form-select", "data-autosubmit": ""}, choices=CHOICES)
    return tokens(quick.render("loc", value, attrs)), tokens(plain.render("loc", value, attrs))


@pytest.mark.parametrize("value", [None, "", "a", "b&c", 3, "3", "khong-co"])
def test_it_writes_what_django_s_select_writes(value):
    quick, plain = pair(value, {"id": "id_loc", "required": True, "disabled": False})
    assert quick == plain
    assert quick.count("selected>") == (value != "khong-co")  # None: the empty choice


def test_the_member_list_s_filters_are_django_s_html():
    data = {"q": "nguyen", "gioi_tinh": "female", "dan_toc": "01", "tuoi": "khong-co"}
    form = MemberFilterForm(data)
    for name in ("trang_thai", "gioi_tinh", "tuoi", "dan_toc", "chuyen_mon", "ly_luan"):
        field = form[name]
        plain = forms.Select(attrs=field.field.widget.attrs, choices=field.field.choices)
        assert tokens(field.as_widget()) == tokens(field.as_widget(widget=plain)), name


def test_each_label_is_written_once_per_language_for_every_copy_of_the_widget():
    looked_up = []

    def label(text):
        looked_up.append(text)
        return f"{text} ({translation.get_language()})"

    translated = lazy(label, str)
    widget = QuickSelect(choices=[("a", translated("An")), ("b", translated("Ba"))])
    first, second = copy.deepcopy(widget), copy.deepcopy(widget)  # as two forms copy it
    with translation.override("vi"):
        assert 'value="a" selected>An (vi)' in first.render("loc", "a")
        assert 'value="b" selected>Ba (vi)' in second.render("loc", "b")
        assert "selected" not in second.render("loc", "khong-co")
    assert looked_up == ["An", "Ba"]
    with translation.override("en"):
        assert 'value="b" selected>Ba (en)' in first.render("loc", "b")
    assert looked_up == ["An", "Ba", "An", "Ba"]
    second.choices = [("c", "Ca")]  # new choices are written anew, for that copy only
    assert tokens(second.render("loc", "c")) == tokens(
        forms.Select(choices=[("c", "Ca")]).render("loc", "c")
    )
    with translation.override("vi"):
        assert "Ba (vi)" in first.render("loc", None)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_two_forms_in_a_row_write_each_its_own_filters_in_the_page_s_language(language):
    with translation.override(language):
        for data in ({"gioi_tinh": "female", "dan_toc": "01"}, {"gioi_tinh": "male"}, {}):
            form = MemberFilterForm(data)
            for name in ("trang_thai", "gioi_tinh", "tuoi", "dan_toc", "chuyen_mon", "ly_luan"):
                field = form[name]
                plain = forms.Select(attrs=field.field.widget.attrs, choices=field.field.choices)
                assert tokens(field.as_widget()) == tokens(field.as_widget(widget=plain)), name


def test_the_filter_forms_of_one_language_share_their_fields_localized_once(monkeypatch):
    localized = []
    monkeypatch.setattr(MemberFilterForm, "_shared", {})
    original = MemberFilterForm.localize_fields

    def localize(form, fields):
        localized.append(translation.get_language())
        original(form, fields)

    monkeypatch.setattr(MemberFilterForm, "localize_fields", localize)
    with translation.override("vi"):
        women, everyone = MemberFilterForm({"gioi_tinh": "female"}), MemberFilterForm({})
    with translation.override("en"):
        english = MemberFilterForm({"gioi_tinh": "male"})
    assert localized == ["vi", "en"]
    assert women.fields["gioi_tinh"] is everyone.fields["gioi_tinh"]
    assert women.fields is not everyone.fields  # a form may still reorder its own
    assert english.fields["gioi_tinh"] is not women.fields["gioi_tinh"]
    assert MemberFilterForm.base_fields["gioi_tinh"] not in (
        women.fields["gioi_tinh"], english.fields["gioi_tinh"]
    )  # fmt: skip
    # Each form keeps what it was sent.
    values = [f.value("gioi_tinh") for f in (women, everyone, english)]
    assert values == ["female", "", "male"]
    assert 'value="female" selected' in str(women["gioi_tinh"])
    assert "selected" not in str(everyone["gioi_tinh"]).replace('value="" selected', "")
