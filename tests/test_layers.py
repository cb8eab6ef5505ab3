"""The layers of docs/architecture.md, checked on the source: an AST walk of src/jjis finds every
import between jjis modules (at the top of a module, inside a function or under TYPE_CHECKING)
and fails on an import cycle between modules and on an import upward across the layers."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = SRC / "jjis"

# Layers from the top down (docs/architecture.md, "The layers"): a module may import modules of
# its own layer and of the layers below, never of a layer above. Keys are a package or module
# under jjis; the longest matching key decides.
LAYERS: list[tuple[str, ...]] = [
    ("cli", "__main__"),  # the command line starts the web application (`jjis serve`)
    ("web", "backup"),  # backup copies the web tables and the audit anchor too
    ("api",),
    ("reports", "forms", "docs"),
    ("publish", "release"),
    ("indicators",),
    ("ingest", "synth"),  # synth writes registers as a facility would send them
    ("remit",),  # users, roles and remits over the geography: web/ and release/ decide with them
    ("store",),
    ("schema", "settings", "errors", "notes", "textcells", "lazy", "__init__"),
]
LEVEL = {part: i for i, parts in enumerate(LAYERS) for part in parts}

# Import cycles allowed: none (a cycle fails the test).
ALLOWED_CYCLES: set[frozenset[str]] = set()

# Upward imports known and still open: none (the release workflow's users, roles and geography
# are jjis.remit's, below both the publication and the web layers). A new upward import fails
# the test.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(base: str, name: str, modules: set[str], exports: dict[str, dict[str, str]]) -> str:
    """The module `from base import name` reaches: a submodule, the module a package's
    __init__ re-exports the name from, or `base` itself."""
    if f"{base}.{name}" in modules:
        return f"{base}.{name}"
    return exports.get(base, {}).get(name, base)


def _targets(tree: ast.AST, name: str, package: str) -> list[tuple[str, list[str]]]:
    """(module imported from, names) of every import statement in the tree."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
            out.append((base, [a.name for a in node.names]))
    return out


@cache
def _graph() -> dict[str, set[str]]:
    paths = sorted(ROOT.rglob("*.py"))
    modules = {_module(p) for p in paths}
    trees = {_module(p): (p, ast.parse(p.read_text(encoding="utf-8"))) for p in paths}

    def package_of(m: str, p: Path) -> str:
        return m if p.name == "__init__.py" else m.rpartition(".")[0]

    # what each package's __init__ re-exports, and from which of its modules
    exports: dict[str, dict[str, str]] = {}
    for m, (p, tree) in trees.items():
        if p.name == "__init__.py":
            exports[m] = {n: base for base, names in _targets(tree, m, m) for n in names
                          if base in modules and base != m}
    graph: dict[str, set[str]] = {}
    for m, (p, tree) in trees.items():
        edges: set[str] = set()
        for base, names in _targets(tree, m, package_of(m, p)):
            if not base.startswith("jjis"):
                continue
            for t in [_resolve(base, n, modules, exports) for n in names] or [base]:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != m:
                    edges.add(t)
        graph[m] = edges
    return graph


def _level(module: str) -> int | None:
    parts = module.split(".")[1:] or ["__init__"]
    return LEVEL.get(parts[0])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_layer() -> None:
    assert [m for m in _graph() if _level(m) is None] == []


def test_no_import_cycles() -> None:
    cycles = [c for c in _cycles(_graph()) if frozenset(c) not in ALLOWED_CYCLES]
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_no_upward_imports() -> None:
    upward = sorted(f"{m} imports {t}" for m, targets in _graph().items() for t in targets
                    if (_level(m) or 0) > (_level(t) or 0) and (m, t) not in KNOWN_UPWARD)
    assert upward == []


def test_the_known_debts_are_still_there() -> None:
    """An entry of the allow-lists whose import has gone must be removed (the lists only
    shrink)."""
    graph = _graph()
    assert [(m, t) for m, t in sorted(KNOWN_UPWARD) if t not in graph.get(m, set())] == []
    cycles = {frozenset(c) for c in _cycles(graph)}
    assert [sorted(c) for c in ALLOWED_CYCLES if c not in cycles] == []


def test_the_walk_sees_function_local_imports() -> None:
    """The walk itself: an import inside a function is an edge like any other."""
    graph = _graph()
    local = [m for m, p in ((_module(p), p) for p in ROOT.rglob("*.py"))
             if any(isinstance(n, ast.ImportFrom | ast.Import) and n.col_offset > 0
                    and "jjis" in ast.unparse(n) for n in ast.walk(ast.parse(p.read_text())))]
    assert local, "no function-local import of jjis to check"
    assert all(graph[m] for m in local)
