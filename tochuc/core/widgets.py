"""Forms and widgets for the pages users wait for (a list's filters, at every search).

Django renders a `<select>` through a template and every `<option>` through an include of
another: a list page's six filters (about 170 options) took a third of its rendering time.
`QuickSelect` writes the same markup — the attributes of Django's `attrs.html`, each value
escaped — in Python. Option groups are not supported (none of its users has them).

Django also deep-copies a form's fields (with their widgets and choices) for each form:
`SharedFieldsForm` makes that copy once per language, for a form whose fields are never
changed once made.
"""

import copy
import html
from typing import ClassVar

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


def _escape(value) -> str:
    """`conditional_escape(str(value))`, without its check for lazy arguments."""
    text = str(value)
    return text.__html__() if hasattr(text, "__html__") else html.escape(text)


def _attributes(attrs: dict) -> str:
    """Django's `django/forms/widgets/attrs.html`: `name="value"`, a bare name for True,
    nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{_escape(value)}"')
    return "".join(parts)


class QuickSelect(forms.Select):
    """Django's `Select` markup, written directly from the choices: the selected option as
    `ChoiceWidget.optgroups` picks it (the first whose value matches), the attributes as
    `get_context` builds them, without a dictionary per option.

    Each option's markup is written once per language and kept while the choices are the
    same list (`_written`): a filter's labels are lazy translations, each looked up and
    escaped at every render otherwise (the ethnicities alone are 55). A copy of the widget
    (Django copies a form's fields, with their widgets, for each form) shares the choices
    and what was written of them; setting `choices` gives a new list, written anew."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self._written: dict[str, tuple[list, list[str], list[str], list[str]]] = {}

    def __deepcopy__(self, memo):
        obj = copy.copy(self)  # the same choices and `_written`
        obj.attrs = self.attrs.copy()
        memo[id(self)] = obj
        return obj

    def _options(self) -> tuple[list[str], list[str], list[str]]:
        """Each option's value as compared, its markup, and its markup when selected."""
        language = get_language() or ""
        choices = self.choices
        written = self._written.get(language)
        if written is None or written[0] is not choices:
            values, plain, selected = [], [], []
            for option_value, option_label in choices:
                if isinstance(option_label, (list, tuple)):
                    raise ValueError("QuickSelect does not render option groups")
                option_value = "" if option_value is None else str(option_value)
                start = f'<option value="{conditional_escape(option_value)}"'
                end = f">{conditional_escape(option_label)}</option>"
                values.append(option_value)
                plain.append(start + end)
                selected.append(start + " selected" + end)
            written = self._written[language] = (choices, values, plain, selected)
        return written[1], written[2], written[3]

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        select_attrs = self.build_attrs(self.attrs, attrs)
        option_values, plain, selected = self._options()
        options = plain
        for i, option_value in enumerate(option_values):
            if option_value in values:  # the first that matches
                options = [*plain[:i], selected[i], *plain[i + 1 :]]
                break
        return mark_safe(
            f'<select name="{conditional_escape(name)}"'
            f"{_attributes(select_attrs)}>{''.join(options)}</select>"
        )


class _SharedFields(dict):
    """A form's fields, handed to each form as they are (Django deep-copies `base_fields`
    for each form; this copy is one dictionary, the fields themselves shared)."""

    def __deepcopy__(self, memo):
        return dict(self)


class SharedFieldsForm(forms.Form):
    """A form whose fields no form changes (nor their widgets, choices or attributes) once
    they are made for a language: the forms of that language share one copy of them. What
    depends on the language is set once per language, by `localize_fields`. Fit for a
    list's filters (read from the query string, rendered as they are); not for a form that
    sets a field's choices, label or widget for its instance."""

    _shared: ClassVar[dict[str, _SharedFields]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._shared = {}

    def __init__(self, *args, **kwargs):
        language = get_language() or ""
        shared = self._shared.get(language)
        if shared is None:
            fields = copy.deepcopy(self.base_fields)
            self.localize_fields(fields)
            shared = self._shared[language] = _SharedFields(fields)
        self.base_fields = shared  # for this form only: Django copies it into `fields`
        super().__init__(*args, **kwargs)

    def localize_fields(self, fields: dict[str, forms.Field]) -> None:
        """Set on `fields` (this form's own copy, for the active language) what depends on
        the language: a label written with `gettext`, say."""
