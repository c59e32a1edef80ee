"""Issue 31 (4 to 6): what a new employer tripped over — the client menu above the portal's, the
client side reached from the employer portal, two identical emails for one payment, and no
« Votre dernière ouverture de session » on the first sign-in."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.messaging.models import Sender
from guichet.messaging.services import post, send_new_message_notice, topic_thread

from .factories import company, gckey_holder

pytestmark = pytest.mark.django_db


def _text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def test_an_employer_sees_the_employer_portals_menu_only(client: Client) -> None:
    user = gckey_holder()
    company(user)
    client.force_login(user)
    page = _text(client.get(reverse("employers:home")))
    nav = page.split('class="main-nav"')[1].split("</nav>")[0]
    for words in ("Accueil du compte", "Liste d'offres d'emploi", "Profil du compte"):
        assert words in nav, words
    for words in ("Types de rendez-vous", "Mon profil", "Mes rendez-vous", "Mon projet Québec"):
        assert words not in nav, words
    assert page.count("Fermeture de session") == 1


def test_a_client_keeps_the_client_menu(client: Client) -> None:
    client.force_login(UserFactory.create(role=Role.CLIENT))
    nav = _text(client.get("/fr/")).split('class="main-nav"')[1].split("</nav>")[0]
    assert "Mon profil" in nav and "Mes plaintes et commentaires" in nav
    assert "Accueil du compte" not in nav


def test_signed_out_the_employer_portal_sends_to_its_own_sign_in(client: Client) -> None:
    response = client.get(reverse("employers:offers"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("employers:login") + "?next=")
    assert client.get(reverse("appointments:mine"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_two_messages_at_once_make_one_email_pointing_to_the_portals_sign_in(
    django_capture_on_commit_callbacks,
) -> None:
    user = gckey_holder()
    company(user)
    with django_capture_on_commit_callbacks(execute=True):
        for topic in ("paiements", "offre"):
            thread = topic_thread(owner=user, topic=topic, subject={"fr": topic, "en": topic})
            post(thread=thread, body={"fr": "Reçu", "en": "Receipt"}, sender=Sender.SYSTEM)
    assert len(mail.outbox) == 1
    assert reverse("employers:login") in mail.outbox[0].body
    from guichet.messaging.models import Message

    for message in Message.objects.all():  # a late task finds nothing left to tell
        send_new_message_notice.call(message_id=message.pk)
    assert len(mail.outbox) == 1


def test_the_first_home_page_after_activation_says_the_sign_in(client: Client) -> None:
    from guichet.audit.services import audit

    user = gckey_holder()
    company(user)
    audit(user, "account.login", user)
    client.force_login(user)
    assert "Votre dernière ouverture de session a eu lieu le" in _text(
        client.get(reverse("employers:home"))
    )


def test_the_portals_landing_offers_the_seeds_choices(client: Client) -> None:
    """Issue 31.7: « Vérifiez si vous êtes dispensé de ces obligations », the sign-in partners
    (not offered here, and said so), « Poursuivez vers la CléGC » and the correspondence
    language."""
    page = _text(client.get(reverse("employers:login")))
    for words in (
        "Vérifiez si vous êtes dispensé de ces obligations.",
        "Poursuivez vers un Partenaire de connexion",
        "Poursuivez vers la CléGC",
        "Choisissez votre langue de correspondance",
    ):
        assert words in page, words
    assert 'href="/en/employers/"' in page and 'href="/fr/employeurs/"' in page
    help_page = _text(client.get(reverse("core:help", kwargs={"topic": "employeurs"})))
    assert 'id="dispense"' in help_page and "Portail des employeurs" in help_page


def test_the_home_pages_messages_are_searched_and_paged(client: Client) -> None:
    from django.utils import timezone

    from guichet.messaging.models import Message, Thread

    user = gckey_holder()
    company(user)
    for n in range(12):
        thread = Thread.objects.create(
            owner=user, subject=f"Avis {n:02d}", last_message_at=timezone.now()
        )
        Message.objects.create(thread=thread, sender="ministry", body="Bonjour")
    Thread.objects.create(
        owner=user, subject="Confirmation de transmission", last_message_at=timezone.now()
    )
    client.force_login(user)
    page = _text(client.get(reverse("employers:home")))
    assert "Affichage de 10 éléments sur 13" in page and "Rechercher :" in page
    page = _text(client.get(reverse("employers:home"), {"rechercher": "confirmation"}))
    assert "Confirmation de transmission" in page and "Avis 01" not in page
    page = _text(client.get(reverse("employers:home"), {"afficher": "25"}))
    assert "Affichage de 13 éléments sur 13" in page
    page = _text(client.get(reverse("employers:home"), {"rechercher": "rien de tel"}))
    assert "Aucun message ne correspond à votre recherche." in page


def test_step_3_asks_the_employer_to_rate_the_experience(client: Client) -> None:
    """Issue 31.7: « Étape 3 : Veuillez prendre quelques minutes pour évaluer votre expérience »
    linked to « Pour nous joindre »; it is the satisfaction survey, reachable while the
    registration waits for the ministry, answered once, anonymous."""
    from guichet.complaints.models import SurveyResponse, SurveySubject

    from .factories import registration_at

    user = gckey_holder()
    registration = registration_at(user, "pending")
    client.force_login(user)
    done = _text(client.get(reverse("employer_registration:done")))
    url = reverse(
        "complaints:satisfaction",
        kwargs={"subject": "registration", "subject_id": registration.pk},
    )
    assert url in done and "Évaluer votre expérience" in done
    page = _text(client.get(url))
    assert "Votre inscription au portail des employeurs" in page
    assert client.post(url, {"overall": "4"}).status_code == 302
    response = SurveyResponse.objects.get()
    assert response.subject == SurveySubject.REGISTRATION and response.overall == 4
    assert "Vous avez répondu à ce sondage" in _text(client.get(url))
    other = gckey_holder()
    client.force_login(other)
    assert client.get(url).status_code == 404
