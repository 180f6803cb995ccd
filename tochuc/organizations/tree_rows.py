"""The rows of the tree on an organization's page (organizations/_tree_children.html's list),
written in Python: a province has a hundred children or more, and the same HTML through
the template language (two `{% url %}`, two `blocktranslate` and an include per row) was
most of the page's time. Tests compare it with the template's own output."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .models import ABOVE_GRASSROOTS_KINDS, GRASSROOTS_KINDS

_CODE = "__code__"  # reversed once, each child's code put in its place


def kind_badge_class(kind: str) -> str:
    """organizations/_kind_badge.html's colour of a kind."""
    if kind in ABOVE_GRASSROOTS_KINDS:
        return "text-bg-danger"
    if kind in GRASSROOTS_KINDS:
        return "text-bg-primary"
    return "text-bg-secondary"


def tree_rows(children, on_text: str) -> SafeString:
    """`children`: (version, TreeCounts or None) pairs, in order."""
    detail = reverse("organizations:detail", args=[_CODE])
    expand = reverse("organizations:tree_children", args=[_CODE])
    expand_label = gettext("Mở rộng %(name)s")
    counts_text = gettext("%(grassroots)s TCCS · %(under)s trực thuộc ĐUCS")
    rows = []
    for child, counts in children:
        code = child.organization.code
        expandable = counts is not None and counts.organizations > 1
        if expandable:
            button = format_html(
                '<button class="btn btn-sm btn-outline-secondary py-0 px-1" type="button"\n'
                '              hx-get="{}?ngay={}"\n'
                '              hx-target="next .tree-slot" hx-swap="innerHTML" aria-label="{}">'
                '<i class="bi bi-plus"></i></button>',
                expand.replace(_CODE, code), on_text, expand_label % {"name": child.name},
            )  # fmt: skip
            tail = format_html(
                '<span class="counts">{}</span>',
                counts_text % {"grassroots": counts.grassroots, "under": counts.under_grassroots},
            )
        else:
            button, tail = SafeString('<span class="px-2"></span>'), ""
        rows.append(
            (
                button, detail.replace(_CODE, code), on_text, child.name,
                kind_badge_class(child.kind), child.get_kind_display(), tail,
            )
        )  # fmt: skip
    return format_html_join(
        "\n",
        '  <li class="tree-node">\n'
        '    <div class="d-flex flex-wrap align-items-center gap-2">\n'
        "      {}\n"
        '      <a href="{}?ngay={}">{}</a>\n'
        '      <span class="badge kind-badge {}">{}</span>\n'
        "      {}\n"
        "    </div>\n"
        '    <div class="tree-slot"></div>\n'
        "  </li>",
        rows,
    )
