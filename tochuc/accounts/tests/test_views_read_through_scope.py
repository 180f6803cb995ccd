"""Every read in a view goes through the gate.

The test finds the modules that hold views (the functions behind every URL pattern) and
walks each one's syntax tree: a `<Model>.objects.<anything but none()>` read, a
`<Model>._default_manager` or `get_object_or_404(<Model>, …)` is refused, unless it is
wrapped in `access.global_lookup("<reason>", …)` with a reason declared in
`access.GLOBAL_LOOKUPS`. Reads go through `request.scope`, an object fetched by the gate, or
a selector taking them.
"""

import ast
import importlib
import inspect
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from tochuc.accounts.access import GLOBAL_LOOKUPS

FETCH_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def _callbacks(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def view_modules() -> set[str]:
    """The tochuc modules defining a view behind a URL pattern."""
    found = set()
    for callback in _callbacks(get_resolver()):
        view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
        module = getattr(view, "__module__", "") or ""
        if module.startswith("tochuc."):
            found.add(module)
    return found


def _is_model(node: ast.AST) -> bool:
    """A class name (`Member`) or a dotted one ending in one (`models.Member`)."""
    if isinstance(node, ast.Name):
        return node.id[:1].isupper()
    if isinstance(node, ast.Attribute):
        return node.attr[:1].isupper()
    return False


def _declared_global(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name != "global_lookup" or not call.args:
        return False
    reason = call.args[0]
    return isinstance(reason, ast.Constant) and reason.value in GLOBAL_LOOKUPS


def unscoped_reads(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def inside_global_lookup(node: ast.AST) -> bool:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.Call) and _declared_global(node):
                return True
        return False

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_model(node.value):
            if node.attr == "_default_manager":
                found.append(node)
            elif node.attr == "objects":
                method = parents.get(node)
                if isinstance(method, ast.Attribute) and method.attr == "none":
                    continue
                found.append(node)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in FETCH_SHORTCUTS and node.args and _is_model(node.args[0]):
                found.append(node)
    return sorted(
        (node.lineno, ast.get_source_segment(source, node) or "")
        for node in found
        if not inside_global_lookup(node)
    )


def test_the_views_are_found():
    modules = view_modules()
    assert {"tochuc.members.views", "tochuc.transfers.views", "tochuc.core.audit_views"} <= modules


def test_no_view_reads_a_model_past_the_gate():
    problems = []
    for module in sorted(view_modules()):
        path = Path(importlib.import_module(module).__file__)
        for line, text in unscoped_reads(path.read_text(encoding="utf-8")):
            problems.append(f"{module}:{line}: {text}")
    assert not problems, (
        "Unscoped reads in views (read through request.scope or a selector taking it, or "
        "declare the look-up in accounts/access.py GLOBAL_LOOKUPS and wrap it in "
        "global_lookup):\n" + "\n".join(problems)
    )


def test_the_walk_catches_an_unscoped_read_and_lets_a_declared_one_pass():
    reason = next(iter(GLOBAL_LOOKUPS))
    source = (
        "def view(request, pk):\n"
        "    a = Member.objects.get(pk=pk)\n"
        "    b = get_object_or_404(Organization, code=pk)\n"
        "    c = Member.objects.none()\n"
        f"    d = global_lookup({reason!r}, Organization.objects.filter(code=pk))\n"
        "    e = global_lookup('not declared', Organization.objects.filter(code=pk))\n"
        "    f = request.scope.members().filter(pk=pk)\n"
    )
    assert [line for line, _text in unscoped_reads(source)] == [2, 3, 6]
