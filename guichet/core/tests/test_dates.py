"""The business-day clock (seed 003, SPEC H1): Québec's holidays as the public service observes
them, the ministry's closure days, business and calendar days, suspensions added back."""

from __future__ import annotations

from datetime import date

import holidays
import pytest
from django.utils import translation

from guichet.core.dates import Calendar, Unit, closed_days, due_date, quebec_holidays
from guichet.core.models import ClosureDay

pytestmark = pytest.mark.django_db  # the clock reads the closure days


def test_the_holidays_are_the_librarys_public_and_optional_days_plus_the_public_services() -> None:
    library = holidays.Canada(
        subdiv="QC", years=2026, categories=(holidays.PUBLIC, holidays.OPTIONAL)
    )
    with translation.override("fr"):
        ours = quebec_holidays(date(2026, 1, 1), date(2026, 12, 31))
    assert set(ours) == set(library) | {date(2026, 1, 2), date(2026, 12, 28)}
    assert ours[date(2026, 4, 6)] == "Lundi de Pâques"  # the optional category
    assert ours[date(2026, 1, 2)] == "Lendemain du jour de l'an"  # a Friday
    # 26 December 2026 is a Saturday: the public service's day moves to Monday the 28th.
    assert ours[date(2026, 12, 28)] == "Lendemain de Noël"
    with translation.override("en"):
        assert quebec_holidays(date(2026, 1, 2), date(2026, 1, 2)) == {
            date(2026, 1, 2): "Day after New Year's Day"
        }


def test_a_friday_receipt_counts_from_the_next_business_day() -> None:
    calendar = Calendar(2026, 2027)
    assert calendar.add_business_days(date(2026, 3, 6), 5) == date(2026, 3, 13)
    assert calendar.add_business_days(date(2026, 3, 7), 5) == date(2026, 3, 13)  # a Saturday
    # Thursday before Easter: Good Friday and Easter Monday are skipped.
    assert calendar.add_business_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert calendar.business_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1


def test_the_clock_crosses_the_year_boundary_over_christmas_and_new_year() -> None:
    # 24 Dec counts; 25 Dec, 28 Dec (26 Dec moved), 1 Jan and 4 Jan (2 Jan moved) do not.
    calendar = Calendar(2026, 2027)
    assert calendar.add_business_days(date(2026, 12, 23), 5) == date(2027, 1, 5)
    assert due_date(date(2026, 12, 23), 5, Unit.BUSINESS_DAYS, today=date(2026, 12, 23)) == date(
        2027, 1, 5
    )


def test_a_closure_day_kept_by_staff_is_skipped_like_a_holiday() -> None:
    ClosureDay.objects.create(
        day=date(2026, 3, 10), reason_fr="Tempête de neige", reason_en="Snowstorm"
    )
    assert due_date(date(2026, 3, 6), 5, Unit.BUSINESS_DAYS, today=date(2026, 3, 6)) == date(
        2026, 3, 16
    )
    with translation.override("en"):
        assert closed_days(date(2026, 3, 1), date(2026, 3, 31)) == {date(2026, 3, 10): "Snowstorm"}


def test_a_suspension_spanning_easter_adds_back_only_its_business_days() -> None:
    # Received Monday 30 March, 5 business days; incomplete from Wednesday 1 April to
    # Wednesday 8 April: 2, 7 and 8 April are added back (3 and 6 April are holidays).
    suspended = [(date(2026, 4, 1), date(2026, 4, 8))]
    assert due_date(
        date(2026, 3, 30), 5, Unit.BUSINESS_DAYS, suspensions=suspended, today=date(2026, 4, 8)
    ) == date(2026, 4, 13)
    # Still suspended: it runs until today.
    assert due_date(
        date(2026, 3, 30),
        5,
        Unit.BUSINESS_DAYS,
        suspensions=[(date(2026, 4, 1), None)],
        today=date(2026, 4, 2),
    ) == date(2026, 4, 9)  # 2 April added back so far


def test_calendar_days_skip_nothing_but_add_back_suspended_days() -> None:
    assert due_date(date(2026, 12, 20), 30, Unit.CALENDAR_DAYS, today=date(2026, 12, 20)) == date(
        2027, 1, 19
    )
    assert due_date(
        date(2026, 12, 20),
        30,
        Unit.CALENDAR_DAYS,
        suspensions=[(date(2026, 12, 22), date(2026, 12, 25))],
        today=date(2026, 12, 28),
    ) == date(2027, 1, 22)


def test_24_june_is_the_fete_nationale_in_english_too() -> None:
    from datetime import date

    from django.utils import translation

    from guichet.core.dates import quebec_holidays

    with translation.override("en"):
        name = quebec_holidays(date(2026, 6, 24), date(2026, 6, 24))[date(2026, 6, 24)]
    assert name == "National Holiday (Fête nationale du Québec)" and "Baptiste" not in name
