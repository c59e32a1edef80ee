"""« Sélectionner un rendez-vous » and « Annuler un rendez-vous » (seed 000 §5.2, §5.4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import UserFactory
from guichet.appointments.models import Booking, BookingStatus, SessionModule
from guichet.appointments.services import book
from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
from guichet.clients.models import Client
from guichet.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client: HttpClient) -> tuple[User, Client]:
    user = UserFactory.create()
    registered = ClientFactory.create(user=user, cic_client_id="40000001", french_sufficient=True)
    client.force_login(user)
    return user, registered


def test_every_appointment_is_listed_with_the_seed_columns(
    client: HttpClient, person: tuple[User, Client]
) -> None:
    user, registered = person
    upcoming = book(
        client=registered,
        session=SessionFactory.create(
            appointment_type=AppointmentTypeFactory.create(title_fr="Objectif Intégration")
        ),
        actor=user,
    )
    SessionModule.objects.create(
        session=upcoming.session,
        position=1,
        starts_at=upcoming.session.starts_at,
        duration_minutes=180,
    )
    cancelled = book(
        client=registered,
        session=SessionFactory.create(starts_at=timezone.now() + timedelta(days=9)),
        actor=UserFactory.create(role=Role.PARTNER_STAFF),
    )
    Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CANCELLED)
    html = client.get(reverse("appointments:mine")).content.decode()
    for column in [
        "Type de rendez-vous",
        "Date et heure",
        "Organisme",
        "Statut du rendez-vous",
        "Lieu du rendez-vous",
        "Source",
    ]:
        assert f">{column}</th>" in html
    assert "Objectif Intégration" in html and "1 module" in html
    # Each cell carries its column's name, for the labelled rows of narrow screens.
    assert '<td data-label="Statut du rendez-vous">Annulé</td>' in html
    assert '<td data-label="Source">Partenaire</td>' in html
    assert '<td data-label="Source">Client</td>' in html
    assert reverse("appointments:cancel", kwargs={"booking_id": upcoming.pk}) in html
    assert reverse("appointments:cancel", kwargs={"booking_id": cancelled.pk}) not in html
    assert "openstreetmap.org" in html


def test_a_client_cancels_after_confirming(client: HttpClient, person: tuple[User, Client]) -> None:
    user, registered = person
    booking = book(client=registered, session=SessionFactory.create(), actor=user)
    url = reverse("appointments:cancel", kwargs={"booking_id": booking.pk})
    assert "Voulez-vous vraiment annuler" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("appointments:mine")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    booking.session.refresh_from_db()
    assert booking.session.seats_taken == 0


def test_no_cancel_link_or_page_past_the_cutoff(
    client: HttpClient, person: tuple[User, Client]
) -> None:
    user, registered = person
    kind = AppointmentTypeFactory.create(change_cutoff_hours=72, min_notice_hours=0)
    booking = book(
        client=registered,
        session=SessionFactory.create(
            appointment_type=kind, starts_at=timezone.now() + timedelta(hours=30)
        ),
        actor=user,
    )
    url = reverse("appointments:cancel", kwargs={"booking_id": booking.pk})
    assert url not in client.get(reverse("appointments:mine")).content.decode()
    assert client.post(url)["Location"] == reverse("appointments:mine")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_another_clients_booking_is_not_found(
    client: HttpClient, person: tuple[User, Client]
) -> None:
    other_user = UserFactory.create()
    other = ClientFactory.create(user=other_user, cic_client_id="40000002")
    booking = book(client=other, session=SessionFactory.create(), actor=other_user)
    url = reverse("appointments:cancel", kwargs={"booking_id": booking.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert "aucun rendez-vous" in client.get(reverse("appointments:mine")).content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_client_not_yet_registered_is_sent_to_the_registration(client: HttpClient) -> None:
    client.force_login(UserFactory.create())
    assert client.get(reverse("appointments:mine"))["Location"] == reverse(
        "clients:registration_start"
    )


@pytest.mark.django_db
def test_upcoming_appointments_come_first_soonest_first_then_the_past_newest_first() -> None:
    """Issue 13 #10: « Sélectionner un rendez-vous » was not sorted."""
    from datetime import timedelta

    from django.utils import timezone

    from guichet.appointments.models import Booking
    from guichet.appointments.selectors import bookings_for
    from guichet.appointments.tests.factories import SessionFactory
    from guichet.appointments.tests.test_booking import registered_client

    person = registered_client()
    now = timezone.now()
    offsets = [-30, 20, -2, 5, 60]
    for days in offsets:
        session = SessionFactory.create(starts_at=now + timedelta(days=days, hours=1))
        Booking.objects.create(client=person, session=session, source="client")
    order = [round((b.session.starts_at - now).days) for b in bookings_for(person.user)]
    assert order == [5, 20, 60, -2, -30]
