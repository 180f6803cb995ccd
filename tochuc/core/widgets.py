"""Form widgets that render without the template engine, for the pages users wait for.

Django renders a `<select>` through a template and every `<option>` through an include of
another: a list page's six filters (about 170 options) took a third of its rendering time.
`QuickSelect` writes the same markup — the attributes of Django's `attrs.html`, each value
escaped — in Python. Option groups are not supported (none of its users has them).
"""

import copy

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


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
            parts.append(f' {name}="{conditional_escape(str(value))}"')
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
