"""The tree rows written in Python are the HTML the template wrote (compared token by
token: only the whitespace between tags may differ)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from tochuc.accounts.access import Scope
from tochuc.lib.dates import vn_date
from tochuc.organizations import selectors
from tochuc.organizations.tree_rows import tree_rows

pytestmark = pytest.mark.django_db

# organizations/_tree_children.html before the rows were written in Python.
TEMPLATE = (Path(__file__).parent / "tree_children_before.html").read_text()


def tokens(html: str) -> list[str]:
    return [t for t in re.split(r"\s+|(?=<)|(?<=>)", html) if t and t.strip()]


@pytest.mark.parametrize("where", ["province", "commune", "cell"])
def test_the_rows_are_the_template_s_html(cast, users, where):
    organization = getattr(cast, where)
    scope, on = Scope.for_user(users.admin), timezone.localdate()
    children = selectors.children_on(scope=scope, organization=organization, on=on)
    _total, per_child = selectors.subtree_counts_on(scope=scope, organization=organization, on=on)
    rows = [(child, per_child.get(child.organization_id)) for child in children]
    context = {"children": rows, "on_text": vn_date(on)}
    expected = Template(TEMPLATE).render(Context(context))
    written = Template('{% include "organizations/_tree_children.html" %}').render(
        Context({**context, "tree_rows": tree_rows(rows, vn_date(on))})
    )
    assert tokens(written) == tokens(expected)
    assert (reverse("organizations:detail", args=[cast.commune.code]) in written) == (
        where == "province"
    )
