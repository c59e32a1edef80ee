"""Appointments the declaration promises within a delay (seed 003): a seat of a first-steps
meeting offered within 5 business days of the request; a rescheduled one offered again within
that delay, counted from the change. Measured at booking (issue 31.3): the first day a seat was
offered in the city chosen, not the later day the person may prefer."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory, staff
from guichet.appointments import services as appointments
from guichet.appointments.models import Booking, BookingStatus
from guichet.appointments.tests.factories import (
    AppointmentTypeFactory,
    PlaceFactory,
    SessionFactory,
)
from guichet.clients.models import Locality
from guichet.clients.tests.factories import ClientFactory
from guichet.commitments.models import Clock
from guichet.core.dates import Calendar
from guichet.core.events import delivered

pytestmark = pytest.mark.django_db


def _at(days: int) -> datetime:
    today = timezone.localdate()
    day = Calendar.around(today).add_business_days(today, days)
    return timezone.make_aware(datetime.combine(day, time(13, 30)))


def _due(days: int) -> str:
    today = timezone.localdate()
    return Calendar.around(today).add_business_days(today, days).isoformat()


def book(**kwargs: Any) -> Any:
    """A booking, its « booking.created » event delivered as after the commit."""
    with delivered():
        return appointments.book(**kwargs)


def reschedule(**kwargs: Any) -> Any:
    with delivered():
        return appointments.reschedule(**kwargs)


def _first_steps(place: Any = None) -> tuple[Any, Any]:
    kind = AppointmentTypeFactory.create(slug="premieres-demarches", min_notice_hours=0)
    place = place or PlaceFactory.create()
    kind.organisations.set([place.organisation])
    return kind, place


def _person(number: str) -> tuple[Any, Any]:
    user = UserFactory.create()
    return user, ClientFactory.create(user=user, cic_client_id=number)


def test_a_later_date_the_person_picks_is_not_a_breach_when_a_seat_was_offered_in_time(
    client,
) -> None:
    """Issue 31.3: the commitment is a seat offered within 5 business days, measured at booking;
    the person who prefers a later session does not make a ministry breach."""
    kind, place = _first_steps()
    soon = SessionFactory.create(appointment_type=kind, place=place, starts_at=_at(2))
    later = SessionFactory.create(appointment_type=kind, place=place, starts_at=_at(9))
    user, registered = _person("40000051")
    booking = book(client=registered, session=later, actor=user)
    clock = Clock.objects.get()
    assert clock.commitment.code == "first-steps-meeting"
    assert (clock.received_on, clock.due_on.isoformat()) == (timezone.localdate(), _due(5))
    assert clock.stopped_on == timezone.localdate(soon.starts_at) and clock.met
    # The person reads no second, contradictory date beside the booking.
    client.force_login(user)
    mine = client.get(reverse("appointments:mine")).content.decode()
    assert "Déclaration de services : au plus tard" not in mine
    office = Client()
    office.force_login(staff(Role.MINISTRY_STAFF))
    record = office.get(reverse("backoffice:client", kwargs={"client_id": registered.pk}))
    offered = timezone.localdate(soon.starts_at).isoformat()
    assert f"place offerte dans le délai (le {offered})" in record.content.decode()
    # Moved: the new booking is a new offer, counted from the day of the change.
    url = reverse("appointments:reschedule", kwargs={"booking_id": booking.pk})
    page = client.get(url).content.decode()
    assert f"un nouveau rendez-vous vous est proposé au plus tard le {_due(5)}" in page
    moved = reschedule(booking=booking, session=soon, actor=user)
    assert Clock.objects.get(target_id=moved.pk).met
    out = open("/dev/null", "w")  # noqa: SIM115
    call_command("run_commitment_jobs", stdout=out)
    assert Clock.objects.filter(target_id=booking.pk).get().met  # an offer made, kept


def test_no_seat_within_the_delay_in_the_city_chosen_is_a_breach() -> None:
    kind, place = _first_steps()
    elsewhere = PlaceFactory.create(
        organisation=place.organisation,
        locality=Locality.objects.get(name="Sherbrooke"),
    )
    SessionFactory.create(appointment_type=kind, place=elsewhere, starts_at=_at(1))
    assert elsewhere.locality_id != place.locality_id
    later = SessionFactory.create(appointment_type=kind, place=place, starts_at=_at(9))
    user, registered = _person("40000053")
    book(client=registered, session=later, actor=user)
    clock = Clock.objects.get()
    assert clock.stopped_on == timezone.localdate(later.starts_at)
    assert clock.breached_on == clock.stopped_on and not clock.met


def test_a_full_earlier_session_was_not_offered() -> None:
    kind, place = _first_steps()
    full = SessionFactory.create(appointment_type=kind, place=place, starts_at=_at(1), capacity=1)
    later = SessionFactory.create(appointment_type=kind, place=place, starts_at=_at(8))
    first, first_file = _person("40000054")
    book(client=first_file, session=full, actor=first)
    second, second_file = _person("40000055")
    book(client=second_file, session=later, actor=second)
    clock = Clock.objects.get(target_id=Booking.objects.get(session=later).pk)
    assert clock.breached_on is not None


def test_a_clock_left_running_by_an_earlier_version_is_settled_by_the_migration() -> None:
    """Issue 32: the daily catch-up is gone; the clocks an earlier version left running are
    settled once, by commitments' migration 0005."""
    from importlib import import_module

    from django.apps import apps

    settle = import_module("guichet.commitments.migrations.0005_settle_booking_clocks").settle
    kind, place = _first_steps()
    session = SessionFactory.create(appointment_type=kind, place=place, starts_at=_at(2))
    user, registered = _person("40000056")
    booking = book(client=registered, session=session, actor=user)
    Clock.objects.filter(target_id=booking.pk).update(stopped_on=None, breached_on=None)
    later_start = timezone.now() - timedelta(hours=1)
    type(session).objects.filter(pk=session.pk).update(starts_at=later_start)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.COMPLETED)
    Clock.objects.filter(target_id=booking.pk).update(
        received_on=timezone.localdate() - timedelta(days=20),
        due_on=timezone.localdate() - timedelta(days=13),
    )
    settle(apps, None)
    clock = Clock.objects.get(target_id=booking.pk)
    assert clock.stopped_on == timezone.localdate(later_start) and not clock.met


def test_other_appointment_types_have_no_clock() -> None:
    kind = AppointmentTypeFactory.create(slug="objectif-integration")
    user = UserFactory.create()
    registered = ClientFactory.create(user=user, cic_client_id="40000052")
    book(client=registered, session=SessionFactory.create(appointment_type=kind), actor=user)
    assert not Clock.objects.exists()
