"""Typed and imported text: one cleaning (NFC, no control, zero-width or bidi-override
characters) for every form and every import; a DOCX with the name then still works.

A name holding U+0007, U+001B or U+000B was accepted and then broke every DOCX showing it
(500: "All strings must be XML compatible"); U+202E and U+200B were accepted and exported
unchanged, showing one thing and storing another.
"""

import unicodedata
from datetime import date

import pytest
from django import forms
from django.urls import reverse

from tochuc.core.textinput import clean_typed
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes
from tochuc.lib.documents import docx_text
from tochuc.lib.vntext import hidden_characters, input_text
from tochuc.members.models import Member
from tochuc.transfers.services import transfer_issue

pytestmark = pytest.mark.django_db
HIDDEN = ["\u0007", "\u001b", "\u000b", "\u202e", "\u200b"]
ADD = {
    "gender": "female", "birth_date": "02/09/1990", "ethnicity": "01",
    "admission_decision_no": "45-QĐ/ĐU", "admitted_on": "19/05/2015",
    "ceremony_on": "02/06/2015", "confirmed_on": "02/06/2016",
}  # fmt: skip


def letter_of(client, member, cast):
    transfer = transfer_issue(member=member, on=date(2026, 3, 2), to=cast.sibling_cell)
    response = client.get(reverse("transfers:letter_docx", args=[transfer.pk]))
    assert response.status_code == 200
    return docx_text(response.content)


@pytest.mark.parametrize("ch", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_a_name_with_a_hidden_character_is_refused_beside_its_field(client, cast, users, ch):
    client.force_login(users.commune_officer)
    url = reverse("members:add", args=[cast.village_cell.code])
    response = client.post(
        url, {**ADD, "full_name": f"Hà Thị{ch} Mai", "cell": cast.village_cell.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [
        f"Có ký tự điều khiển hoặc ký tự ẩn không được phép (U+{ord(ch):04X}). "
        "Hãy xóa rồi gõ lại phần có ký tự đó."
    ]
    assert not Member.objects.exists()
    # Typed again without it: kept, and the letter of transfer shows the name.
    client.post(url, {**ADD, "full_name": "Hà Thị Mai", "cell": cast.village_cell.pk})
    member = Member.objects.get()
    assert "đồng chí Hà Thị Mai" in letter_of(client, member, cast)


def test_a_name_typed_decomposed_is_kept_composed(client, cast, users):
    client.force_login(users.commune_officer)
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    url = reverse("members:add", args=[cast.village_cell.code])
    client.post(url, {**ADD, "full_name": decomposed, "cell": cast.village_cell.pk})
    assert Member.objects.get().full_name == unicodedata.normalize("NFC", decomposed)


def test_every_text_field_of_every_form_cleans_the_same_way():
    class Any(forms.Form):
        name = forms.CharField()
        email = forms.EmailField(required=False)
        note = forms.CharField(widget=forms.Textarea, required=False)
        password = forms.CharField(widget=forms.PasswordInput, required=False)

    form = Any({"name": "A\u202eB", "note": "dòng 1\r\ndòng 2\tx", "password": "a\u0007b"})
    assert not form.is_valid()
    assert list(form.errors) == ["name"]  # tabs and line breaks in a note stay; a password too
    form = Any({"name": "Ân", "note": "dòng 1\r\ndòng 2", "password": "a\u0007b"})
    assert form.is_valid()
    assert form.cleaned_data["password"] == "a\u0007b"


def test_the_cleaning_names_each_character_once():
    assert hidden_characters("a\u200bb\u200bc\ufeff\u00ad") == ["\u200b", "\ufeff", "\u00ad"]
    with pytest.raises(forms.ValidationError, match="U\\+200B, U\\+FEFF"):
        clean_typed("a\u200bb\ufeff")
    assert input_text("N\u0301\u200bam\u0007\u202e") == "Ńam"


@pytest.mark.parametrize("ch", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_an_imported_name_loses_its_hidden_character_and_the_docx_works(client, cast, users, ch):
    importer = registry.get("members")
    values = {
        "full_name": f"Hoàng{ch} Văn Nam", "organization": cast.village_cell.code,
        "gender": "Nam", "birth_date": "10/02/1985", "admitted_on": "03/02/2010",
        "ceremony_on": "19/02/2010", "confirmed_on": "19/02/2011", "citizen_id": "020085000001",
        "party_card_no": "20000001", "ethnicity": "Tày",
    }  # fmt: skip
    # A control character is written the way Excel stores it in its XML (_x0007_).
    if ord(ch) < 0x20:
        values = {k: v.replace(ch, f"_x{ord(ch):04X}_") for k, v in values.items()}
    data = xlsx_bytes(
        [[values.get(c.key, "") for c in importer.columns]],
        headers=[str(c.header) for c in importer.columns],
        title="Đảng viên",
    )
    outcome = registry.run_import(importer, data, scope=registry.SystemScope(), by=None)
    assert not outcome.errors, outcome.errors
    member = Member.objects.get()
    assert member.full_name == "Hoàng Văn Nam"
    client.force_login(users.commune_officer)
    assert "đồng chí Hoàng Văn Nam" in letter_of(client, member, cast)
