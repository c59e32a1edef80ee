"""Money is integer cents with a currency (non-negotiable 9); this only shows it."""

from __future__ import annotations

from django.utils.translation import get_language

NARROW_NO_BREAK_SPACE = "\u202f"
NO_BREAK_SPACE = "\u00a0"


def format_cents(cents: int, currency: str = "CAD", language: str | None = None) -> str:
    """230,00 $ in French, $230.00 in English; another currency than CAD is named."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    other = "" if currency == "CAD" else f"{NO_BREAK_SPACE}{currency}"
    if (language or get_language() or "fr").startswith("en"):
        return f"{sign}${dollars:,}.{rest:02d}{other}"
    grouped = f"{dollars:,}".replace(",", NARROW_NO_BREAK_SPACE)
    return f"{sign}{grouped},{rest:02d}{NO_BREAK_SPACE}${other}"
