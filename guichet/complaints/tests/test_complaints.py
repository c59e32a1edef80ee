"""« Vos commentaires sont précieux » (seed 003, SPEC H3): anyone writes to the commissioner;
the acknowledgement (2 business days) and the answer (10) run on the business-day clock; only
the commissioner's members see a complaint, every read is audited, every other role gets 404."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import UserFactory, with_two_factor
from guichet.appointments.services import book
from guichet.appointments.tests.factories import SessionFactory
from guichet.audit.models import AuditEvent
from guichet.clients.tests.factories import ClientFactory
from guichet.commitments import clocks
from guichet.commitments.models import Clock
from guichet.complaints import services
from guichet.complaints.models import Complaint, ComplaintEvent, ComplaintMessage, Kind, Status
from guichet.complaints.tests.test_security import follow_link
from guichet.core.dates import Calendar
from guichet.messaging.models import Message

pytestmark = pytest.mark.django_db


def commissioner() -> User:
    user = with_two_factor(UserFactory.create(role=Role.MINISTRY_STAFF))
    User.objects.filter(pk=user.pk).update(handles_complaints=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def person_with_booking() -> tuple[User, object]:
    user = UserFactory.create()
    registered = ClientFactory.create(user=user, cic_client_id="40000011")
    booking = book(client=registered, session=SessionFactory.create(), actor=user)
    return user, booking


def test_a_signed_in_person_writes_about_an_appointment_and_both_clocks_start(
    client: HttpClient, person_with_booking: tuple[User, object]
) -> None:
    user, booking = person_with_booking
    client.force_login(user)
    page = client.get(reverse("complaints:new")).content.decode()
    assert "Vos commentaires sont précieux" in page and 'name="email"' not in page
    response = client.post(
        reverse("complaints:new"),
        {
            "kind": Kind.COMPLAINT,
            "about": f"booking-{booking.pk}",  # type: ignore[attr-defined]
            "subject": "Séance annulée",
            "body": "La salle était fermée.",
        },
        follow=True,
    )
    complaint = Complaint.objects.get()
    assert complaint.author == user and complaint.about_booking == booking
    assert re.fullmatch(r"PL-\d{4}-\d{6}", complaint.number)
    today = timezone.localdate()
    calendar = Calendar.around(today)
    ack = clocks.running(services.ACKNOWLEDGEMENT, complaint)
    answer = clocks.running(services.ANSWER, complaint)
    assert ack is not None and ack.due_on == calendar.add_business_days(today, 2)
    assert answer is not None and answer.due_on == calendar.add_business_days(today, 10)
    page = response.content.decode()
    assert complaint.number in page and ack.due_on.isoformat() in page
    assert answer.due_on.isoformat() in page
    mine = client.get(reverse("complaints:mine")).content.decode()
    assert complaint.number in mine


def test_the_form_offers_only_the_persons_own_appointments_and_keeps_what_was_typed(
    client: HttpClient, person_with_booking: tuple[User, object]
) -> None:
    user, _booking = person_with_booking
    other_user = UserFactory.create()
    other = ClientFactory.create(user=other_user, cic_client_id="40000012")
    theirs = book(client=other, session=SessionFactory.create(), actor=other_user)
    client.force_login(user)
    response = client.post(
        reverse("complaints:new"),
        {"kind": Kind.COMMENT, "about": f"booking-{theirs.pk}", "subject": "", "body": "Gardé"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page and "Gardé" in page
    assert f'value="booking-{theirs.pk}"' not in page and Complaint.objects.count() == 0
    assert "fait pas partie" in page  # another person's appointment is refused


def test_anyone_without_an_account_writes_and_follows_through_the_emailed_link(
    client: HttpClient, django_capture_on_commit_callbacks
) -> None:
    url = reverse("complaints:new")
    missing = client.post(url, {"kind": Kind.SUGGESTION, "subject": "Horaire", "body": "Le soir"})
    assert missing.status_code == 422 and "Ce champ est obligatoire." in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "kind": Kind.SUGGESTION,
                "subject": "Horaire",
                "body": "Des séances le soir",
                "name": "Paul Nguyen",
                "email": "paul@example.org",
            },
        )
    complaint = Complaint.objects.get()
    # The page after sending says to confirm by email: the follow-up link is only in the email.
    assert response["Location"] == reverse("complaints:sent")
    assert "Confirmez votre adresse courriel" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    follow = follow_link(str(body))
    assert "soir" not in body and complaint.number not in body
    assert "Paul" not in body
    # Opening the link shows a button (a scanner that opens links confirms nothing).
    page = client.get(follow).content.decode()
    assert "Des séances le soir" in page and "Confirmer mon adresse et transmettre" in page
    assert not Complaint.objects.get().counted
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(follow)
    assert confirmed["Location"] == follow
    assert Complaint.objects.get().counted
    assert "Réception confirmée" not in client.get(follow).content.decode()
    assert "Des séances le soir" in client.get(follow).content.decode()
    assert client.get(follow.replace(follow.split("/")[-2], "faux")).status_code == 404


def test_every_other_role_gets_404_and_every_read_is_audited(
    client: HttpClient, person_with_booking: tuple[User, object]
) -> None:
    author, _booking = person_with_booking
    complaint = services.submit(actor=author, kind=Kind.COMPLAINT, subject="S", body="B")
    office = reverse("backoffice:complaint", kwargs={"complaint_number": complaint.number})
    queue = reverse("backoffice:complaints")
    own = reverse("complaints:detail", kwargs={"complaint_number": complaint.number})
    others = [
        author,  # the author follows it on their own page, never in the office
        UserFactory.create(),
        with_two_factor(UserFactory.create(role=Role.PARTNER_STAFF)),
        with_two_factor(UserFactory.create(role=Role.MINISTRY_STAFF)),
        UserFactory.create(role=Role.EMPLOYER),
        with_two_factor(UserFactory.create(role=Role.ADMIN)),
    ]
    for other in others:
        client.force_login(other)
        assert client.get(office).status_code == 404, other.role
        assert client.post(office, {"action": "close", "outcome": "founded"}).status_code == 404
        assert client.get(queue).status_code == 404, other.role
        if other != author:
            assert client.get(own).status_code == 404, other.role
    client.force_login(author)
    assert client.get(own).status_code == 200
    member = commissioner()
    client.force_login(member)
    assert complaint.number in client.get(queue).content.decode()
    client.get(office)
    client.get(office)
    reads = ComplaintEvent.objects.filter(action="complaint.read", complaint=complaint)
    assert reads.count() == 2 and set(reads.values_list("actor", flat=True)) == {member.pk}
    assert not AuditEvent.objects.filter(action__startswith="complaint.").exists()


def test_the_commissioner_acknowledges_drafts_answers_and_closes(
    client: HttpClient,
    person_with_booking: tuple[User, object],
    django_capture_on_commit_callbacks,
) -> None:
    author, _booking = person_with_booking
    complaint = services.submit(actor=author, kind=Kind.COMPLAINT, subject="S", body="B")
    member = commissioner()
    client.force_login(member)
    office = reverse("backoffice:complaint", kwargs={"complaint_number": complaint.number})
    page = client.get(office).content.decode()
    assert "Nous avons bien reçu votre message no" in page  # the acknowledgement's draft
    empty = client.post(office, {"action": "acknowledge", "ack-body": ""})
    assert empty.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        client.post(office, {"action": "acknowledge", "ack-body": "Bien reçu."})
    complaint.refresh_from_db()
    assert complaint.status == Status.ACKNOWLEDGED
    assert Clock.objects.get(commitment__code=services.ACKNOWLEDGEMENT).met
    client.post(office, {"action": "draft", "answer-body": "Projet"})
    complaint.refresh_from_db()
    assert complaint.draft_answer == "Projet" and complaint.status == Status.ACKNOWLEDGED
    refused = client.post(office, {"action": "close", "outcome": "founded"})
    assert refused.status_code == 422
    assert "Envoyez la réponse avant de fermer la plainte." in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.ACKNOWLEDGED  # not answered yet: no closing form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(office, {"action": "answer", "answer-body": "Notre réponse."})
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and complaint.draft_answer == ""
    assert Clock.objects.get(commitment__code=services.ANSWER).met
    missing = client.post(office, {"action": "close", "outcome": ""})
    assert missing.status_code == 422 and "Ce champ est obligatoire." in missing.content.decode()
    client.post(office, {"action": "close", "outcome": "partly_founded"})
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.outcome == "partly_founded"
    assert ComplaintMessage.objects.filter(complaint=complaint).count() == 2
    # The person reads both on their page; the message centre only says that they wait.
    notices = Message.objects.filter(thread__owner=author, thread__topic=services.TOPIC)
    assert notices.count() == 2
    assert all("Notre réponse" not in m.body and "Bien reçu" not in m.body for m in notices)
    client.force_login(author)
    detail = reverse("complaints:detail", kwargs={"complaint_number": complaint.number})
    text = client.get(detail).content.decode()
    assert "Bien reçu." in text and "Notre réponse." in text and "Fondée en partie" in text


def test_a_late_acknowledgement_is_a_breach_recorded_once() -> None:
    author = UserFactory.create()
    complaint = services.submit(actor=author, kind=Kind.COMMENT, subject="S", body="B")
    Clock.objects.update(received_on=date(2026, 3, 6))
    Clock.objects.filter(commitment__code=services.ACKNOWLEDGEMENT).update(due_on=date(2026, 3, 10))
    Clock.objects.filter(commitment__code=services.ANSWER).update(due_on=date(2099, 3, 20))
    call_command("run_commitment_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ack = Clock.objects.get(commitment__code=services.ACKNOWLEDGEMENT)
    assert ack.breached_on == timezone.localdate()
    assert Clock.objects.get(commitment__code=services.ANSWER).breached_on is None
    services.acknowledge(actor=commissioner(), complaint=complaint, body="Reçu")
    ack.refresh_from_db()
    assert ack.stopped_on is not None and ack.breached_on == timezone.localdate()
    assert not ack.met


def test_the_form_does_not_list_a_cancelled_appointment(
    client: HttpClient, person_with_booking: tuple[User, object]
) -> None:
    from guichet.appointments.models import BookingStatus

    user, booking = person_with_booking
    Booking = type(booking)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)  # type: ignore[attr-defined]
    client.force_login(user)
    page = client.get(reverse("complaints:new")).content.decode()
    assert f'value="booking-{booking.pk}"' not in page  # type: ignore[attr-defined]


def test_the_emails_sign_as_the_pages_do(
    client: HttpClient, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(actor=None, kind=Kind.COMMENT, subject="S", body="B", email="a@example.org")
    body = mail.outbox[0].body
    assert "Ministère de l'Immigration et des Communautés culturelles" in body
    assert "Francisation" not in body
