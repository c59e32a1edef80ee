"""« Réponse à votre demande par courriel — 5 jours » (seed 003) on the message centre: a
client's message starts the clock, the ministry's answer stops it; the due date shows to the
person and in the agents' queue; an unanswered message is a breach, recorded once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from guichet.commitments import clocks
from guichet.commitments.models import Clock
from guichet.core.dates import Calendar
from guichet.core.events import delivered
from guichet.dossiers.tests.factories import agent, submitted
from guichet.messaging.models import Sender, Thread
from guichet.messaging.services import post

pytestmark = pytest.mark.django_db

# The dossier's own clock (its first appointment) runs beside the thread's.
ANSWERS = Clock.objects.filter(commitment__code="email-answer")


def test_a_clients_message_starts_the_clock_and_the_ministrys_answer_stops_it(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted()
    thread = Thread.objects.get(dossier=dossier)
    url = reverse("messaging:thread", kwargs={"thread_id": thread.pk})
    client.force_login(dossier.owner)
    with delivered():
        client.post(url, {"body": "Une question sur mon rendez-vous"})
    today = timezone.localdate()
    due = Calendar.around(today).add_business_days(today, 5)
    clock = clocks.running("email-answer", thread)
    assert clock is not None and (clock.received_on, clock.due_on) == (today, due)
    assert (
        f"au plus tard le {due.isoformat()} (5 jours ouvrables)" in client.get(url).content.decode()
    )
    with delivered():
        client.post(url, {"body": "Une précision"})  # a second message: the same clock
    assert ANSWERS.count() == 1

    client.force_login(agent())
    queue = client.get(reverse("backoffice:dossiers")).content.decode()
    assert "Réponse attendue au plus tard le" in queue and due.isoformat() in queue
    detail = reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})
    assert due.isoformat() in client.get(detail).content.decode()
    with delivered():
        client.post(detail, {"action": "message", "message-body": "Voici notre réponse."})
    assert clocks.running("email-answer", thread) is None
    assert ANSWERS.get().met


def test_an_unanswered_message_is_a_breach_recorded_once_and_late_in_the_queue(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted()
    thread = Thread.objects.get(dossier=dossier)
    with delivered():
        post(thread=thread, body="Allô?", sender=Sender.CLIENT, author=dossier.owner)
        post(thread=thread, body="Avis", sender=Sender.SYSTEM)  # a notice answers nothing
    ANSWERS.update(received_on=date(2026, 3, 6), due_on=date(2026, 3, 13))
    call_command("run_commitment_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    clock = ANSWERS.get()
    assert clock.breached_on == timezone.localdate() and clock.late
    call_command("run_commitment_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ANSWERS.get().breached_on == clock.breached_on
    client.force_login(agent())
    queue = client.get(reverse("backoffice:dossiers")).content.decode()
    assert "En retard :</strong> 2026-03-13" in queue
    # The agent gives the breach's reason on the dossier.
    office = reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})
    assert "Motif du manquement" in client.get(office).content.decode()
    reason = reverse("backoffice:clock_breach_reason", kwargs={"clock_id": clock.pk})
    assert client.post(reason, {"reason": "Boîte partagée non surveillée"})["Location"] == office
    assert ANSWERS.get().breach_reason == "Boîte partagée non surveillée"
    client.force_login(dossier.owner)
    page = client.get(reverse("messaging:thread", kwargs={"thread_id": thread.pk}))
    assert "le délai est dépassé" in page.content.decode()
