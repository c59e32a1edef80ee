"""NOC 2021 (Classification nationale des professions 2021, version 1.0, Statistics Canada and
ESDC): a code is five digits, the first the broad occupational category (0 to 9), the second the
TEER category (0 to 5). `data/noc2021.csv` ships a selection of unit groups with their English
and French titles, the ones employers in the international mobility program most often name; a
well-formed code outside it is accepted and shown without a title."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

NOC_CODE = re.compile(r"^[0-9][0-5][0-9]{3}$")
DATA = Path(__file__).parent / "data" / "noc2021.csv"


@cache
def _titles() -> dict[str, tuple[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as stream:
        return {row["code"]: (row["title_fr"], row["title_en"]) for row in csv.DictReader(stream)}


def is_well_formed(code: str) -> bool:
    return bool(NOC_CODE.match(code))


def title(code: str, language: str | None = None) -> str:
    """The unit group's title in `language` (the current one by default), or "" when the code
    is not in the shipped selection."""
    found = _titles().get(code)
    if found is None:
        return ""
    return found[1] if (language or get_language() or "fr").startswith("en") else found[0]
