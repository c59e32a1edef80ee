"""Dates of the Québec public service: its statutory holidays (more to come: the business-day
calendar of the service commitments)."""

from __future__ import annotations

from datetime import date

import holidays
from django.utils import translation


def quebec_holidays(first: date, last: date) -> dict[date, str]:
    """Statutory holidays of Québec between two dates, named in the current language."""
    years = range(first.year, last.year + 1)
    language = "en_CA" if translation.get_language() == "en" else "fr"
    return dict(holidays.Canada(subdiv="QC", years=years, language=language).items())
