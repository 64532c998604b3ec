"""The modules of ``pipelines`` (and of the developer tools, ``newsgraph_tools``) import each other without circles.

The graph is built from the source with ``ast``: one node per module of the package, an edge for
every import of another module of the package, wherever it stands (a function-level import is an
edge too: it runs when the function does). Importing ``a.b.c`` also runs ``a/b/__init__.py``, so
the packages on the way are edges as well, except the importer's own packages, which are already
running. Imports under ``if TYPE_CHECKING:`` never run and are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
PACKAGES = {"pipelines": CHECKOUT, "newsgraph_tools": CHECKOUT / "tools"}


def module_files(package: str, root: Path) -> dict[str, Path]:
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in _runtime_imports_of(child))
            continue
        yield from _runtime_imports_of(node)


def _runtime_imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _runtime_imports(node)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The module that ``name`` (a module, or a name defined in one) belongs to."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(modules: dict[str, Path], package: str) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets: set[str] = set()
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                base = _absolute(node, module, path.name == "__init__.py")
                names = [f"{base}.{alias.name}" for alias in node.names]
            targets |= {owner for name in names if (owner := _owner(name, modules)) is not None}
        for target in list(targets):
            parts = target.split(".")
            targets |= {
                ancestor
                for ancestor in (".".join(parts[:i]) for i in range(2, len(parts)))
                if not module.startswith(ancestor + ".")
            }
        targets -= {module, package}
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe(component: list[str], graph: dict[str, set[str]]) -> str:
    edges = [f"{a} -> {b}" for a in component for b in sorted(graph[a]) if b in component]
    return "circle of " + ", ".join(component) + ": " + "; ".join(edges)


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_package_has_no_import_circles(package: str) -> None:
    graph = import_graph(module_files(package, PACKAGES[package]), package)
    assert len(graph) > 20 and sum(map(len, graph.values())) > 40  # the graph really was read
    found = [describe(component, graph) for component in cycles(graph)]
    assert not found, "\n".join(found)


def test_a_circle_is_found_and_named(tmp_path: Path) -> None:
    """The same check on a made-up package with a circle through a package's ``__init__``."""
    package = tmp_path / "pipelines"
    (package / "a").mkdir(parents=True)
    (package / "b").mkdir()
    files = {
        "__init__.py": "",
        "a/__init__.py": "from pipelines.a.one import ONE\n",
        "a/one.py": "from pipelines.b.two import TWO\nONE = 1\n",
        "b/__init__.py": "",
        "b/two.py": "def two():\n    from pipelines.a import ONE\n    return ONE\nTWO = 2\n",
        "b/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pipelines.a import one\n",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = import_graph(module_files("pipelines", tmp_path), "pipelines")
    assert graph["pipelines.b.typed"] == set()
    assert graph["pipelines.a.one"] == {"pipelines.b", "pipelines.b.two"}
    found = cycles(graph)
    assert found == [["pipelines.a", "pipelines.a.one", "pipelines.b.two"]]
    assert "pipelines.b.two -> pipelines.a" in describe(found[0], graph)
