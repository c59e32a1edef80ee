"""Normalised identities, to find duplicates (seed 002 « Les doublons seront repérés et
supprimés »): names without accents, case, spaces or punctuation and with look-alike letters
folded to one skeleton, the date of birth and the passport number. Kept as SHA-256 digests: the
index that finds them holds no readable name.

The folding is the one of `guichet.core.identity` (Unicode TR 39's skeleton). Names in a passport's
machine-readable zone are Latin letters; a name typed in another script is folded onto them, so
a second account typing the same person with a look-alike letter finds the first."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from guichet.core.identity import fold_document, fold_name


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
    passport = fold_document(principal.get("passport_number"))
    if not (names and passport):
        return IdentityKeys("", "", "")
    # The order of given names and family names is sometimes swapped: sorted, they match.
    return IdentityKeys(
        exact=_digest("exact", names, passport),
        passport=_digest("passport", passport),
        names=_digest("names", names),
    )
