"""Booking never overbooks; cancelling releases the seat (SPEC C5, C7)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import UserFactory
from guichet.appointments.models import Booking, BookingStatus, FrenchRequirement, Session
from guichet.appointments.services import book, cancel, is_eligible
from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
from guichet.audit.models import AuditEvent
from guichet.clients.models import Client, ImmigrationStatus
from guichet.clients.tests.factories import ClientFactory
from guichet.core.actor import Source
from guichet.core.refusals import Refused


def user_of(client: Client) -> User:
    assert client.user is not None
    return client.user


def registered_client(n: int = 0) -> Client:
    user = UserFactory.create()
    return ClientFactory.create(user=user, cic_client_id=f"{30000000 + n}", french_sufficient=True)


@pytest.mark.django_db
def test_a_booking_takes_a_seat_and_a_cancellation_gives_it_back() -> None:
    client = registered_client()
    session = SessionFactory.create(capacity=2)
    booking = book(client=client, session=session, actor=user_of(client))
    session.refresh_from_db()
    assert session.seats_taken == 1
    assert booking.source == Source.CLIENT
    cancel(booking=booking, actor=user_of(client))
    booking.refresh_from_db()
    session.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.changed_source == Source.CLIENT
    assert session.seats_taken == 0
    assert list(
        AuditEvent.objects.filter(object_type="appointments.booking").values_list(
            "action", flat=True
        )
    ) == ["booking.cancelled", "booking.created"]


@pytest.mark.django_db
def test_a_full_session_refuses() -> None:
    session = SessionFactory.create(capacity=1)
    book(client=registered_client(1), session=session, actor=UserFactory.create())
    with pytest.raises(Refused) as refused:
        book(client=registered_client(2), session=session, actor=UserFactory.create())
    assert refused.value.code == "full"


@pytest.mark.django_db
def test_the_same_client_cannot_book_the_same_session_twice() -> None:
    client = registered_client()
    kind = AppointmentTypeFactory.create(one_active_booking=False)
    session = SessionFactory.create(appointment_type=kind)
    book(client=client, session=session, actor=user_of(client))
    with pytest.raises(Refused) as refused:
        book(client=client, session=session, actor=user_of(client))
    assert refused.value.code == "already_booked"
    session.refresh_from_db()
    assert session.seats_taken == 1  # the refused attempt gave its seat back


@pytest.mark.django_db
def test_one_active_booking_per_type_when_the_type_says_so() -> None:
    client = registered_client()
    kind = AppointmentTypeFactory.create(one_active_booking=True)
    book(client=client, session=SessionFactory.create(appointment_type=kind), actor=user_of(client))
    with pytest.raises(Refused) as refused:
        book(
            client=client,
            session=SessionFactory.create(appointment_type=kind),
            actor=user_of(client),
        )
    assert refused.value.code == "already_booked_type"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_in", "reason"), [(timedelta(hours=2), "too_soon"), (timedelta(days=200), "too_far")]
)
def test_notice_and_horizon(starts_in: timedelta, reason: str) -> None:
    client = registered_client()
    session = SessionFactory.create(starts_at=timezone.now() + starts_in)
    with pytest.raises(Refused) as refused:
        book(client=client, session=session, actor=user_of(client))
    assert refused.value.code == reason
    # Staff acting on a client's behalf are not bound by the online notice and horizon.
    staff = UserFactory.create(role=Role.MINISTRY_STAFF)
    assert book(client=client, session=session, actor=staff).source == Source.MINISTRY


@pytest.mark.django_db
def test_eligibility_follows_status_and_french_level() -> None:
    client = registered_client()
    francisation = AppointmentTypeFactory.create(french_requirement=FrenchRequirement.INSUFFICIENT)
    assert not is_eligible(client, francisation)
    client.french_sufficient = False
    assert is_eligible(client, francisation)
    students_only = AppointmentTypeFactory.create()
    students_only.eligible_statuses.add(ImmigrationStatus.objects.get(code="foreign_student"))
    assert not is_eligible(client, students_only)


@pytest.mark.django_db
def test_clients_cancel_online_only_when_allowed_and_before_the_cutoff() -> None:
    client = registered_client()
    kind = AppointmentTypeFactory.create(online_cancel=False)
    booking = book(
        client=client, session=SessionFactory.create(appointment_type=kind), actor=user_of(client)
    )
    with pytest.raises(Refused):
        cancel(booking=booking, actor=user_of(client))
    soon = SessionFactory.create(starts_at=timezone.now() + timedelta(hours=30))
    late = book(client=client, session=soon, actor=user_of(client))
    Session.objects.filter(pk=soon.pk).update(starts_at=timezone.now() + timedelta(hours=3))
    late.refresh_from_db()
    with pytest.raises(Refused) as refused:
        cancel(booking=late, actor=user_of(client))
    assert refused.value.code == "too_late"
    cancel(booking=late, actor=UserFactory.create(role=Role.PARTNER_STAFF))


LAST_SEATS = 10
RACERS = 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_seats_never_overbooks() -> None:
    session = SessionFactory.create(capacity=25, seats_taken=25 - LAST_SEATS)
    clients = [registered_client(n) for n in range(RACERS)]
    barrier = threading.Barrier(RACERS)

    def attempt(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            book(client=clients[n], session=session, actor=user_of(clients[n]))
            return "booked"
        except Refused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(attempt, range(RACERS)))
    session.refresh_from_db()
    assert outcomes.count("booked") == LAST_SEATS
    assert outcomes.count("full") == RACERS - LAST_SEATS
    assert session.seats_taken == session.capacity
    assert (
        Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count() == LAST_SEATS
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_client_racing_twice_gets_one_seat() -> None:
    kind = AppointmentTypeFactory.create(one_active_booking=False)
    session = SessionFactory.create(appointment_type=kind, capacity=5)
    client = registered_client()
    barrier = threading.Barrier(6)

    def attempt(_: int) -> str:
        try:
            barrier.wait(timeout=30)
            book(client=client, session=session, actor=user_of(client))
            return "booked"
        except Refused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, range(6)))
    session.refresh_from_db()
    assert outcomes.count("booked") == 1
    assert session.seats_taken == 1


@pytest.mark.django_db
def test_the_seat_counter_cannot_be_edited_in_the_admin(client: Any, users: Any) -> None:
    """Security finding 14: `seats_taken` set to 0 in the admin let a 5-seat session take 10."""
    from django.urls import reverse

    session = SessionFactory.create(capacity=5)
    Session.objects.filter(pk=session.pk).update(seats_taken=5)
    client.force_login(users[Role.ADMIN])
    url = reverse("admin:appointments_session_change", args=[session.pk])
    page = client.get(url).content.decode()
    assert 'name="seats_taken"' not in page
    client.post(url, {"seats_taken": "0"})
    session.refresh_from_db()
    assert session.seats_taken == 5
