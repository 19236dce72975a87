"""The import rule of DESIGN.md: ui → core ← storage, sync → core, main → all; core imports no Qt, SQLAlchemy or
httpx; and no import cycle anywhere.

Every import counts: at the top of a module, inside a function and under ``TYPE_CHECKING``. A function-level
import only hides a cycle until the function runs, and a type-only one still ties two modules together: one
cannot be read, moved or split without the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "storage", "sync", "ui")


def imports_of(package: str) -> dict[Path, set[str]]:
    found: dict[Path, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[path] = names
    return found


def test_core_is_pure() -> None:
    forbidden = {"PySide6", "sqlalchemy", "httpx", "alembic", "storage", "ui", "sync", "cv2"}
    offenders = {str(p.relative_to(ROOT)): n & forbidden for p, n in imports_of("core").items() if n & forbidden}
    assert offenders == {}


def test_ui_never_touches_storage_or_sqlalchemy() -> None:
    forbidden = {"storage", "sqlalchemy", "alembic", "sqlite3"}
    offenders = {str(p.relative_to(ROOT)): n & forbidden for p, n in imports_of("ui").items() if n & forbidden}
    assert offenders == {}


def test_storage_does_not_import_qt() -> None:
    offenders = [p for p, n in imports_of("storage").items() if {"PySide6", "ui"} & n]
    assert offenders == []


def test_sync_talks_to_core_only() -> None:
    """sync/ (the client, the worker, head office) is written against core's types and Protocols; the branch
    store reaches it through them, joined to it by main.py."""
    forbidden = {"storage", "ui", "PySide6", "main"}
    offenders = {str(p.relative_to(ROOT)): n & forbidden for p, n in imports_of("sync").items() if n & forbidden}
    assert offenders == {}


def test_nothing_imports_the_composition_root() -> None:
    offenders = [str(p.relative_to(ROOT)) for pkg in PACKAGES for p, n in imports_of(pkg).items() if "main" in n]
    assert offenders == []


def module_graph() -> dict[str, set[str]]:
    """Every module of the app (core, storage, sync, ui, main.py) and the app modules it imports, at any level."""
    files = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
    }
    modules = {name.removesuffix(".__init__"): path for name, path in files.items()}
    modules["main"] = ROOT / "main.py"

    def resolve(name: str) -> str | None:
        # ``from a.b import c`` names module a.b.c when there is one, else something defined in a.b.
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(resolve(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets.update(resolve(f"{base}.{alias.name}") for alias in node.names)
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's components, iteratively (the graph has a few hundred modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
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
                    components.append(component)
    return components


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert sorted(map(sorted, strongly_connected(graph))) == [["a", "b", "c"], ["d"], ["e"]]


def test_no_import_cycles() -> None:
    graph = module_graph()
    assert "core.kernel.replication" in graph and "main" in graph
    assert "ui.main_window" in graph["main"], "an import inside a function counts"
    assert "ui.main_window" in graph["ui.features"], "an import under TYPE_CHECKING counts"
    cycles = [sorted(c) for c in strongly_connected(graph) if len(c) > 1]
    assert cycles == []
