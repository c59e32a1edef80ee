"""Each reader reads what Guichet wrote in their own language (issue 13 #17): the copies of
notices, the threads' subjects and the documents' titles are kept in French and in English;
a person's own message is shown as typed."""

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from guichet.appointments.services import book
from guichet.appointments.tests.factories import SessionFactory
from guichet.appointments.tests.test_booking import registered_client, user_of
from guichet.documents.models import Document
from guichet.documents.services import store
from guichet.messaging.models import Sender, Thread
from guichet.messaging.services import dossier_thread, post

pytestmark = pytest.mark.django_db


def test_a_notice_copy_is_kept_in_both_languages(django_capture_on_commit_callbacks) -> None:
    client = registered_client()
    user = user_of(client)
    with django_capture_on_commit_callbacks(execute=True):
        book(client=client, session=SessionFactory.create(), actor=user)
    thread = Thread.objects.get(owner=user)
    message = thread.messages.get()
    assert message.body.splitlines()[0] == mail.outbox[0].subject  # as emailed (French)
    with translation.override("en"):
        assert thread.shown_subject == "My appointments"
        english = message.shown_body
    with translation.override("fr"):
        assert thread.shown_subject == "Mes rendez-vous"
        assert message.shown_body == message.body
    assert english != message.body and "appointment" in english.lower()


def test_the_message_centre_and_documents_follow_the_pages_language(
    client: HttpClient,
) -> None:
    owner = user_of(registered_client())
    thread = dossier_thread(
        owner=owner, subject={"fr": "Votre demande", "en": "Your request"}, dossier=None
    )
    post(thread=thread, body={"fr": "Bonjour", "en": "Hello"}, sender=Sender.SYSTEM)
    post(thread=thread, body="Merci beaucoup", sender=Sender.CLIENT, author=owner)
    store(
        owner=owner,
        dossier=None,
        kind="recap",
        title={"fr": "Récapitulatif", "en": "Summary"},
        filename="r.pdf",
        content=b"%PDF-1.4",
        language="fr",
    )
    assert Document.objects.get(owner=owner).title == "Récapitulatif"
    client.force_login(owner)
    with translation.override("en"):
        inbox = client.get(reverse("messaging:inbox")).content.decode()
        page = client.get(reverse("messaging:thread", kwargs={"thread_id": thread.pk}))
        documents = client.get(reverse("documents:mine")).content.decode()
    html = page.content.decode()
    assert "Your request" in inbox and "Votre demande" not in inbox
    assert "Hello" in html and "Bonjour" not in html
    assert "Merci beaucoup" in html  # a person's own words, as typed
    assert "Summary" in documents and "Récapitulatif" not in documents
