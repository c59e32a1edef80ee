"""One identity normaliser (issue 32): every comparison of names goes through
`core.identity`, the intake's confusable folding."""

from __future__ import annotations

import ast
from pathlib import Path

from guichet.core.identity import fold_document, fold_name, same_name

ROOT = Path(__file__).resolve().parents[2]


def test_names_compare_without_accents_case_spaces_or_look_alike_letters() -> None:
    assert same_name("Lévesque", "LEVESQUE")
    assert same_name("Jean-Pierre ", "jean pierre")
    assert same_name("Jean", "J\u0435an")  # a Cyrillic ie
    assert not same_name("Jean", "Joan")
    assert fold_name("  Ève  ") == "eve"
    assert fold_document("ab 12\u0405 34") == fold_document("AB12S34")  # a Cyrillic dze


def test_no_other_module_folds_names_its_own_way() -> None:
    """`.casefold()` on a name field outside core.identity was the five ways of old."""
    names = {"last_name", "first_name", "passport_last_name", "passport_first_name"}
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
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
