"""Reporter/Devancer, the Manqué job and reminders (seed 000 §5.5; SPEC C8, C9, C10)."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.appointments.models import Booking, BookingStatus, Session, SessionModule
from guichet.appointments.services import book, mark_missed, reschedule, send_reminders
from guichet.appointments.tests.factories import (
    AppointmentTypeFactory,
    PlaceFactory,
    SessionFactory,
)
from guichet.appointments.tests.test_booking import registered_client, user_of
from guichet.clients.models import Locality
from guichet.core.actor import Source
from guichet.core.refusals import Refused


def _pair(**type_fields: Any) -> tuple[Session, Session]:
    kind = AppointmentTypeFactory.create(**type_fields)
    first = SessionFactory.create(appointment_type=kind)
    second = SessionFactory.create(
        appointment_type=kind,
        place=first.place,
        starts_at=first.starts_at + timedelta(days=7),
    )
    return first, second


@pytest.mark.django_db
def test_reschedule_marks_the_old_booking_reporte_and_moves_the_seat() -> None:
    client = registered_client()
    first, second = _pair()
    old = book(client=client, session=first, actor=user_of(client))
    new = reschedule(booking=old, session=second, actor=user_of(client))
    old.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert old.status == BookingStatus.RESCHEDULED and old.replaced_by == new
    assert old.changed_source == Source.CLIENT
    assert new.status == BookingStatus.BOOKED and new.session == second
    assert (first.seats_taken, second.seats_taken) == (0, 1)
    # The calendar event is the same one, one version later.
    assert new.calendar_uid == old.calendar_uid and new.calendar_sequence == 1


@pytest.mark.django_db
def test_reschedule_keeps_type_city_and_organisation() -> None:
    client = registered_client()
    first, _second = _pair()
    booking = book(client=client, session=first, actor=user_of(client))
    other_organisation = SessionFactory.create(appointment_type=first.appointment_type)
    other_city = SessionFactory.create(
        appointment_type=first.appointment_type,
        organisation=first.organisation,
        place=PlaceFactory.create(
            organisation=first.organisation, locality=Locality.objects.get(name="Laval")
        ),
    )
    other_type = SessionFactory.create(place=first.place)
    for target in (other_organisation, other_city, other_type, first):
        with pytest.raises(Refused) as refused:
            reschedule(booking=booking, session=target, actor=user_of(client))
        assert refused.value.code == "other_slot_only"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


@pytest.mark.django_db
def test_a_failed_reschedule_keeps_the_old_booking() -> None:
    client = registered_client()
    first, second = _pair()
    Session.objects.filter(pk=second.pk).update(capacity=1, seats_taken=1)
    booking = book(client=client, session=first, actor=user_of(client))
    with pytest.raises(Refused) as refused:
        reschedule(booking=booking, session=second, actor=user_of(client))
    assert refused.value.code == "full"
    booking.refresh_from_db()
    first.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and first.seats_taken == 1
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_clients_reschedule_online_only_when_allowed_and_before_the_cutoff() -> None:
    client = registered_client()
    first, second = _pair(online_reschedule=False)
    booking = book(client=client, session=first, actor=user_of(client))
    with pytest.raises(Refused) as refused:
        reschedule(booking=booking, session=second, actor=user_of(client))
    assert refused.value.code == "reschedule_not_online"
    staff = UserFactory.create(role=Role.MINISTRY_STAFF)
    assert reschedule(booking=booking, session=second, actor=staff).source == Source.MINISTRY

    first, second = _pair(change_cutoff_hours=48)
    Session.objects.filter(pk=first.pk).update(starts_at=timezone.now() + timedelta(hours=72))
    first.refresh_from_db()
    late = book(client=client, session=first, actor=user_of(client))
    Session.objects.filter(pk=first.pk).update(starts_at=timezone.now() + timedelta(hours=40))
    late.refresh_from_db()
    with pytest.raises(Refused) as refused:
        reschedule(booking=late, session=second, actor=user_of(client))
    assert refused.value.code == "too_late"


@pytest.mark.django_db
def test_reschedule_page_fixes_type_city_and_organisation(client: HttpClient) -> None:
    person = registered_client()
    first, second = _pair()
    elsewhere = SessionFactory.create(appointment_type=first.appointment_type)
    booking = book(client=person, session=first, actor=user_of(person))
    client.force_login(user_of(person))
    listing = client.get(reverse("appointments:mine")).content.decode()
    url = reverse("appointments:reschedule", kwargs={"booking_id": booking.pk})
    assert url in listing
    html = client.get(url).content.decode()
    assert f'value="{second.pk}"' in html
    assert f'value="{elsewhere.pk}"' not in html and f'value="{first.pk}"' not in html
    assert "annuler votre rendez-vous existant et prendre un nouveau rendez-vous" in html
    assert client.post(url, {}).status_code == 302  # nothing chosen: back with a message
    response = client.post(url, {"session": second.pk})
    assert response.status_code == 302 and response["Location"] == reverse("appointments:mine")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESCHEDULED
    listing = client.get(reverse("appointments:mine")).content.decode()
    assert "Reporté" in listing


@pytest.mark.django_db
def test_another_clients_booking_cannot_be_rescheduled(client: HttpClient) -> None:
    owner, intruder = registered_client(1), registered_client(2)
    first, second = _pair()
    booking = book(client=owner, session=first, actor=user_of(owner))
    client.force_login(user_of(intruder))
    url = reverse("appointments:reschedule", kwargs={"booking_id": booking.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"session": second.pk}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_reschedules_of_one_booking_leave_exactly_one_new_booking() -> None:
    client = registered_client()
    kind = AppointmentTypeFactory.create()
    first = SessionFactory.create(appointment_type=kind)
    targets = [
        SessionFactory.create(
            appointment_type=kind, place=first.place, starts_at=first.starts_at + timedelta(days=d)
        )
        for d in range(1, 6)
    ]
    booking = book(client=client, session=first, actor=user_of(client))
    barrier = threading.Barrier(len(targets))

    def attempt(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            fresh = Booking.objects.select_related("session__place", "client").get(pk=booking.pk)
            reschedule(booking=fresh, session=targets[n], actor=user_of(client))
            return "moved"
        except Refused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        outcomes = list(pool.map(attempt, range(len(targets))))
    assert outcomes.count("moved") == 1
    assert Booking.objects.filter(client=client, status=BookingStatus.BOOKED).count() == 1
    assert sum(Session.objects.get(pk=t.pk).seats_taken for t in targets) == 1
    assert Session.objects.get(pk=first.pk).seats_taken == 0


@pytest.mark.django_db
def test_past_bookings_not_completed_become_manque() -> None:
    client = registered_client()
    kind = AppointmentTypeFactory.create(one_active_booking=False)
    staff = UserFactory.create(role=Role.MINISTRY_STAFF)
    past, completed, ongoing, future = (
        book(
            client=client,
            session=SessionFactory.create(
                appointment_type=kind, starts_at=timezone.now() + timedelta(days=7 + n)
            ),
            actor=staff,
        )
        for n in range(4)  # on four days: one client's appointments never overlap
    )
    now = timezone.now()
    Session.objects.filter(pk=past.session_id).update(starts_at=now - timedelta(days=1))
    Session.objects.filter(pk=completed.session_id).update(starts_at=now - timedelta(days=1))
    Booking.objects.filter(pk=completed.pk).update(status=BookingStatus.COMPLETED)
    # A multi-module schedule that started but whose last module is still to come.
    Session.objects.filter(pk=ongoing.session_id).update(starts_at=now - timedelta(days=2))
    SessionModule.objects.create(
        session_id=ongoing.session_id,
        position=1,
        starts_at=now - timedelta(days=2),
        duration_minutes=60,
    )
    SessionModule.objects.create(
        session_id=ongoing.session_id,
        position=2,
        starts_at=now + timedelta(days=2),
        duration_minutes=60,
    )
    assert mark_missed() == 1
    statuses = {b.pk: b.status for b in Booking.objects.all()}
    assert statuses == {
        past.pk: BookingStatus.MISSED,
        completed.pk: BookingStatus.COMPLETED,
        ongoing.pk: BookingStatus.BOOKED,
        future.pk: BookingStatus.BOOKED,
    }
    assert Booking.objects.get(pk=past.pk).changed_source == Source.SYSTEM
    assert mark_missed() == 0
    # Staff may still correct it.
    Booking.objects.filter(pk=past.pk).update(status=BookingStatus.COMPLETED)
    assert mark_missed() == 0


@pytest.mark.django_db
def test_reminders_go_once_48_hours_before(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.APPOINTMENT_REMINDER_HOURS = 48
    client = registered_client()
    kind = AppointmentTypeFactory.create(one_active_booking=False)
    soon = SessionFactory.create(
        appointment_type=kind, starts_at=timezone.now() + timedelta(days=5)
    )
    later = SessionFactory.create(
        appointment_type=kind, starts_at=timezone.now() + timedelta(days=9)
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminded = book(client=client, session=soon, actor=user_of(client))
        book(client=client, session=later, actor=user_of(client))
    mail.outbox.clear()
    assert send_reminders() == 0
    Session.objects.filter(pk=soon.pk).update(starts_at=timezone.now() + timedelta(hours=47))
    assert send_reminders() == 1
    assert send_reminders() == 0
    output = io.StringIO()
    call_command("run_appointment_jobs", stdout=output)
    assert "reminders sent: 0" in output.getvalue()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Rappel : votre rendez-vous approche"
    assert kind.title_fr in message.body
    assert client.last_name not in message.body and client.client_number not in message.body
    assert Booking.objects.get(pk=reminded.pk).reminder_sent_at is not None


@pytest.mark.django_db
def test_a_booking_inside_the_reminder_window_gets_no_second_notice() -> None:
    client = registered_client()
    session = SessionFactory.create(starts_at=timezone.now() + timedelta(hours=30))
    book(client=client, session=session, actor=user_of(client))
    mail.outbox.clear()
    assert send_reminders() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reminder_jobs_running_at_once_send_each_reminder_once() -> None:
    kind = AppointmentTypeFactory.create(one_active_booking=False)
    staff = UserFactory.create(role=Role.MINISTRY_STAFF)
    clients = [registered_client(n) for n in range(10)]
    session = SessionFactory.create(appointment_type=kind, capacity=20)
    for person in clients:
        book(client=person, session=session, actor=staff)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() + timedelta(hours=20))
    mail.outbox.clear()
    barrier = threading.Barrier(4)

    def run(_: int) -> int:
        try:
            barrier.wait(timeout=30)
            return send_reminders()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(run, range(4)))
    assert sum(counts) == 10
    assert len(mail.outbox) == 10


@pytest.mark.django_db
def test_the_admin_corrects_attendance_only() -> None:
    from guichet.appointments.admin import BookingStatusForm

    client = registered_client()
    booking = book(client=client, session=SessionFactory.create(), actor=user_of(client))
    form = BookingStatusForm({"status": BookingStatus.CANCELLED}, instance=booking)
    assert not form.is_valid()
    form = BookingStatusForm({"status": BookingStatus.COMPLETED}, instance=booking)
    assert not form.is_valid()  # not begun yet
    Session.objects.filter(pk=booking.session_id).update(
        starts_at=timezone.now() - timedelta(hours=5)
    )
    booking.refresh_from_db()
    mark_missed()
    booking.refresh_from_db()
    form = BookingStatusForm({"status": BookingStatus.COMPLETED}, instance=booking)
    assert form.is_valid(), form.errors
    form.save()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED


@pytest.mark.django_db
def test_the_admins_correction_goes_through_the_attendance_transition() -> None:
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from guichet.appointments.admin import BookingAdmin, BookingStatusForm
    from guichet.audit.models import AuditEvent

    client = registered_client()
    booking = book(client=client, session=SessionFactory.create(), actor=user_of(client))
    Session.objects.filter(pk=booking.session_id).update(
        starts_at=timezone.now() - timedelta(hours=5)
    )
    mark_missed()
    booking.refresh_from_db()
    form = BookingStatusForm({"status": BookingStatus.COMPLETED}, instance=booking)
    assert form.is_valid(), form.errors
    request = RequestFactory().post("/")
    request.user = UserFactory.create(role=Role.ADMIN, is_staff=True, is_superuser=True)
    BookingAdmin(Booking, site).save_model(request, form.instance, form, change=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert AuditEvent.objects.filter(action="booking.attendance").exists()
