# mypy: disable-error-code="arg-type, union-attr"
# (dossier.owner, .first() and .last() are Optional; the tests create them.)
"""The agents' side of the dossiers: queue with filters and due times, assignment, first
appointment, plan actions, notes, messages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.clients.models import Locality
from guichet.dossiers import services
from guichet.dossiers.models import Accompaniment, ActionStatus, Dossier, DossierStatus
from guichet.dossiers.registry import kind_of
from guichet.dossiers.tests.factories import (
    agent,
    complete,
    draft,
    first_appointment,
    submitted,
    with_profile,
)
from guichet.messaging.models import Message

pytestmark = pytest.mark.django_db


def _submitted_with(**answers) -> Dossier:
    dossier = complete(draft())
    services.save_section(
        dossier=dossier,
        section_key="premier_rendez_vous",
        raw=first_appointment(**answers),
        actor=dossier.owner,
    )
    return services.submit(dossier=dossier, actor=dossier.owner)


def test_the_queue_lists_submitted_dossiers_and_filters_them(client) -> None:
    quebec = Locality.objects.filter(name="Québec").first()
    french = _submitted_with()
    spanish = _submitted_with(
        french_sufficient="non",
        languages=["es", "other"],
        other_language="Wolof",
        availability=["fri_pm"],
        city=str(quebec.pk),
    )
    hidden_draft = draft()
    client.force_login(agent())
    url = reverse("backoffice:dossiers")
    page = client.get(url).content.decode()
    assert french.number in page and spanish.number in page and hidden_draft.number not in page
    page = client.get(url, {"language": "es"}).content.decode()
    assert spanish.number in page and french.number not in page
    assert "Espagnol, Autre" in page
    page = client.get(url, {"language": "fr"}).content.decode()
    assert french.number in page and spanish.number not in page
    page = client.get(url, {"availability": "fri_pm"}).content.decode()
    assert spanish.number in page and french.number not in page
    page = client.get(url, {"city": quebec.pk}).content.decode()
    assert spanish.number in page and french.number not in page
    page = client.get(url, {"status": "closed"}).content.decode()
    assert french.number not in page


def test_the_queue_shows_overdue_first_appointments(client) -> None:
    dossier = submitted()
    Accompaniment.objects.filter(dossier=dossier).update(
        first_appointment_due_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(agent())
    assert "En retard" in client.get(reverse("backoffice:dossiers")).content.decode()


def test_a_draft_is_not_visible_to_agents(client) -> None:
    dossier = draft()
    client.force_login(agent())
    assert (
        client.get(reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})).status_code
        == 404
    )


def test_assign_send_first_appointment_add_action_and_note(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    dossier = submitted()
    aai = agent()
    client.force_login(aai)
    url = reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})
    client.post(url, {"action": "assign", "assign-agent": aai.pk})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS and dossier.assigned_to == aai
    # A bad appointment keeps what was typed and explains.
    response = client.post(
        url,
        {
            "action": "appointment",
            "appointment-date": "2020-01-01",
            "appointment-time": "10:00",
            "appointment-duration_minutes": "60",
            "appointment-mode": "in_person",
            "appointment-details": "Apportez votre passeport",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Choisissez le lieu" in page and "Apportez votre passeport" in page
    when = timezone.localdate() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "appointment",
                "appointment-date": when.isoformat(),
                "appointment-time": "10:00",
                "appointment-duration_minutes": "60",
                "appointment-mode": "virtual",
                "appointment-details": "Lien : https://rencontre.example/abc",
            },
        )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.accompaniment.first_appointment_sent_at is not None
    message = Message.objects.filter(thread__dossier=dossier).last()
    assert when.isoformat() in message.body and "https://rencontre.example/abc" in message.body
    assert mailoutbox[-1].subject == "Du nouveau sur le portail"
    assert "Avis par courriel envoyé le" in client.get(url).content.decode()
    assert when.isoformat() not in mailoutbox[-1].body
    queue = client.get(reverse("backoffice:dossiers")).content.decode()
    assert "Mes prochains rendez-vous" in queue and when.isoformat() in queue
    client.post(
        url,
        {"action": "action", "action-title": "S'inscrire en francisation", "action-due_date": ""},
    )
    assert dossier.actions.get().status == ActionStatus.TODO
    client.post(url, {"action": "note", "note-body": "Suivi", "note-visibility": "client"})
    assert dossier.notes.get().visibility == "client"
    client.post(url, {"action": "close"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.CLOSED


def test_an_agent_opens_a_dossier_a_person_can_link(client) -> None:
    client.force_login(agent())
    response = client.post(
        reverse("backoffice:dossier_open"),
        {
            "kind": "accompagnement_quebec",
            "first_name": "Gunter",
            "last_name": "DiCaprio",
            "sex": "M",
            "birth_date": "1970-07-01",
        },
    )
    dossier = Dossier.objects.get()
    assert response.url == reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})
    assert dossier.status == DossierStatus.IN_PROGRESS and dossier.owner is None
    person = with_profile(
        passport_first_name="Gunter",
        passport_last_name="DiCaprio",
        sex="M",
        birth_date="1970-07-01",
    )
    assert services.link(actor=person, kind=kind_of(dossier), number=dossier.number).owner == person
