"""The audit viewer's labels (core/audit_labels.py) in templates."""

from django import template

from tochuc.core import audit_labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return audit_labels.action_label(action)


@register.filter
def readable_details(data) -> list[tuple[str, str]]:
    return audit_labels.readable_details(data)
