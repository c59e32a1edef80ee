"""Security finding 30.4: a NUL character made PostgreSQL raise (a server error) wherever its
text reached a query; SQLite stored it. It is refused at the edge, on both, with 400."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guichet.accounts.models import Role
from guichet.employers.tests.factories import offer
from guichet.intake.tests.factories import application, candidate

pytestmark = pytest.mark.django_db

ANONYMOUS = [
    "/fr/paiements/retour/%00/",
    "/fr/paiements/bordereau/%00/",
    "/fr/mes-plaintes-et-commentaires/%00/",
    "/fr/commentaires-et-plaintes/suivi/%00/",
    "/fr/?q=%00",
    "/fr/a%00b/",
]


@pytest.mark.parametrize("url", ANONYMOUS)
def test_a_nul_in_the_path_or_the_query_is_refused_before_any_view(url: str) -> None:
    response = Client(raise_request_exception=True).get(url)
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/fr/bureau/paiements/%00/",
        "/fr/bureau/employeurs/offres/?rechercher=%00",
        "/fr/bureau/plaintes/%00/",
    ],
)
def test_staff_pages_refuse_a_nul_too(users, url: str) -> None:
    client = Client(raise_request_exception=True)
    client.force_login(users[Role.MINISTRY_STAFF])
    assert client.get(url).status_code == 400


def test_a_nul_in_a_field_of_a_job_offer_section_is_refused_and_nothing_is_saved(users) -> None:
    employer = users[Role.EMPLOYER]
    dossier = offer(employer, complete=False)
    before = dict(dossier.data)
    client = Client(raise_request_exception=True)
    client.force_login(employer)
    url = f"/fr/employeurs/offres/{dossier.pk}/formulaire/emploi/"
    response = client.post(url, {"titre": "Soudeur\x00", "action": "quit"})
    assert response.status_code == 400
    dossier.refresh_from_db()
    assert dossier.data == before


def test_a_nul_in_a_field_name_or_a_csq_section_is_refused() -> None:
    user = candidate()
    application(user)
    client = Client(raise_request_exception=True)
    client.force_login(user)
    url = "/fr/mon-projet-quebec/demande/requerant/"
    assert client.post(url, {"nom\x00": "x"}).status_code == 400
    assert client.post(url, {"last_name": "Tremblay\x00"}).status_code == 400


def test_a_json_body_with_a_nul_is_refused_raw_or_escaped() -> None:
    client = Client(raise_request_exception=True)
    url = "/paiements/avis/banque_essai/"
    escaped = json.dumps({"notification_id": "a\x00"})
    assert "\\u0000" in escaped
    assert client.post(url, escaped, content_type="application/json").status_code == 400
    assert client.post(url, b'{"x": "\x00"}', content_type="application/json").status_code == 400


def test_binary_file_content_is_not_a_nul_in_text() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(raise_request_exception=True)
    upload = SimpleUploadedFile("piece.pdf", b"%PDF-1.4 \x00 binary", "application/pdf")
    response = client.post("/fr/commentaires-et-plaintes/", {"fichier": upload})
    assert response.status_code != 400
