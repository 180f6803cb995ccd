"""The rows of the tree on an organization's page (organizations/_tree_children.html's list),
written in Python: a province has a hundred children or more, and the same HTML through
the template language (two `{% url %}`, two `blocktranslate` and an include per row) was
most of the page's time. Tests compare it with the template's own output."""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .models import ABOVE_GRASSROOTS_KINDS, GRASSROOTS_KINDS, Kind

_CODE = "__code__"  # reversed once, each child's code put in its place


def kind_badge_class(kind: str) -> str:
    """organizations/_kind_badge.html's colour of a kind."""
    if kind in ABOVE_GRASSROOTS_KINDS:
        return "text-bg-danger"
    if kind in GRASSROOTS_KINDS:
        return "text-bg-primary"
    return "text-bg-secondary"


def _kind_label(kind: str) -> str:
    """What `get_kind_display()` shows: the choice's label, or the stored value."""
    return str(dict(Kind.choices).get(kind, kind))


def tree_rows(children, on_text: str) -> SafeString:
    """`children`: (version, TreeCounts or None) pairs, in order. Every value is escaped
    as `format_html` would (Django's `escape` is the standard library's `html.escape`),
    without a `SafeString` per value."""
    detail = escape(reverse("organizations:detail", args=[_CODE]))
    expand = escape(reverse("organizations:tree_children", args=[_CODE]))
    expand_label = gettext("Mở rộng %(name)s")
    counts_text = gettext("%(grassroots)s TCCS · %(under)s trực thuộc ĐUCS")
    on = escape(on_text)
    # Each kind's label translated once, not once per child (`get_kind_display` looks the
    # active language up through asgiref's Local for every call: half the rows' time).
    badges: dict[str, str] = {}
    rows = []
    for child, counts in children:
        code = escape(child.organization.code)
        if counts is not None and counts.organizations > 1:
            label = escape(expand_label % {"name": child.name})
            figures = counts_text % {
                "grassroots": counts.grassroots, "under": counts.under_grassroots,
            }  # fmt: skip
            button = (
                '<button class="btn btn-sm btn-outline-secondary py-0 px-1" type="button"\n'
                f'              hx-get="{expand.replace(_CODE, code)}?ngay={on}"\n'
                '              hx-target="next .tree-slot" hx-swap="innerHTML" '
                f'aria-label="{label}"><i class="bi bi-plus"></i></button>'
            )
            tail = f'<span class="counts">{escape(figures)}</span>'
        else:
            button, tail = '<span class="px-2"></span>', ""
        badge = badges.get(child.kind)
        if badge is None:
            badge = badges[child.kind] = (
                f'<span class="badge kind-badge {kind_badge_class(child.kind)}">'
                f"{escape(_kind_label(child.kind))}</span>"
            )
        rows.append(
            '  <li class="tree-node">\n'
            '    <div class="d-flex flex-wrap align-items-center gap-2">\n'
            f"      {button}\n"
            f'      <a href="{detail.replace(_CODE, code)}?ngay={on}">{escape(child.name)}</a>\n'
            f"      {badge}\n"
            f"      {tail}\n"
            "    </div>\n"
            '    <div class="tree-slot"></div>\n'
            "  </li>"
        )
    return SafeString("\n".join(rows))
