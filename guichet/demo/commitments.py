"""Demo data of the service commitments: a ministry closure day on the business-day clock, the
complaints commissioner and two messages waiting in their queue."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from guichet.accounts.models import User
from guichet.appointments.models import Booking
from guichet.commitments.models import Clock, Commitment
from guichet.complaints import services as complaints
from guichet.complaints.models import Complaint, Kind, Outcome, Status, SurveyResponse
from guichet.core.actor import Actor
from guichet.core.dates import Calendar, quebec_holidays
from guichet.core.models import ClosureDay


def load_commitments() -> None:
    _closure_day()
    _complaints()
    _answered_last_weeks()
    _survey_answers()


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
    suggestion = complaints.confirm_email(actor=None, complaint=suggestion)  # the link opened
    complaints.acknowledge(
        actor=Actor.of(commissioner),
        complaint=suggestion,
        body=complaints.default_text(suggestion, "acknowledgement"),
    )


PAST = [
    # (received so many days ago, acknowledged after, answered after, outcome)
    (80, 1, 6, Outcome.FOUNDED),
    (64, 2, 9, Outcome.UNFOUNDED),
    (50, 1, 4, Outcome.TAKEN_INTO_ACCOUNT),
    (41, 3, 14, Outcome.PARTLY_FOUNDED),
    (33, 1, 8, Outcome.TAKEN_INTO_ACCOUNT),
    (20, 2, 10, Outcome.FOUNDED),
]


def _answered_last_weeks() -> None:
    """Complaints handled in the last weeks, so that « Engagements » and the public processing
    times have figures: each one's clocks are set back to the day it came in and stopped when
    it was acknowledged and answered (one answer late)."""
    commissioner = User.objects.filter(username="demoCommissaire").first()
    if commissioner is None or Complaint.objects.filter(status=Status.CLOSED).exists():
        return
    today = timezone.localdate()
    for n, (ago, acknowledged, answered, outcome) in enumerate(PAST, start=1):
        complaint = complaints.submit(
            actor=None,
            kind=Kind.SUGGESTION if outcome == Outcome.TAKEN_INTO_ACCOUNT else Kind.COMPLAINT,
            subject=f"Message de démonstration {n}",
            body="Un message traité par le Commissaire (démonstration).",
            email=f"demo-plainte-{n}@example.org",
        )
        complaint = complaints.confirm_email(actor=None, complaint=complaint)
        actor = Actor.of(commissioner)
        complaints.acknowledge(actor=actor, complaint=complaint, body="Nous avons bien reçu.")
        complaints.send_answer(actor=actor, complaint=complaint, body="Voici notre réponse.")
        complaints.close(actor=actor, complaint=complaint, outcome=outcome)
        received = today - timedelta(days=ago)
        Complaint.objects.filter(pk=complaint.pk).update(received_on=received)
        calendar = Calendar.around(received)
        for code, after in (
            (complaints.ACKNOWLEDGEMENT, acknowledged),
            (complaints.ANSWER, answered),
        ):
            commitment = Commitment.objects.get(code=code)
            due = calendar.add_business_days(received, commitment.delay)
            stopped = calendar.add_business_days(received, after)
            Clock.objects.filter(
                commitment=commitment,
                target_type=ContentType.objects.get_for_model(Complaint),
                target_id=complaint.pk,
            ).update(
                received_on=received,
                due_on=due,
                stopped_on=stopped,
                breached_on=stopped if stopped > due else None,
            )


SURVEY = {
    # (subject, service): the answers to « Dans l'ensemble… », « courtois… », « information… »,
    # « délai… » of each respondent
    ("appointment", "premieres-demarches"): [
        (5, 5, 4, 4),
        (4, 5, 4, 3),
        (5, 4, 5, 5),
        (3, 4, 3, 2),
        (4, 4, 4, 4),
        (5, 5, 5, 4),
        (2, 3, 2, 1),
        (4, 5, 4, 4),
    ],
    ("dossier", "accompagnement_quebec"): [
        (5, 5, 5, 4),
        (4, 4, 4, 3),
        (4, 5, 3, 4),
        (5, 5, 4, 5),
        (3, 4, 4, 2),
        (4, 4, 5, 4),
    ],
}


def _survey_answers() -> None:
    """Answers to the satisfaction survey this month, enough for « Engagements » to show
    them (groups of fewer than five are hidden)."""
    if SurveyResponse.objects.exists():
        return
    month = timezone.localdate().replace(day=1)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            subject=subject,
            service=service,
            month=month,
            overall=overall,
            courtesy=courtesy,
            information=information,
            delay=delay,
        )
        for (subject, service), answers in SURVEY.items()
        for overall, courtesy, information, delay in answers
    )
