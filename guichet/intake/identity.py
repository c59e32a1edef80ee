"""Normalised identities, to find duplicates (seed 002 « Les doublons seront repérés et
supprimés »): names without accents, case, spaces or punctuation, the date of birth and the
passport number. Kept as SHA-256 digests: the index that finds them holds no readable name."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any


def _name(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).casefold()
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


def _passport(value: Any) -> str:
    return "".join(c for c in str(value or "").upper() if c.isalnum())


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


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
    last, first = _name(principal.get("last_name")), _name(principal.get("first_name"))
    born = str(principal.get("birth_date") or "").strip()
    passport = _passport(principal.get("passport_number"))
    if not (last and first and born and passport):
        return IdentityKeys("", "", "")
    # The order of given names and family names is sometimes swapped: sorted, they match.
    names = "|".join(sorted((last, first)))
    return IdentityKeys(
        exact=_digest("exact", names, born, passport),
        passport=_digest("passport", passport),
        names=_digest("names", names, born),
    )
