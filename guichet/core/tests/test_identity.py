"""One identity normaliser (issue 32): every comparison of names goes through
`core.identity`, the intake's confusable folding (`tests/test_architecture.py` refuses another
way)."""

from __future__ import annotations

from guichet.core.identity import fold_document, fold_name, same_name


def test_names_compare_without_accents_case_spaces_or_look_alike_letters() -> None:
    assert same_name("Lévesque", "LEVESQUE")
    assert same_name("Jean-Pierre ", "jean pierre")
    assert same_name("Jean", "J\u0435an")  # a Cyrillic ie
    assert not same_name("Jean", "Joan")
    assert fold_name("  Ève  ") == "eve"
    assert fold_document("ab 12\u0405 34") == fold_document("AB12S34")  # a Cyrillic dze
