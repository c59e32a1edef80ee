"""Issue 13 #1: a booking (or a reschedule) that overlaps another active booking of the same
client is refused, naming the other appointment; staff may override with a reason (audited)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.appointments.models import Booking, BookingStatus, SessionModule
from guichet.appointments.services import book, reschedule
from guichet.appointments.tests.factories import (
    AppointmentTypeFactory,
    PlaceFactory,
    SessionFactory,
)
from guichet.appointments.tests.test_booking import registered_client, user_of
from guichet.audit.models import AuditEvent
from guichet.core.refusals import Refused


def _nine_am(days: int = 7) -> Any:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def _session(starts_at: Any, minutes: int = 180, **extra: Any) -> Any:
    kind = AppointmentTypeFactory.create(one_active_booking=False)
    return SessionFactory.create(
        appointment_type=kind, starts_at=starts_at, duration_minutes=minutes, **extra
    )


@pytest.mark.django_db
def test_two_appointments_at_the_same_time_are_refused_naming_the_other() -> None:
    person = registered_client()
    montreal = _session(_nine_am())
    quebec = _session(_nine_am() + timedelta(hours=2))  # starts before Montréal ends
    book(client=person, session=montreal, actor=user_of(person))
    with pytest.raises(Refused) as refused:
        book(client=person, session=quebec, actor=user_of(person))
    assert refused.value.code == "overlap" and refused.value.context["other"] is not None
    assert refused.value.context["other"].session == montreal
    # Back to back is fine.
    later = _session(_nine_am() + timedelta(hours=3))
    book(client=person, session=later, actor=user_of(person))


@pytest.mark.django_db
def test_any_module_of_a_multi_module_schedule_counts() -> None:
    person = registered_client()
    course = _session(_nine_am(), minutes=60)
    SessionModule.objects.create(
        session=course, position=1, starts_at=_nine_am(), duration_minutes=60
    )
    SessionModule.objects.create(
        session=course, position=2, starts_at=_nine_am(14), duration_minutes=60
    )
    book(client=person, session=course, actor=user_of(person))
    clash = _session(_nine_am(14) + timedelta(minutes=30), minutes=60)
    with pytest.raises(Refused) as refused:
        book(client=person, session=clash, actor=user_of(person))
    assert refused.value.code == "overlap"
    free = _session(_nine_am(10), minutes=60)  # between the two modules
    book(client=person, session=free, actor=user_of(person))


@pytest.mark.django_db
def test_a_reschedule_into_another_appointment_is_refused() -> None:
    person = registered_client()
    place = PlaceFactory.create()
    kind = AppointmentTypeFactory.create()
    first = SessionFactory.create(appointment_type=kind, place=place, starts_at=_nine_am(7))
    moved_to = SessionFactory.create(appointment_type=kind, place=place, starts_at=_nine_am(9))
    other = _session(_nine_am(9) + timedelta(hours=1))
    booking = book(client=person, session=first, actor=user_of(person))
    book(client=person, session=other, actor=user_of(person))
    with pytest.raises(Refused) as refused:
        reschedule(booking=booking, session=moved_to, actor=user_of(person))
    assert refused.value.code == "overlap"
    # Moving within its own time is not an overlap with itself.
    same_time = SessionFactory.create(appointment_type=kind, place=place, starts_at=_nine_am(7))
    reschedule(booking=booking, session=same_time, actor=user_of(person))


@pytest.mark.django_db
def test_the_client_sees_which_appointment_is_in_the_way(client: HttpClient) -> None:
    person = registered_client()
    first = _session(_nine_am())
    book(client=person, session=first, actor=user_of(person))
    clash = _session(_nine_am() + timedelta(hours=1))
    client.force_login(user_of(person))
    response = client.post(
        reverse("appointments:book"),
        {"session": clash.pk, "type": clash.appointment_type.pk},
        follow=True,
    )
    html = unescape(response.content.decode())
    assert "chevauche un autre de vos rendez-vous" in html
    assert first.appointment_type.title in html and first.organisation.name in html
    assert not Booking.objects.filter(session=clash).exists()


@pytest.mark.django_db
def test_staff_may_override_an_overlap_with_a_reason_which_is_audited(client: HttpClient) -> None:
    from guichet.accounts.tests.factories import staff

    person = registered_client()
    person.consents_to_partner_access = True
    person.save()
    first = _session(_nine_am())
    book(client=person, session=first, actor=user_of(person))
    clash = _session(_nine_am() + timedelta(hours=1))
    client.force_login(staff(Role.PARTNER_STAFF, clash.organisation))
    url = reverse("backoffice:add_participant", kwargs={"session_id": clash.pk})
    refused = client.post(url, {"client_number": person.client_number})
    assert refused.status_code == 422
    assert "chevauche un autre rendez-vous du client" in refused.content.decode()
    ok = client.post(
        url, {"client_number": person.client_number, "overlap_reason": "Module rattrapé en soirée"}
    )
    assert ok.status_code == 302
    assert Booking.objects.filter(session=clash, status=BookingStatus.BOOKED).exists()
    event = AuditEvent.objects.get(action="booking.overlap_override")
    assert event.details["reason"] == "Module rattrapé en soirée"


@pytest.mark.django_db
def test_staff_may_move_a_booking_over_another_with_a_reason(client: HttpClient) -> None:
    """« Reporter/Devancer » in the back office: refused with the other appointment named, the
    chosen slot and the reason kept; accepted with a reason, which is audited."""
    from guichet.accounts.tests.factories import staff

    person = registered_client()
    person.consents_to_partner_access = True
    person.save()
    place = PlaceFactory.create()
    kind = AppointmentTypeFactory.create()
    first = SessionFactory.create(appointment_type=kind, place=place, starts_at=_nine_am(7))
    moved_to = SessionFactory.create(appointment_type=kind, place=place, starts_at=_nine_am(9))
    booking = book(client=person, session=first, actor=user_of(person))
    other = _session(_nine_am(9) + timedelta(hours=1))
    in_the_way = book(client=person, session=other, actor=user_of(person))
    client.force_login(staff(Role.PARTNER_STAFF, place.organisation))
    url = reverse("backoffice:booking_reschedule", kwargs={"booking_id": booking.pk})
    refused = client.post(url, {"session": moved_to.pk, "overlap_reason": ""})
    assert refused.status_code == 422
    html = unescape(refused.content.decode())
    assert "chevauche un autre rendez-vous du client" in html
    assert other.appointment_type.title in html
    assert f'value="{moved_to.pk}" id="slot-{moved_to.pk}" required checked' in html
    ok = client.post(url, {"session": moved_to.pk, "overlap_reason": "Demande du client"})
    assert ok.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESCHEDULED
    assert booking.replaced_by is not None and booking.replaced_by.session == moved_to
    event = AuditEvent.objects.get(action="booking.overlap_override")
    assert event.details == {"other_booking": in_the_way.pk, "reason": "Demande du client"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_bookings_at_once_one_wins() -> None:
    person = registered_client()
    sessions = [_session(_nine_am() + timedelta(minutes=30 * n)) for n in range(4)]
    barrier = threading.Barrier(len(sessions))

    def attempt(session: Any) -> str:
        try:
            barrier.wait(timeout=30)
            book(client=person, session=session, actor=user_of(person))
            return "booked"
        except Refused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        outcomes = list(pool.map(attempt, sessions))
    assert outcomes.count("booked") == 1 and outcomes.count("overlap") == 3
    assert Booking.objects.filter(client=person, status=BookingStatus.BOOKED).count() == 1
