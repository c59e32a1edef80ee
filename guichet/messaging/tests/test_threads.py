"""The message centre: opening a thread is the read receipt, the client replies in a dossier's
thread only, and the ministry reads the reply from the dossier."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.dossiers.tests.factories import agent, submitted
from guichet.messaging import services as messaging
from guichet.messaging.models import Message, Sender, Thread

pytestmark = pytest.mark.django_db


def test_messages_read_receipts_and_replies(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted()
    thread = Thread.objects.get(dossier=dossier)
    client.force_login(dossier.owner)
    client.get(reverse("messaging:thread", kwargs={"thread_id": thread.pk}))
    assert not Message.objects.filter(thread=thread, read_at__isnull=True).exists()
    response = client.post(
        reverse("messaging:thread", kwargs={"thread_id": thread.pk}), {"body": ""}
    )
    assert "Écrivez votre message" in response.content.decode()
    client.post(reverse("messaging:thread", kwargs={"thread_id": thread.pk}), {"body": "Merci!"})
    reply = Message.objects.get(sender=Sender.CLIENT)
    assert reply.read_at is None
    client.force_login(agent())
    client.get(reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk}))
    reply.refresh_from_db()
    assert reply.read_at is not None


def test_general_threads_take_no_reply(client) -> None:
    user = UserFactory.create(role=Role.CLIENT)
    thread = messaging.topic_thread(owner=user, topic="appointments", subject="Avis")
    messaging.post(thread=thread, body="Bonjour", sender=Sender.SYSTEM)
    client.force_login(user)
    assert (
        client.post(
            reverse("messaging:thread", kwargs={"thread_id": thread.pk}), {"body": "x"}
        ).status_code
        == 404
    )
