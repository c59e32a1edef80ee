"""The import order of docs/architecture.md, checked: an app imports only the apps before it
(imports made for type checking only do not count), and nothing imports `backoffice` or
`demo`. The migrations and tests are left out."""

from __future__ import annotations

import ast
from pathlib import Path

ORDER = [
    "core",
    "audit",
    "accounts",
    "organisations",
    "numbering",
    "clients",
    "messaging",
    "documents",
    "payments",
    "testbank",
    "appointments",
    "dossiers",
    "employers",
    "intake",
    "waitingroom",
    "commitments",
    "complaints",
    "backoffice",
    "demo",
]
ROOT = Path(__file__).resolve().parent.parent / "guichet"


def _runtime_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import not under `if TYPE_CHECKING:`."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for branch in node.orelse:
                visit(branch)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _violations() -> list[str]:
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or "migrations" in parts or "tests" in parts or parts[0] not in ORDER:
            continue
        app = parts[0]
        for line, module in _runtime_imports(ast.parse(path.read_text())):
            pieces = module.split(".")
            if pieces[0] != "guichet" or len(pieces) < 2 or pieces[1] == app:
                continue
            other = pieces[1]
            if other not in ORDER or ORDER.index(other) > ORDER.index(app):
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} {app} imports {other}")
            elif other in ("backoffice", "demo"):
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} imports {other}")
    return wrong


def test_every_app_imports_only_the_apps_before_it() -> None:
    assert _violations() == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from guichet.dossiers.models import Dossier\n"
        "from guichet.clients.models import Client\n"
        "def f():\n    from guichet.appointments import services\n"
    )
    assert [m for _, m in _runtime_imports(tree)] == [
        "typing",
        "guichet.clients.models",
        "guichet.appointments",
    ]
