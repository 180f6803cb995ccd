"""One cleaning of typed text for every form of the project (and of the Django admin).

Installed once from `CoreConfig.ready()` on `django.forms.CharField`, the base of every
text field (CharField, EmailField, SlugField, RegexField, our SearchField …), so that no
form can forget it: what is typed is kept in Unicode NFC, and a value holding a control,
zero-width or direction-override character is refused with a Vietnamese message beside
its field (such a name broke every DOCX that showed it, or showed something other than
what was stored). Password fields are left exactly as typed. Imports clean their cells the
same way in `tochuc.lib.xlsx.cell_text` (stripping rather than refusing).
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext as _

from tochuc.lib.vntext import codepoints, hidden_characters

_INSTALLED = "_tochuc_text_input"


def clean_typed(value):
    """NFC, or ValidationError naming the hidden characters; anything not a string as is."""
    if not isinstance(value, str) or not value:
        return value
    hidden = hidden_characters(value)
    if hidden:
        raise forms.ValidationError(
            _(
                "Có ký tự điều khiển hoặc ký tự ẩn không được phép (%(chars)s). "
                "Hãy xóa rồi gõ lại phần có ký tự đó."
            )
            % {"chars": codepoints(hidden)},
            code="hidden_characters",
        )
    return unicodedata.normalize("NFC", value)


def install() -> None:
    """Wrap `forms.CharField.to_python` (once)."""
    if getattr(forms.CharField, _INSTALLED, False):
        return
    original = forms.CharField.to_python

    def to_python(self, value):
        value = original(self, value)
        if isinstance(self.widget, forms.PasswordInput):
            return value  # a password is compared byte for byte with what was set
        return clean_typed(value)

    forms.CharField.to_python = to_python
    setattr(forms.CharField, _INSTALLED, True)
