"""Waitlist of a full session with a time-limited hold (SPEC C10)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from guichet.appointments.models import Booking, BookingStatus, Session, WaitlistEntry
from guichet.appointments.models import WaitlistStatus as W
from guichet.appointments.services import (
    book,
    cancel,
    claim,
    expire_holds,
    join_waitlist,
    leave_waitlist,
)
from guichet.appointments.tests.factories import SessionFactory
from guichet.appointments.tests.test_booking import registered_client, user_of
from guichet.clients.models import Client
from guichet.core.refusals import Refused


def _full_session(capacity: int = 1) -> tuple[Session, list[Booking]]:
    session = SessionFactory.create(capacity=capacity)
    holders = [registered_client(100 + n) for n in range(capacity)]
    bookings = [book(client=c, session=session, actor=user_of(c)) for c in holders]
    return session, bookings


def _seats(session: Session) -> tuple[int, int]:
    session.refresh_from_db()
    return session.seats_taken, session.seats_held


@pytest.mark.django_db
def test_only_a_full_session_has_a_waitlist() -> None:
    person = registered_client()
    open_session = SessionFactory.create(capacity=3)
    with pytest.raises(Refused) as refused:
        join_waitlist(client=person, session=open_session, actor=user_of(person))
    assert refused.value.code == "not_full"
    full, _ = _full_session()
    join_waitlist(client=person, session=full, actor=user_of(person))
    with pytest.raises(Refused) as refused:
        join_waitlist(client=person, session=full, actor=user_of(person))
    assert refused.value.code == "already_waiting"


@pytest.mark.django_db
def test_a_freed_seat_is_held_for_the_first_in_line_then_claimed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    session, (holder,) = _full_session()
    first, second = registered_client(1), registered_client(2)
    entry_1 = join_waitlist(client=first, session=session, actor=user_of(first))
    entry_2 = join_waitlist(client=second, session=session, actor=user_of(second))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(booking=holder, actor=user_of(holder.client))
    entry_1.refresh_from_db()
    assert entry_1.status == W.OFFERED and entry_1.hold_until is not None
    assert timedelta(hours=23) < entry_1.hold_until - timezone.now() <= timedelta(hours=24)
    assert _seats(session) == (0, 1)
    subjects = [m.subject for m in mail.outbox]
    assert "Une place s'est libérée" in subjects
    offer = next(m for m in mail.outbox if m.subject == "Une place s'est libérée")
    assert offer.to == [first.email] and first.last_name not in offer.body
    # The held seat is not free for anybody else.
    outsider = registered_client(3)
    with pytest.raises(Refused) as refused:
        book(client=outsider, session=session, actor=user_of(outsider))
    assert refused.value.code == "full"
    # The second in line cannot claim it.
    with pytest.raises(Refused):
        claim(entry=entry_2, actor=user_of(second))
    booking = claim(entry=entry_1, actor=user_of(first))
    assert booking.status == BookingStatus.BOOKED
    assert _seats(session) == (1, 0)
    entry_1.refresh_from_db()
    assert entry_1.status == W.CLAIMED


@pytest.mark.django_db
def test_an_unclaimed_hold_passes_to_the_next_then_frees_the_seat() -> None:
    session, (holder,) = _full_session()
    first, second = registered_client(1), registered_client(2)
    entry_1 = join_waitlist(client=first, session=session, actor=user_of(first))
    entry_2 = join_waitlist(client=second, session=session, actor=user_of(second))
    cancel(booking=holder, actor=user_of(holder.client))
    assert expire_holds() == 0  # not yet due
    WaitlistEntry.objects.filter(pk=entry_1.pk).update(hold_until=timezone.now())
    assert expire_holds() == 1
    entry_1.refresh_from_db()
    entry_2.refresh_from_db()
    assert entry_1.status == W.EXPIRED and entry_2.status == W.OFFERED
    with pytest.raises(Refused) as refused:
        claim(entry=entry_1, actor=user_of(first))
    assert refused.value.code == "not_active"
    assert _seats(session) == (0, 1)
    # The second withdraws: nobody waits any more, the seat is free for everyone.
    leave_waitlist(entry=entry_2, actor=user_of(second))
    assert _seats(session) == (0, 0)
    outsider = registered_client(3)
    book(client=outsider, session=session, actor=user_of(outsider))


@pytest.mark.django_db
def test_a_hold_past_its_deadline_cannot_be_claimed() -> None:
    session, (holder,) = _full_session()
    person = registered_client(1)
    entry = join_waitlist(client=person, session=session, actor=user_of(person))
    cancel(booking=holder, actor=user_of(holder.client))
    WaitlistEntry.objects.filter(pk=entry.pk).update(hold_until=timezone.now())
    entry.refresh_from_db()
    with pytest.raises(Refused) as refused:
        claim(entry=entry, actor=user_of(person))
    assert refused.value.code == "hold_expired"


@pytest.mark.django_db
def test_waitlist_from_the_search_page_and_claim_from_my_appointments(client: HttpClient) -> None:
    session, (holder,) = _full_session()
    person = registered_client(1)
    client.force_login(user_of(person))
    query = f"?type={session.appointment_type_id}&ville={session.place.locality_id}&rechercher=1"
    html = client.get(reverse("appointments:book") + query).content.decode()
    assert "Complet" in html and f'name="waitlist" value="{session.pk}"' in html
    response = client.post(reverse("appointments:book") + query, {"waitlist": session.pk})
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(client=person)
    html = client.get(reverse("appointments:mine")).content.decode()
    assert "Mes listes d'attente" in html and "En attente d'une place" in html
    cancel(booking=holder, actor=user_of(holder.client))
    html = client.get(reverse("appointments:mine")).content.decode()
    claim_url = reverse("appointments:waitlist_claim", kwargs={"entry_id": entry.pk})
    assert "Une place vous est offerte." in html and claim_url in html
    assert client.get(claim_url).status_code == 200
    assert client.post(claim_url).status_code == 302
    assert Booking.objects.filter(client=person, status=BookingStatus.BOOKED).count() == 1


@pytest.mark.django_db
def test_clients_cannot_touch_another_clients_waitlist_entry(client: HttpClient) -> None:
    session, (holder,) = _full_session()
    owner, intruder = registered_client(1), registered_client(2)
    entry = join_waitlist(client=owner, session=session, actor=user_of(owner))
    cancel(booking=holder, actor=user_of(holder.client))
    client.force_login(user_of(intruder))
    claim_url = reverse("appointments:waitlist_claim", kwargs={"entry_id": entry.pk})
    leave_url = reverse("appointments:waitlist_leave", kwargs={"entry_id": entry.pk})
    assert client.get(claim_url).status_code == 404
    assert client.post(claim_url).status_code == 404
    assert client.post(leave_url).status_code == 404
    entry.refresh_from_db()
    assert entry.status == W.OFFERED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_offer_each_seat_to_a_different_person() -> None:
    session, bookings = _full_session(capacity=4)
    waiting: list[Client] = [registered_client(n) for n in range(6)]
    for person in waiting:
        join_waitlist(client=person, session=session, actor=user_of(person))
    barrier = threading.Barrier(len(bookings))

    def release(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            cancel(booking=bookings[n], actor=user_of(bookings[n].client))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(bookings)) as pool:
        list(pool.map(release, range(len(bookings))))
    offered = WaitlistEntry.objects.filter(session=session, status=W.OFFERED)
    assert offered.count() == 4
    assert sorted(offered.values_list("client_id", flat=True)) == sorted(p.pk for p in waiting[:4])
    assert _seats(session) == (0, 4)
