"""The import rule of DESIGN.md: ui → core ← storage; core imports no Qt, SQLAlchemy or httpx."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
