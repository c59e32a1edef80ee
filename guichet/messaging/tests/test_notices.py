"""Every notice is also stored (SPEC X3): appointment emails are copied into the person's
« Centre des messages », in one « Mes rendez-vous » thread, without a second email."""

import pytest
from django.core import mail

from guichet.appointments.services import book, cancel
from guichet.appointments.tests.factories import SessionFactory
from guichet.appointments.tests.test_booking import registered_client, user_of
from guichet.messaging.models import Message, Sender, Thread

pytestmark = pytest.mark.django_db


def test_appointment_notices_are_kept_in_one_thread_without_a_second_email(
    django_capture_on_commit_callbacks,
) -> None:
    client = registered_client()
    user = user_of(client)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(client=client, session=SessionFactory.create(), actor=user)
    with django_capture_on_commit_callbacks(execute=True):
        cancel(booking=booking, actor=user)
    thread = Thread.objects.get(owner=user)
    assert (thread.topic, thread.subject, thread.dossier) == (
        "appointments",
        "Mes rendez-vous",
        None,
    )
    copies = list(thread.messages.all())
    assert [m.body.splitlines()[0] for m in copies] == [m.subject for m in mail.outbox]
    assert len(mail.outbox) == 2  # the two notices, nothing about « Du nouveau sur le portail »
    assert all(m.sender == Sender.SYSTEM and m.notified_at is not None for m in copies)
    assert Message.objects.filter(read_at__isnull=True).count() == 2
