"""No import cycle inside core/ or ui/: every import counts, also inside functions.

The walker reads the sources with `ast` (nothing is imported): `import a.b`, `from a import b`
(b a submodule counts as importing the submodule, otherwise the module a), relative imports
resolved against the importing module's package. Imports under `if TYPE_CHECKING:` are left
out: they never run. The layer order that keeps core/ free of cycles is written down in
core/__init__.py.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Packages whose modules must not sit on an import cycle.
PACKAGES = ["core", "ui"]


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool):
    """Yield (line, imported name, names taken from it) for every import that can run."""
    package = module if is_package else module.rpartition(".")[0]

    def visit(node):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                if node.level > 1:
                    base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target, tuple(a.name for a in node.names)
        for child in ast.iter_child_nodes(node):
            yield from visit(child)

    yield from visit(tree)


def import_graph(root: Path, packages) -> dict[str, dict[str, int]]:
    """module -> {imported project module: line of the first such import}."""
    files = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            files[_module_name(path, root)] = path
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        edges = graph.setdefault(module, {})
        for line, target, names in _imports(tree, module, path.name == "__init__.py"):
            found = [f"{target}.{n}" for n in names if f"{target}.{n}" in files]
            if len(found) < len(names) or not names:
                # `import a.b` or a name that is not a submodule: the module itself.
                found.append(target)
            for name in found:
                if name in files and name != module:
                    edges.setdefault(name, line)
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One shortest cycle for every strongly connected group of modules (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    found = []
    for group in groups:
        members = set(group)
        start = group[0]
        # Breadth first from start back to start, inside the group: a shortest cycle.
        paths = {start: [start]}
        queue = [start]
        cycle = None
        while queue and cycle is None:
            v = queue.pop(0)
            for w in sorted(graph[v]):
                if w == start:
                    cycle = paths[v] + [start]
                    break
                if w in members and w not in paths:
                    paths[w] = paths[v] + [w]
                    queue.append(w)
        found.append(cycle)
    return found


def describe(cycle: list[str], graph) -> str:
    steps = [f"{a} (line {graph[a][b]}) -> {b}" for a, b in zip(cycle, cycle[1:])]
    return " ; ".join(steps)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package):
    graph = import_graph(ROOT, ["core", "ui"])
    assert any(m.startswith(package + ".") for m in graph)
    bad = [describe(c, graph) for c in cycles(graph)
           if any(m == package or m.startswith(package + ".") for m in c)]
    assert bad == [], "import cycles:\n" + "\n".join(bad)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def test_walker_sees_imports_inside_functions_relative_and_submodules(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from . import b\n",
        "pkg/b.py": "def f():\n    from pkg.sub import c\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/c.py": "import pkg.a\n",
        "pkg/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import e\n",
        "pkg/e.py": "from .d import thing\n",
    })
    graph = import_graph(tmp_path, ["pkg"])
    assert graph["pkg.a"] == {"pkg.b": 1}
    assert graph["pkg.b"] == {"pkg.sub.c": 2}
    assert graph["pkg.e"] == {"pkg.d": 1}
    assert graph["pkg.d"] == {}
    found = cycles(graph)
    assert found == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]
    assert "pkg.b (line 2) -> pkg.sub.c" in describe(found[0], graph)


def test_walker_resolves_parent_relative_imports(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "from .sub import c\n",
        "pkg/x.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/sub/c.py": "from ..x import y\nfrom .. import x\n",
    })
    graph = import_graph(tmp_path, ["pkg"])
    assert graph["pkg"] == {"pkg.sub.c": 1}
    assert graph["pkg.sub.c"] == {"pkg.x": 1}
    assert cycles(graph) == []
