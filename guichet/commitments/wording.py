"""How a delay or a time taken is written, the same everywhere (pages, CSV): « 1 jour ouvrable »,
« 2,5 jours ouvrables », « 3 minutes ». A whole number has no decimals; French takes the plural
from 2, English for anything but 1."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext

from .models import DelayUnit


def _plural_count(value: float) -> int:
    """The count ngettext chooses the form by: 1 for values under 2 in French (« 1,5 jour »)."""
    if (get_language() or "fr").startswith("fr"):
        return 1 if value < 2 else 2
    return 1 if value == 1 else 2


def number(value: float) -> str:
    whole = float(value).is_integer()
    return number_format(int(value) if whole else round(value, 1), 0 if whole else 1)


def duration(value: float, unit: str) -> str:
    n, count = number(value), _plural_count(value)
    if unit == DelayUnit.MINUTES:
        return ngettext("%(n)s minute", "%(n)s minutes", count) % {"n": n}
    if unit == DelayUnit.CALENDAR_DAYS:
        return ngettext("%(n)s jour", "%(n)s jours", count) % {"n": n}
    return ngettext("%(n)s jour ouvrable", "%(n)s jours ouvrables", count) % {"n": n}
