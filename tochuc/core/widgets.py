"""Form widgets that render without the template engine, for the pages users wait for.

Django renders a `<select>` through a template and every `<option>` through an include of
another: a list page's six filters (about 170 options) took a third of its rendering time.
`QuickSelect` writes the same markup — the attributes of Django's `attrs.html`, each value
escaped — in Python. Option groups are not supported (none of its users has them).
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


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
    `get_context` builds them, without a dictionary per option."""

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        select_attrs = self.build_attrs(self.attrs, attrs)
        options, has_selected = [], False
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                raise ValueError("QuickSelect does not render option groups")
            option_value = "" if option_value is None else str(option_value)
            selected = not has_selected and option_value in values
            has_selected |= selected
            options.append(
                f'<option value="{conditional_escape(option_value)}"'
                f"{' selected' if selected else ''}>{conditional_escape(option_label)}</option>"
            )
        return mark_safe(
            f'<select name="{conditional_escape(name)}"'
            f"{_attributes(select_attrs)}>{''.join(options)}</select>"
        )
