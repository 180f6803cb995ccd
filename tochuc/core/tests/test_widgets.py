"""`QuickSelect` writes the HTML Django's `Select` writes through its templates, for the
member list's filters: nothing chosen, a choice, a value that is not a choice, text to
escape, and the attributes the bound field adds. Only the whitespace between tags differs
(compared token by token, as the rows written in Python are)."""

import re

import pytest
from django import forms

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
