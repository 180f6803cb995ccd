"""`{% fixed %}…{% endfixed %}`: a part of a template that is the same on every page of a
language, rendered once per process and language instead of at every request.

What it may hold is checked when the template is compiled: text, `{% translate "…" %}`,
`{% url 'name' 'literal' … %}` and `{% static '…' %}` with literal arguments only (no
variable, no filter, no `as`). Anything else is a TemplateSyntaxError, so a variable can
never be frozen into the HTML of another request. The rendering is kept per language,
script prefix (what `reverse` reads), current application namespace (what `{% url %}`
reads) and autoescaping: each of these renders it afresh.

Each such tag costs ~10–25 µs of CPU to render (a signed-in page renders a few dozen of
them); the block costs one dictionary look-up. Tests compare every page's HTML with and
without it.
"""

from django import template
from django.template.base import Node, TextNode, Variable
from django.template.defaulttags import URLNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

# Tests set this to False to render every block's content each time (the HTML to compare).
ENABLED = True


def _literal(expression) -> bool:
    """A template expression that is a constant: a quoted string or a number, no filter."""
    if expression is None:
        return True
    if getattr(expression, "filters", None):
        return False
    value = getattr(expression, "var", expression)
    return not isinstance(value, Variable) or value.lookups is None


def _check(node) -> None:
    if isinstance(node, TextNode):
        return
    if isinstance(node, TranslateNode):
        fine = node.asvar is None and _literal(node.filter_expression)
        fine = fine and _literal(node.message_context)
    elif isinstance(node, URLNode):
        fine = node.asvar is None and _literal(node.view_name)
        fine = fine and all(_literal(a) for a in [*node.args, *node.kwargs.values()])
    elif isinstance(node, StaticNode):
        fine = node.varname is None and _literal(node.path)
    else:
        fine = False
    if not fine:
        raise template.TemplateSyntaxError(
            "{% fixed %} holds only text, {% translate %}, {% url %} and {% static %} with "
            f"literal arguments: not {node!r}"
        )


class FixedNode(Node):
    # Not walked by `get_nodes_by_type` (which `{% extends %}` runs over the whole base
    # template at every rendering, looking for blocks): what it holds is checked at compile
    # time to be only text, translations, URLs and static paths.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[tuple, str] = {}

    def render(self, context) -> str:
        if not ENABLED:
            return self.nodelist.render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = (get_language(), get_script_prefix(), current_app, context.autoescape)
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def fixed(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% fixed %} takes no argument")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    for node in nodelist:
        _check(node)
    return FixedNode(nodelist)
