"""The import order of docs/architecture.md, checked: an app imports only the apps before it
(imports made for type checking only do not count), and nothing imports `backoffice` or
`demo`. The migrations and tests are left out."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
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


def _code() -> Iterator[tuple[Path, ast.AST]]:
    """Every module of the application with its syntax tree, tests and migrations aside."""
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts and "tests" not in path.parts:
            yield path, ast.parse(path.read_text())


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
    for path, tree in _code():
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or parts[0] not in ORDER:
            continue
        app = parts[0]
        for line, module in _runtime_imports(tree):
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


# --- No save hook on another app's model (issue 32) -----------------------------------------

SAVE_HOOKS = {"post_save", "pre_save", "post_delete", "pre_delete", "m2m_changed"}


def _save_hooks(tree: ast.AST, app: str) -> list[tuple[int, str]]:
    """(line, app of the sender) of every save or delete hook whose sender comes from another
    app: `post_save.connect(f, sender=Model)` or `@receiver(post_save, sender=Model)`. A
    reaction to another app's change subscribes to its event (`core.events`) instead."""
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("guichet."):
            other = node.module.split(".")[1]
            for alias in node.names:
                imported[alias.asname or alias.name] = other
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, signal = node.func, None
        if isinstance(func, ast.Attribute) and func.attr == "connect":
            signal = func.value
        elif isinstance(func, ast.Name) and func.id == "receiver" and node.args:
            signal = node.args[0]
        name = signal.id if isinstance(signal, ast.Name) else getattr(signal, "attr", None)
        if name not in SAVE_HOOKS:
            continue
        for keyword in node.keywords:
            if keyword.arg != "sender":
                continue
            sender = keyword.value
            while isinstance(sender, ast.Attribute):
                sender = sender.value
            owner = imported.get(sender.id, app) if isinstance(sender, ast.Name) else app
            if owner != app:
                found.append((node.lineno, owner))
    return found


def _hook_violations() -> list[str]:
    wrong = []
    for path, tree in _code():
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or parts[0] not in ORDER:
            continue
        for line, owner in _save_hooks(tree, parts[0]):
            wrong.append(f"{path.relative_to(ROOT.parent)}:{line} hooks a save of {owner}")
    return wrong


def test_no_app_hooks_the_saves_of_another_apps_models() -> None:
    assert _hook_violations() == []


def test_the_check_sees_a_cross_app_save_hook() -> None:
    tree = ast.parse(
        "from django.db.models.signals import post_save, post_delete\n"
        "from django.dispatch import receiver\n"
        "from guichet.dossiers.models import Dossier\n"
        "from guichet.messaging import models as messaging\n"
        "from .models import Clock\n"
        "post_save.connect(f, sender=Dossier)\n"
        "post_delete.connect(f, sender=messaging.Message)\n"
        "post_save.connect(f, sender=Clock)\n"
        "@receiver(post_save, sender=Dossier)\ndef g(**kwargs): pass\n"
    )
    assert _save_hooks(tree, "commitments") == [(6, "dossiers"), (7, "messaging"), (9, "dossiers")]


# --- Every status through core.transitions (issue 32) ---------------------------------------

# Files allowed to set a status themselves: none since every model has its transition table
# (ADR 0023). Kept so that a file converted in steps can be named here while it is.
STATUS_LEFTOVERS: set[str] = set()

# Files that set the status of a library's records, not of Guichet's: `core.tasks` makes
# django-tasks-db's results ready again (its worker's own protocol, READY / RUNNING / FAILED),
# as the library's worker does itself.
LIBRARY_STATUSES = {"guichet/core/tasks.py"}


# Fields named `status` that are facts, not a lifecycle: a client's immigration status, as the
# person or the staff type it (seed 000).
NOT_A_LIFECYCLE = {"client.status"}


def _status_writes(tree: ast.AST) -> list[int]:
    """Lines that set a `status` field: `x.status = …`, `….update(status=…)`,
    `….create(status=…)` aside (a row is born in its first status)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                elements = target.elts if isinstance(target, ast.Tuple) else [target]
                if any(
                    isinstance(e, ast.Attribute)
                    and e.attr == "status"
                    and ast.unparse(e) not in NOT_A_LIFECYCLE
                    for e in elements
                ):
                    lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and any(k.arg == "status" for k in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


def test_statuses_change_only_through_core_transitions() -> None:
    wrong: list[str] = []
    cleared: list[str] = []
    for path, tree in _code():
        name = str(path.relative_to(ROOT.parent))
        if name == "guichet/core/transitions.py" or name in LIBRARY_STATUSES:
            continue
        lines = _status_writes(tree)
        if lines and name not in STATUS_LEFTOVERS:
            wrong.extend(f"{name}:{line}" for line in lines)
        elif not lines and name in STATUS_LEFTOVERS:
            cleared.append(name)
    assert wrong == []
    assert cleared == [], "moved to core.transitions: take them off STATUS_LEFTOVERS"


def test_the_status_check_sees_each_way_to_write_one() -> None:
    tree = ast.parse(
        "row.status = 'paid'\n"
        "row.status, row.at = 'paid', now\n"
        "Payment.objects.filter(pk=1).update(status='paid')\n"
        "Payment.objects.create(status='created')\n"
        "x = row.status\n"
    )
    assert _status_writes(tree) == [1, 2, 3]


# --- Templates do not reach up (issue 32) ------------------------------------------------------

TEMPLATES = ROOT / "templates"
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
INCLUDE = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")


def _libraries() -> dict[str, str]:
    """Template tag library -> the app that defines it."""
    return {
        path.stem: path.relative_to(ROOT).parts[0]
        for path in ROOT.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def _template_app(name: str) -> str:
    """The app a template belongs to: its folder when an app's, else the core's (the layout,
    emails, error pages)."""
    first = name.split("/", 1)[0]
    return first if "/" in name and first in ORDER else "core"


def _template_violations(sources: dict[str, str]) -> list[str]:
    libraries = _libraries()
    wrong = []
    for name, text in sorted(sources.items()):
        app = _template_app(name)
        for loaded in LOAD.findall(text):
            for library in loaded.split():
                owner = libraries.get(library)
                if owner is not None and ORDER.index(owner) > ORDER.index(app):
                    wrong.append(f"{name} loads {library} ({owner})")
        for included in INCLUDE.findall(text):
            owner = _template_app(included)
            if ORDER.index(owner) > ORDER.index(app):
                wrong.append(f"{name} includes {included}")
    return wrong


def test_templates_load_and_include_only_what_their_app_may_import() -> None:
    """A page of a lower app offers a slot (`{% panels %}`, `core.panels`); the app above
    registers what shows there. Loading its tags or including its templates would reach up."""
    sources = {
        str(path.relative_to(TEMPLATES)): path.read_text()
        for path in TEMPLATES.rglob("*")
        if path.is_file() and path.suffix in (".html", ".txt")
    }
    assert _template_violations(sources) == []


def test_the_template_check_sees_an_upward_load_and_include() -> None:
    sources = {
        "dossiers/detail.html": '{% load i18n commitments %}{% include "complaints/_x.html" %}',
        "backoffice/dossier.html": '{% load commitments %}{% include "dossiers/_y.html" %}',
        "base.html": "{% load i18n guichet %}",
    }
    assert _template_violations(sources) == [
        "dossiers/detail.html loads commitments (commitments)",
        "dossiers/detail.html includes complaints/_x.html",
    ]


# --- No circle between modules (issue 32) ----------------------------------------------------


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The modules of `known` that `path` (module `name`) imports, at any depth of its code
    (a function's import counts: it is a circle that only waits for its call), relative imports
    resolved, `if TYPE_CHECKING:` aside."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for branch in node.orelse:
                visit(branch)
            return
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        found.update(t for t in targets if t in known and t != name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text()))
    return found


def _circles(files: dict[str, Path]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    graph = {name: _module_imports(path, name, set(files)) for name, path in files.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return circles


def test_no_module_imports_one_that_imports_it_back() -> None:
    files = {_module_name(path, ROOT): path for path, _tree in _code()}
    assert _circles(files) == []


def test_the_circle_check_sees_a_circle_through_a_function_s_import(tmp_path: Path) -> None:
    root = tmp_path / "guichet"
    (root / "intake").mkdir(parents=True)
    for name, text in {
        "__init__.py": "",
        "intake/__init__.py": "",
        "intake/csq.py": "def later():\n    from .documents import store\n",
        "intake/documents.py": "from . import csq\n",
        "intake/forms.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from .csq import later\n",
    }.items():
        (root / name).write_text(text)
    files = {_module_name(path, root): path for path in root.rglob("*.py")}
    assert _circles(files) == [["guichet.intake.csq", "guichet.intake.documents"]]


# --- One layout for a dossier kind (issue 32) ---------------------------------------------------


def test_every_dossier_kind_lives_in_its_own_kinds_folder() -> None:
    """`<app>/kinds/<kind>/kind.py` declares the kind, whichever app owns it."""
    declared = []
    for path, tree in _code():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "DossierKind"
            ):
                declared.append(path.relative_to(ROOT).parts)
    assert declared, "no kind found: the check reads the wrong files"
    wrong = [
        "/".join(parts)
        for parts in declared
        if len(parts) != 4 or parts[1] != "kinds" or parts[3] != "kind.py"
    ]
    assert wrong == []
    owners = {parts[0] for parts in declared}
    assert owners == {"dossiers", "employers", "intake"}


def test_one_yes_no_and_one_list_of_sexes() -> None:
    """« Oui / Non » and the sexes are declared once (`core.forms.yes_no`, `accounts.Sex`):
    no other module builds its own list of them."""
    wrong = []
    for path, tree in _code():
        name = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.List | ast.Tuple) and len(node.elts) == 2:
                firsts = [
                    e.elts[0].value
                    for e in node.elts
                    if isinstance(e, ast.Tuple) and e.elts and isinstance(e.elts[0], ast.Constant)
                ]
                pairs = (["oui", "non"], ["yes", "no"], ["M", "F"], ["F", "M"])
                if firsts in pairs and name != "core/forms.py":
                    wrong.append(f"{name}:{node.lineno}")
    assert wrong == []


def test_no_other_module_folds_names_its_own_way() -> None:
    """One identity normaliser (`core.identity`): `.casefold()` on a name field elsewhere was
    the five ways of old."""
    names = {"last_name", "first_name", "passport_last_name", "passport_first_name"}
    wrong = []
    for path, tree in _code():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "casefold"
                and any(
                    isinstance(n, ast.Attribute) and n.attr in names
                    for n in ast.walk(node.func.value)
                )
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []
