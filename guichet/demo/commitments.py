"""Demo data of the service commitments: a ministry closure day on the business-day clock, the
complaints commissioner and two messages waiting in their queue."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from guichet.accounts.models import User
from guichet.appointments.models import Booking
from guichet.complaints import services as complaints
from guichet.complaints.models import Complaint, Kind
from guichet.core.actor import Actor
from guichet.core.dates import quebec_holidays
from guichet.core.models import ClosureDay


def load_commitments() -> None:
    _closure_day()
    _complaints()


def _closure_day() -> None:
    """A closure day about three weeks ahead (a weekday that is not a holiday), once."""
    if ClosureDay.objects.exists():
        return
    day = timezone.localdate() + timedelta(days=21)
    while day.weekday() >= 5 or quebec_holidays(day, day):
        day += timedelta(days=1)
    ClosureDay.objects.create(
        day=day,
        reason_fr="Déménagement des bureaux de Montréal",
        reason_en="Montréal offices moving",
    )


def _complaints() -> None:
    """`demoCommissaire` holds the role; a client's complaint about an appointment and a
    suggestion sent without an account wait, the suggestion already acknowledged."""
    commissioner = User.objects.filter(username="demoCommissaire").first()
    if commissioner is None:
        return
    User.objects.filter(pk=commissioner.pk).update(handles_complaints=True)
    commissioner.refresh_from_db()
    if Complaint.objects.exists():
        return
    client = User.objects.filter(username="demoClient1").first()
    if client is not None:
        booking = Booking.objects.filter(client__user=client).order_by("pk").first()
        complaints.submit(
            actor=Actor.of(client),
            kind=Kind.COMPLAINT,
            subject="Séance annulée sans préavis",
            body=(
                "Je me suis présentée à la séance et la salle était fermée. Personne ne m'a "
                "prévenue de l'annulation."
            ),
            about=booking,
        )
    suggestion = complaints.submit(
        actor=None,
        kind=Kind.SUGGESTION,
        subject="Horaire du soir",
        body="Pourriez-vous offrir des séances en soirée pour les personnes qui travaillent?",
        name="Paul Nguyen",
        email="paul.nguyen@example.org",
    )
    complaints.acknowledge(
        actor=Actor.of(commissioner),
        complaint=suggestion,
        body=complaints.default_text(suggestion, "acknowledgement"),
    )
