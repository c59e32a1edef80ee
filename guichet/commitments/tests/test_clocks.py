"""Commitment clocks: a due date on the business-day calendar, suspensions added back, met or
breached, a breach recorded once."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.accounts.tests.factories import UserFactory
from guichet.commitments import clocks
from guichet.commitments.models import Clock
from guichet.core.dates import Calendar
from guichet.core.models import ClosureDay

pytestmark = pytest.mark.django_db


def test_a_clock_starts_once_per_request_and_falls_due_after_the_delay_in_business_days() -> None:
    request = UserFactory.create()  # any record can be a request
    # Received Thursday 2 April 2026: Good Friday and Easter Monday are skipped.
    clock = clocks.start("first-steps-meeting", request, received_on=date(2026, 4, 2))
    assert clock.due_on == date(2026, 4, 13)
    assert clocks.start("first-steps-meeting", request, received_on=date(2026, 4, 3)).pk == clock.pk
    other = clocks.start("email-answer", request, received_on=date(2026, 4, 2))
    assert other.pk != clock.pk


def test_a_suspension_spanning_a_holiday_and_a_closure_day_adds_back_its_business_days() -> None:
    ClosureDay.objects.create(day=date(2026, 4, 8), reason_fr="Tempête", reason_en="Storm")
    clock = clocks.start("csq-file-opening", UserFactory.create(), received_on=date(2026, 3, 30))
    first_due = clock.due_on
    clocks.suspend(clock, on=date(2026, 4, 1), reason="Pièces manquantes")
    assert clock.suspended and clocks.record_breaches(today=date(2026, 12, 31)) == 0
    clocks.resume(clock, on=date(2026, 4, 9))
    # 2, 7 and 9 April count; 3 and 6 April are holidays, 8 April a closure day.
    assert clock.suspended_days == 3
    calendar = Calendar.around(first_due)
    assert clock.due_on == calendar.add_business_days(first_due, 3)


def test_met_on_time_or_breached_and_the_breach_is_recorded_once() -> None:
    on_time = clocks.start("email-answer", UserFactory.create(), received_on=date(2026, 3, 6))
    assert on_time.due_on == date(2026, 3, 13)
    clocks.stop(on_time, on=date(2026, 3, 13))
    assert on_time.met
    late = clocks.start("email-answer", UserFactory.create(), received_on=date(2026, 3, 6))
    assert clocks.record_breaches(today=date(2026, 3, 16)) == 1
    assert clocks.record_breaches(today=date(2026, 3, 17)) == 0  # once
    clocks.explain_breach(Clock.objects.get(pk=late.pk), reason="Absence imprévue")
    late.refresh_from_db()
    clocks.stop(late, on=date(2026, 3, 18))
    late.refresh_from_db()
    assert (late.breached_on, late.breach_reason, late.met) == (
        date(2026, 3, 16),
        "Absence imprévue",
        False,
    )


def test_a_delay_in_minutes_has_no_due_date() -> None:
    with pytest.raises(ValueError):
        clocks.start("phone-answer", UserFactory.create(), received_on=date(2026, 3, 6))
