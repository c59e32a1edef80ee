"""The business-day calendar of the Québec public service, used everywhere a delay is counted
(seed 003: « Nos délais de traitement et de réponse sont calculés en jours ouvrables et
débutent à compter de la date de réception de votre demande »; SPEC H1).

A day is a business day when it is a weekday, not a holiday and not a closure day:

- **holidays**: Québec's statutory holidays from the `holidays` library — its public and
  optional categories (the optional one adds Easter Monday, which the public service observes),
  with the days it moves off a weekend — plus the two days the public service adds, 2 January
  and 26 December (moved to the next weekday that is not already a holiday);
- **closure days**: days the ministry closes, kept by staff (`core.models.ClosureDay`).

Two units exist: business days (the declaration's commitments) and calendar days (payment and
draft deadlines, privacy requests). A request's clock starts on its date of receipt (that day
is not counted) and, when the request was incomplete, the business days it spent suspended are
added back (« le traitement est alors suspendu jusqu'à la réception des renseignements et des
documents manquants »).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The public service's own days, beyond the statutory ones (names in French, then English).
PUBLIC_SERVICE_DAYS = (
    (1, 2, "Lendemain du jour de l'an", "Day after New Year's Day"),
    (12, 26, "Lendemain de Noël", "Day after Christmas Day"),
)


class Unit(TextChoices):
    BUSINESS_DAYS = "business_days", _("jours ouvrables")
    CALENDAR_DAYS = "calendar_days", _("jours civils")


@lru_cache(maxsize=128)
def _holidays_of(year: int, english: bool) -> dict[date, str]:
    found = dict(
        holidays.Canada(
            subdiv="QC",
            years=year,
            categories=(holidays.PUBLIC, holidays.OPTIONAL),
            language="en_CA" if english else "fr",
        ).items()
    )
    if english:  # Québec's own name for 24 June, as the government writes it in English
        found = {
            day: "National Holiday (Fête nationale du Québec)"
            if day.month == 6 and day.day == 24
            else name
            for day, name in found.items()
        }
    for month, day, french_name, english_name in PUBLIC_SERVICE_DAYS:
        moment = date(year, month, day)
        while moment.weekday() >= 5 or moment in found:
            moment += timedelta(days=1)
        found[moment] = english_name if english else french_name
    return found


def quebec_holidays(first: date, last: date) -> dict[date, str]:
    """The holidays the Québec public service observes between two dates (both included),
    named in the current language."""
    english = translation.get_language() == "en"
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update(
            {day: name for day, name in _holidays_of(year, english).items() if first <= day <= last}
        )
    return found


def closure_days(first: date, last: date) -> dict[date, str]:
    """The ministry's closure days between two dates, with their reason in the current
    language."""
    from .models import ClosureDay

    english = translation.get_language() == "en"
    return {
        closure.day: closure.reason_en if english else closure.reason_fr
        for closure in ClosureDay.objects.filter(day__range=(first, last))
    }


def closed_days(first: date, last: date) -> dict[date, str]:
    """Every weekday the ministry is closed between two dates: holidays and closure days."""
    return {**quebec_holidays(first, last), **closure_days(first, last)}


class Calendar:
    """Business-day arithmetic over a span of years, with the closed days read once."""

    def __init__(self, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, last_year
        self.closed = set(closed_days(date(first_year, 1, 1), date(last_year, 12, 31)))

    @classmethod
    def around(cls, *days: date, years_after: int = 1) -> Calendar:
        return cls(min(d.year for d in days), max(d.year for d in days) + years_after)

    def is_business_day(self, day: date) -> bool:
        if not self.first_year <= day.year <= self.last_year:
            raise ValueError(f"{day} is outside this calendar's years")
        return day.weekday() < 5 and day not in self.closed

    def add_business_days(self, start: date, count: int) -> date:
        """The `count`-th business day after `start` (which is not counted): a request
        received on a Friday with a 5-day delay is due the next Friday, holidays aside."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after `start` up to and including `end` (0 when `end` <= `start`)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_business_day(day)
        return count


def days_between(start: date, end: date, unit: str) -> int:
    """How many days count from `start` to `end` (`end` included, `start` not): business days
    for a business-day delay, calendar days otherwise; 0 when `end` <= `start`."""
    if unit == Unit.CALENDAR_DAYS:
        return max((end - start).days, 0)
    return Calendar.around(start, end).business_days_between(start, end)


def add_days(start: date, count: int, unit: str) -> date:
    """The `count`-th business (or calendar) day after `start`."""
    if unit == Unit.CALENDAR_DAYS:
        return start + timedelta(days=count)
    return Calendar.around(start, years_after=2).add_business_days(start, count)


def due_date(
    received_on: date,
    delay: int,
    unit: str,
    *,
    suspensions: Iterable[tuple[date, date | None]] = (),
    today: date | None = None,
) -> date:
    """When a commitment falls due: `delay` business or calendar days after the date of
    receipt, plus the days spent suspended, in the same unit. Each suspension runs from the day
    the person was told the request was incomplete to the day the missing pieces arrived (that
    day counts again); one still open runs to `today`."""
    today = today or date.today()
    extra = sum(days_between(begun, ended or today, unit) for begun, ended in suspensions)
    return add_days(received_on, delay + extra, unit)
