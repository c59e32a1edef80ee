"""« Mes documents »: one document of a kind per dossier (a new version replaces the old one),
its title in both languages, downloads by the owner only, audited and never cached."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.models import User
from guichet.accounts.tests.factories import UserFactory
from guichet.audit.models import AuditEvent
from guichet.documents.models import Document
from guichet.documents.services import store

pytestmark = pytest.mark.django_db


def _store(owner: User, content: bytes = b"%PDF-1.4 one") -> Document:
    return store(
        owner=owner,
        dossier=None,
        kind="recap",
        title={"fr": "Récapitulatif", "en": "Summary"},
        filename="recap.pdf",
        content=content,
        language="fr",
    )


def test_the_owner_downloads_their_document_and_it_is_audited(client: HttpClient) -> None:
    owner = UserFactory.create()
    document = _store(owner)
    client.force_login(owner)
    response = client.get(reverse("documents:download", kwargs={"document_id": document.pk}))
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 one"
    assert response["Content-Disposition"] == 'attachment; filename="recap.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="document.downloaded").count() == 1


def test_someone_elses_document_is_not_found(client: HttpClient) -> None:
    document = _store(UserFactory.create())
    client.force_login(UserFactory.create())
    url = reverse("documents:download", kwargs={"document_id": document.pk})
    assert client.get(url).status_code == 404
    assert "Récapitulatif" not in client.get(reverse("documents:mine")).content.decode()


def test_a_new_version_of_a_kind_replaces_the_old_one_per_dossier() -> None:
    from guichet.dossiers.tests.factories import draft, with_profile

    owner = with_profile()
    dossier = draft(owner)
    for content in (b"v1", b"v2"):
        store(
            owner=owner,
            dossier=dossier,
            kind="recap",
            title="Récapitulatif",
            filename="r.pdf",
            content=content,
            language="fr",
        )
    assert Document.objects.filter(dossier=dossier).count() == 1
    assert bytes(Document.objects.get(dossier=dossier).content) == b"v2"
