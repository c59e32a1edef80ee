"""« Places offertes dans les délais » (SPEC H2 §3): the first-steps meeting within 5 business
days, city by city; an alert where the calendar offers no seat in time. Partners see their own
places only."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import staff
from guichet.appointments.tests.factories import (
    AppointmentTypeFactory,
    PlaceFactory,
    SessionFactory,
)
from guichet.clients.models import Locality
from guichet.core.dates import Calendar

pytestmark = pytest.mark.django_db


def _at(days: int) -> datetime:
    today = timezone.localdate()
    day = Calendar.around(today).add_business_days(today, days)
    return timezone.make_aware(datetime.combine(day, time(13, 30)))


def test_each_city_shows_a_seat_within_the_delay_or_an_alert(client) -> None:
    kind = AppointmentTypeFactory.create(slug="premieres-demarches", min_notice_hours=0)
    montreal = PlaceFactory.create(name="Lieu de Montréal")
    quebec = PlaceFactory.create(
        name="Lieu de Québec", locality=Locality.objects.get(name="Québec")
    )
    kind.organisations.set([montreal.organisation, quebec.organisation])
    SessionFactory.create(appointment_type=kind, place=montreal, starts_at=_at(2))
    full = SessionFactory.create(appointment_type=kind, place=quebec, starts_at=_at(3))
    full.seats_taken = full.capacity
    full.save(update_fields=["seats_taken"])
    SessionFactory.create(appointment_type=kind, place=quebec, starts_at=_at(9))

    client.force_login(staff(Role.MINISTRY_STAFF))
    page = client.get(reverse("backoffice:commitment_capacity")).content.decode()
    deadline = Calendar.around(timezone.localdate()).add_business_days(timezone.localdate(), 5)
    assert f"au plus tard le {deadline.isoformat()}" in page
    assert "Alerte : 1 ville n'offre aucune place dans le délai." in page
    montreal_row = page.split("Montréal</th>")[1].split("</tr>")[0]
    quebec_row = page.split("Québec</th>")[1].split("</tr>")[0]
    assert "Place offerte dans le délai" in montreal_row and ">25<" in montreal_row
    assert "Alerte : aucune place dans le délai" in quebec_row
    assert "après le délai" in quebec_row  # the first free seat, too late
    # S'adapter au monde du travail québécois: no such type is offered here.
    assert "Aucun type de rendez-vous offert ne tient cet engagement." in page

    client.force_login(staff(Role.PARTNER_STAFF, quebec.organisation))
    page = client.get(reverse("backoffice:commitment_capacity")).content.decode()
    assert "Québec</th>" in page and "Montréal</th>" not in page
