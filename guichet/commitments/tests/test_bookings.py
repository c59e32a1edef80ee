"""Appointments the declaration promises within a delay (seed 003): a first-steps meeting is due
5 business days after it is asked for; a rescheduled one is offered again within that delay,
counted from the change; the daily job stops the clock of a meeting held and drops a moved one."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory, staff
from guichet.appointments.models import Booking, BookingStatus
from guichet.appointments.services import book, reschedule
from guichet.appointments.tests.factories import (
    AppointmentTypeFactory,
    PlaceFactory,
    SessionFactory,
)
from guichet.clients.tests.factories import ClientFactory
from guichet.commitments.models import Clock
from guichet.core.dates import Calendar

pytestmark = pytest.mark.django_db


def _at(days: int) -> datetime:
    today = timezone.localdate()
    day = Calendar.around(today).add_business_days(today, days)
    return timezone.make_aware(datetime.combine(day, time(13, 30)))


def _due(days: int) -> str:
    today = timezone.localdate()
    return Calendar.around(today).add_business_days(today, days).isoformat()


def test_a_first_steps_meeting_is_due_in_5_business_days_and_offered_again_in_time(client) -> None:
    kind = AppointmentTypeFactory.create(slug="premieres-demarches", min_notice_hours=0)
    place = PlaceFactory.create()
    kind.organisations.set([place.organisation])
    soon = SessionFactory.create(appointment_type=kind, place=place, starts_at=_at(2))
    later = SessionFactory.create(appointment_type=kind, place=place, starts_at=_at(9))
    user = UserFactory.create()
    registered = ClientFactory.create(user=user, cic_client_id="40000051")
    booking = book(client=registered, session=soon, actor=user)
    clock = Clock.objects.get()
    assert clock.commitment.code == "first-steps-meeting"
    assert (clock.received_on, clock.due_on.isoformat()) == (timezone.localdate(), _due(5))

    client.force_login(user)
    mine = client.get(reverse("appointments:mine")).content.decode()
    assert f"Déclaration de services : au plus tard le {_due(5)}" in mine
    office = Client()
    office.force_login(staff(Role.MINISTRY_STAFF))
    record = office.get(reverse("backoffice:client", kwargs={"client_id": registered.pk}))
    assert f"Déclaration de services : au plus tard le {_due(5)}" in record.content.decode()
    url = reverse("appointments:reschedule", kwargs={"booking_id": booking.pk})
    page = client.get(url).content.decode()
    assert f"un nouveau rendez-vous vous est proposé au plus tard le {_due(5)}" in page
    assert "Aucune plage libre n'est offerte dans ce délai" in page  # only the later one

    moved = reschedule(booking=booking, session=later, actor=user)
    assert Clock.objects.filter(target_id=moved.pk).get().due_on.isoformat() == _due(5)
    out = open("/dev/null", "w")  # noqa: SIM115
    call_command("run_commitment_jobs", stdout=out)
    assert not Clock.objects.filter(target_id=booking.pk).exists()  # the moved one is dropped

    # Held on its day, after the due date: the clock stops with a breach.
    later_start = timezone.now() - timedelta(hours=1)
    type(later).objects.filter(pk=later.pk).update(starts_at=later_start)
    Booking.objects.filter(pk=moved.pk).update(status=BookingStatus.COMPLETED)
    Clock.objects.filter(target_id=moved.pk).update(
        received_on=timezone.localdate() - timedelta(days=20),
        due_on=timezone.localdate() - timedelta(days=13),
    )
    call_command("run_commitment_jobs", stdout=out)
    clock = Clock.objects.get(target_id=moved.pk)
    assert clock.stopped_on == timezone.localdate(later_start) and not clock.met


def test_other_appointment_types_have_no_clock() -> None:
    kind = AppointmentTypeFactory.create(slug="objectif-integration")
    user = UserFactory.create()
    registered = ClientFactory.create(user=user, cic_client_id="40000052")
    book(client=registered, session=SessionFactory.create(appointment_type=kind), actor=user)
    assert not Clock.objects.exists()
