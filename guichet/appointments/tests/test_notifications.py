"""Confirmation, cancellation and reschedule emails with an .ics attachment (SPEC C10)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from guichet.appointments.models import SessionModule
from guichet.appointments.services import book, cancel, reschedule
from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
from guichet.appointments.tests.test_booking import registered_client, user_of

pytestmark = pytest.mark.django_db


def _calendar(message: Any) -> icalendar.Calendar:
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    _filename, content, mimetype = attachment
    assert mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(content)


def _events(cal: icalendar.Calendar) -> list[Any]:
    return list(cal.walk("VEVENT"))


def _s(moment: Any) -> Any:
    """iCalendar times have whole seconds."""
    return moment.replace(microsecond=0)


def test_confirmation_reschedule_and_cancellation_update_one_calendar_event(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = registered_client()
    kind = AppointmentTypeFactory.create()
    first = SessionFactory.create(appointment_type=kind)
    second = SessionFactory.create(
        appointment_type=kind, place=first.place, starts_at=first.starts_at + timedelta(days=7)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(client=person, session=first, actor=user_of(person))
    (confirmation,) = mail.outbox
    assert confirmation.subject == "Confirmation de votre rendez-vous"
    assert confirmation.to == [person.email]
    body = confirmation.body
    assert kind.title_fr in body and first.organisation.name in body
    assert first.place.address in body and "Documents à apporter" in body
    # No identity data in the message: the seed's confirmation shows none.
    for secret in (person.last_name, person.first_name, person.client_number):
        assert secret not in body
    cal = _calendar(confirmation)
    assert cal["METHOD"] == "REQUEST"
    (event,) = _events(cal)
    uid = str(event["UID"])
    assert uid == f"{booking.calendar_uid}@guichet"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == _s(first.starts_at)
    assert event.decoded("DTEND") == _s(first.starts_at) + timedelta(minutes=first.duration_minutes)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/Montreal"]
    assert str(event["SUMMARY"]) == kind.title_fr
    assert first.place.address in str(event["LOCATION"])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = reschedule(booking=booking, session=second, actor=user_of(person))
    (notice,) = mail.outbox
    assert notice.subject == "Votre rendez-vous a été déplacé"
    (event,) = _events(_calendar(notice))
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == _s(second.starts_at)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(booking=moved, actor=user_of(person))
    (notice,) = mail.outbox
    assert notice.subject == "Annulation de votre rendez-vous"
    cal = _calendar(notice)
    assert cal["METHOD"] == "CANCEL"
    (event,) = _events(cal)
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_multi_module_schedule_has_one_event_per_module(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = registered_client()
    session = SessionFactory.create(starts_at=timezone.now() + timedelta(days=10))
    for n in range(1, 9):
        SessionModule.objects.create(
            session=session,
            position=n,
            starts_at=session.starts_at + timedelta(days=n - 1),
            duration_minutes=180,
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        book(client=person, session=session, actor=user_of(person))
    (confirmation,) = mail.outbox
    events = _events(_calendar(confirmation))
    assert len(events) == 8
    assert len({str(e["UID"]) for e in events}) == 8
    assert [e.decoded("DTSTART") for e in events] == [
        _s(session.starts_at) + timedelta(days=n) for n in range(8)
    ]
    assert "module 3 de 8" in str(events[2]["SUMMARY"])
    assert "Module n°8" in confirmation.body


def test_the_email_follows_the_clients_language(django_capture_on_commit_callbacks: Any) -> None:
    person = registered_client()
    user = user_of(person)
    user.preferred_language = "en"
    user.save()
    kind = AppointmentTypeFactory.create()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        book(client=person, session=SessionFactory.create(appointment_type=kind), actor=user)
    (confirmation,) = mail.outbox
    assert confirmation.subject == "Confirmation of your appointment"
    assert kind.title_en in confirmation.body and "/en/" in confirmation.body
    (event,) = _events(_calendar(confirmation))
    assert str(event["SUMMARY"]) == kind.title_en


def test_a_client_without_a_profile_gets_notices_in_their_correspondence_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from guichet.accounts.models import Role
    from guichet.accounts.tests.factories import UserFactory
    from guichet.clients.tests.factories import ClientFactory

    person = ClientFactory.create(user=None, cic_client_id="77777777", language="en")
    staff = UserFactory.create(role=Role.MINISTRY_STAFF)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        book(client=person, session=SessionFactory.create(), actor=staff)
    (confirmation,) = mail.outbox
    assert confirmation.subject == "Confirmation of your appointment"
