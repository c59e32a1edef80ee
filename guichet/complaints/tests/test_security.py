"""Security findings 30.1, 30.2, 30.7 and 30.8 on complaints and the survey:

- complaint events are written to the commissioner's own trail, never to the general audit
  trail administrators read; the survey's answer is not audited with its author;
- a flood of messages from one address or to one email is refused, and a message sent without
  an account counts (its clocks start) only once its email is confirmed;
- the follow-up link expires, and a fresh one can be asked for (the older ones then stop);
- the survey's participation and response carry random keys."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import DatabaseError, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import UserFactory, with_two_factor
from guichet.audit.models import AuditEvent
from guichet.commitments import clocks
from guichet.commitments import services as commitments
from guichet.complaints import selectors, services
from guichet.complaints.models import Complaint, ComplaintEvent, Kind, SurveyResponse
from guichet.core.actor import Actor

pytestmark = pytest.mark.django_db

NEW = "complaints:new"


def follow_link(body: str) -> str:
    """The follow-up link an email carries. Its key is signed with the time it was made, so a
    key made again a second later differs: read the one sent."""
    prefix = reverse("complaints:follow", kwargs={"key": "x"}).removesuffix("x/")
    found = re.search(re.escape(prefix) + r"[^/\s]+/", body)
    assert found is not None, body
    return found.group(0)


def _commissioner() -> User:
    user = with_two_factor(UserFactory.create(role=Role.MINISTRY_STAFF))
    User.objects.filter(pk=user.pk).update(handles_complaints=True)
    user.refresh_from_db()
    return user


def _anonymous(client: HttpClient, email: str, n: int = 0, ip: str = "203.0.113.9") -> Any:
    return client.post(
        reverse(NEW),
        {
            "kind": Kind.COMPLAINT,
            "subject": f"Objet {n}",
            "body": f"Message numéro {n}",
            "name": "",
            "email": email,
        },
        REMOTE_ADDR=ip,
    )


def _confirmed(complaint: Complaint) -> Complaint:
    return services.confirm_email(actor=None, complaint=complaint)


# --- 30.1 The commissioner's trail -----------------------------------------------------------


def test_complaint_events_never_reach_the_general_audit_trail(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    author = UserFactory.create()
    signed = services.submit(actor=author, kind=Kind.COMPLAINT, subject="S", body="B")
    with django_capture_on_commit_callbacks(execute=True):
        _anonymous(client, "paul@example.org")
    sent = Complaint.objects.get(author__isnull=True)
    _confirmed(sent)
    member = _commissioner()
    actor = Actor.of(member)
    services.acknowledge(actor=actor, complaint=signed, body="Reçu")
    services.send_answer(actor=actor, complaint=signed, body="Réponse")
    services.close(actor=actor, complaint=signed, outcome="founded")
    # A clock of a complaint, suspended and resumed: the commissioner's trail too.
    clock = clocks.running(services.ANSWER, sent)
    assert clock is not None
    commitments.suspend_clock(actor=actor, clock=clock, reason="Pièce manquante")
    commitments.resume_clock(actor=actor, clock=clock)
    client.force_login(member)
    page = client.get(reverse("backoffice:complaint", kwargs={"complaint_number": sent.number}))
    assert "Historique du message" in page.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="complaint.").exists()
    assert not AuditEvent.objects.filter(object_type__startswith="complaints.").exists()
    assert not AuditEvent.objects.filter(action__startswith="commitment.").exists()
    actions = set(ComplaintEvent.objects.values_list("action", flat=True))
    assert {
        "complaint.submitted",
        "complaint.email_confirmed",
        "complaint.acknowledged",
        "complaint.answered",
        "complaint.closed",
        "complaint.read",
        "commitment.suspended",
        "commitment.resumed",
    } <= actions
    # Administrators search the audit trail: nothing says a complaint exists, or who sent it.
    texts = " ".join(
        f"{e.action} {e.actor_label} {e.object_type} {e.details}" for e in AuditEvent.objects.all()
    )
    assert "complaint" not in texts and author.username not in texts


def test_the_commissioners_trail_is_append_only() -> None:
    author = UserFactory.create()
    complaint = services.submit(actor=author, kind=Kind.COMMENT, subject="S", body="B")
    event = ComplaintEvent.objects.get(complaint=complaint)
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintEvent.objects.filter(pk=event.pk).update(action="rewritten")


# --- 30.2 A flood of messages ------------------------------------------------------------------


def test_one_address_sends_five_messages_an_hour_and_the_sixth_keeps_what_was_typed(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            assert _anonymous(client, f"p{n}@example.org", n).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        refused = _anonymous(client, "p9@example.org", 9)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "plusieurs fois en peu de temps" in page and "Message numéro 9" in page
    assert Complaint.objects.count() == 5 and len(mail.outbox) == 5
    # Another address is not held back by this one.
    with django_capture_on_commit_callbacks(execute=True):
        assert _anonymous(client, "autre@example.org", 10, ip="198.51.100.7").status_code == 302


def test_one_email_receives_three_messages_a_day_whatever_the_address_or_its_case(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    for n, (email, ip) in enumerate(
        [
            ("cible@example.org", "198.51.100.1"),
            ("Cible@Example.org", "198.51.100.2"),
            ("CIBLE@example.org", "198.51.100.3"),
            ("cible@example.org", "198.51.100.4"),
        ]
    ):
        with django_capture_on_commit_callbacks(execute=True):
            _anonymous(client, email, n, ip=ip)
    assert Complaint.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_signed_in_person_sends_three_a_day(users: dict[Role, User]) -> None:
    author = users[Role.CLIENT]
    for n in range(3):
        services.submit(actor=author, kind=Kind.COMMENT, subject=f"S{n}", body="B")
    with pytest.raises(services.Refused):
        services.submit(actor=author, kind=Kind.COMMENT, subject="S4", body="B")


def test_a_message_without_an_account_counts_only_once_its_email_is_confirmed(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _anonymous(client, "paul@example.org")
    complaint = Complaint.objects.get()
    assert not complaint.counted
    assert clocks.latest(services.ACKNOWLEDGEMENT, complaint) is None
    assert clocks.latest(services.ANSWER, complaint) is None
    member = _commissioner()
    assert not selectors.complaints_for(member).exists()
    client.force_login(member)
    office = reverse("backoffice:complaint", kwargs={"complaint_number": complaint.number})
    assert client.get(office).status_code == 404
    assert complaint.number not in client.get(reverse("backoffice:complaints")).content.decode()
    with pytest.raises(services.Refused):
        services.acknowledge(actor=member, complaint=complaint, body="x")
    client.logout()
    # The email says to confirm; opening the link shows a button; pressing it counts it.
    body = mail.outbox[0].body
    assert "Confirmer mon adresse et transmettre mon message" in body
    follow = follow_link(str(body))
    client.get(follow)
    assert not Complaint.objects.get().counted
    client.post(follow)
    complaint.refresh_from_db()
    assert complaint.counted and complaint.received_on == timezone.localdate()
    assert clocks.running(services.ACKNOWLEDGEMENT, complaint) is not None
    assert selectors.complaints_for(member).filter(pk=complaint.pk).exists()
    client.post(follow)  # twice: nothing more
    assert ComplaintEvent.objects.filter(action="complaint.email_confirmed").count() == 1


def test_an_unconfirmed_message_is_deleted_after_seven_days(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _anonymous(client, "jamais@example.org", 1)
        _anonymous(client, "oui@example.org", 2)
    confirmed = Complaint.objects.get(email="oui@example.org")
    _confirmed(confirmed)
    assert services.purge_unconfirmed() == 0
    later = timezone.now() + timedelta(days=8)
    assert services.purge_unconfirmed(now=later) == 1
    assert list(Complaint.objects.values_list("email", flat=True)) == ["oui@example.org"]


# --- 30.7 The follow-up link -------------------------------------------------------------------


def test_the_follow_up_link_expires_and_a_fresh_one_revokes_the_others(
    client: HttpClient, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _anonymous(client, "paul@example.org")
    complaint = _confirmed(Complaint.objects.get())
    old = reverse("complaints:follow", kwargs={"key": selectors.follow_key(complaint)})
    assert client.get(old).status_code == 200
    settings.COMPLAINT_LINK_DAYS = 0  # every link is now too old
    expired = client.get(old)
    assert expired.status_code == 410
    assert "Recevoir un nouveau lien" in expired.content.decode()
    settings.COMPLAINT_LINK_DAYS = 30
    mail.outbox.clear()
    page = reverse("complaints:new_link")
    assert "Le courriel avec lequel vous avez écrit" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(page, {"email": "PAUL@example.org"}, follow=True)
    assert "Si un message a été envoyé" in asked.content.decode()
    assert len(mail.outbox) == 1
    complaint.refresh_from_db()
    fresh = follow_link(str(mail.outbox[0].body))
    assert fresh != old
    assert client.get(fresh).status_code == 200
    assert client.get(old).status_code == 410  # the link sent before no longer works
    assert client.get(old.replace(old.split("/")[-2], "faux")).status_code == 404


def test_asking_a_link_for_an_unknown_email_answers_the_same_and_sends_nothing(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    page = reverse("complaints:new_link")
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(page, {"email": "personne@example.org"}, follow=True)
    assert "Si un message a été envoyé" in asked.content.decode()
    assert mail.outbox == []
    for _n in range(5):
        client.post(page, {"email": "personne@example.org"})
    limited = client.post(page, {"email": "personne@example.org"})
    assert limited.status_code == 422 and "plusieurs liens" in limited.content.decode()


def test_the_old_unsigned_key_of_a_complaint_no_longer_opens_it(client: HttpClient) -> None:
    from django.core import signing

    complaint = services.submit(
        actor=None, kind=Kind.COMMENT, subject="S", body="B", email="a@example.org"
    )
    old = signing.Signer(salt=selectors.FOLLOW_SALT).sign_object(complaint.pk)
    url = reverse("complaints:follow", kwargs={"key": old})
    assert client.get(url).status_code == 404


# --- 30.8 The survey ----------------------------------------------------------------------------


def test_the_survey_rows_carry_random_keys_and_no_author_in_any_trail() -> None:
    from guichet.complaints import survey
    from guichet.complaints.models import SurveyParticipation, SurveySubject
    from guichet.complaints.tests.test_survey import _completed

    user = UserFactory.create()
    booking = _completed(user, "40000091")
    response = survey.answer(
        actor=user,
        subject=SurveySubject.APPOINTMENT,
        item=booking,
        answers={"overall": 5},
    )
    participation = SurveyParticipation.objects.get()
    assert isinstance(response.pk, uuid.UUID) and isinstance(participation.pk, uuid.UUID)
    assert response.pk != participation.pk
    assert [f.name for f in SurveyResponse._meta.get_fields()] == [
        "id",
        "subject",
        "service",
        "month",
        "overall",
        "courtesy",
        "information",
        "delay",
    ]
    assert not AuditEvent.objects.filter(action__startswith="survey").exists()


def test_the_daily_job_deletes_the_unconfirmed(
    client: HttpClient, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        _anonymous(client, "jamais@example.org", 1)
    settings.COMPLAINT_UNCONFIRMED_DAYS = -1
    out = StringIO()
    call_command("run_complaint_jobs", stdout=out)
    assert "unconfirmed messages deleted: 1" in out.getvalue()
    assert not Complaint.objects.exists()
