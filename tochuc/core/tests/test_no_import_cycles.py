"""No import cycle among the modules of tochuc/ (imports inside functions count too), and
the report engine imports no domain app: reports are plug-ins that apps register."""

import ast
from pathlib import Path

import tochuc

ROOT = Path(tochuc.__file__).parent
# What the report engine may import from tochuc: the tree and scope, the shared layers.
ENGINE_MAY_IMPORT = ("reports", "organizations", "accounts", "core", "lib", "policy")


def modules() -> dict[str, Path]:
    """Dotted name → file, every module of tochuc/ but migrations and tests."""
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if "migrations" in parts or "tests" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def import_graph(mods: dict[str, Path]) -> dict[str, dict[str, int]]:
    """Module → the tochuc modules it imports (at any depth of the file) → line."""
    graph: dict[str, dict[str, int]] = {m: {} for m in mods}
    for module, path in mods.items():
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                names = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                while name and name not in mods:
                    name = name.rsplit(".", 1)[0] if "." in name else ""
                if name and name != module and not module.startswith(name + "."):
                    graph[module].setdefault(name, node.lineno)
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(component)
    return found


def describe(component: set[str], graph) -> str:
    edges = [f"{a} → {b} (line {graph[a][b]})" for a in sorted(component) for b in graph[a]
             if b in component]  # fmt: skip
    return "; ".join(edges)


def test_the_walker_finds_a_cycle_through_a_function_level_import():
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 9}, "d": {"a": 3}}
    assert cycles(graph) == [{"a", "b", "c"}]
    assert cycles({"a": {"b": 1}, "b": {}}) == []


def test_no_module_of_tochuc_is_in_an_import_cycle():
    graph = import_graph(modules())
    found = list(cycles(graph))
    assert not found, "\n".join(describe(c, graph) for c in found)


def test_the_report_engine_imports_no_domain_app():
    graph = import_graph(modules())
    allowed = tuple(f"tochuc.{app}" for app in ENGINE_MAY_IMPORT)
    wrong = [
        f"{module} → {target} (line {line})"
        for module, targets in graph.items()
        if module.startswith("tochuc.reports")
        for target, line in targets.items()
        if target.startswith("tochuc.")
        and not any(target == a or target.startswith(a + ".") for a in allowed)
    ]
    assert not wrong, "\n".join(wrong)
