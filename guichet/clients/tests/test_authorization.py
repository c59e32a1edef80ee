"""Créer son profil de consultation avec un code d'autorisation (seed 000 §3.2)."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import User
from guichet.audit.models import AuditEvent
from guichet.clients.authorization import issue_authorization_code
from guichet.clients.models import AuthorizationCode
from guichet.clients.tests.factories import ClientFactory
from guichet.core.refusals import Refused

pytestmark = pytest.mark.django_db

CREDENTIALS = {
    "user_code": "DracoD1980",
    "user_code_confirm": "DracoD1980",
    "password": "Dragon2026",
    "password_confirm": "Dragon2026",
}
SECURITY = {
    "email": "draco@example.org",
    "email_confirm": "draco@example.org",
    "question_1": "first_flight",
    "answer_1": "Paris",
    "question_2": "hobby",
    "answer_2": "Échecs",
}


@pytest.fixture
def issued(django_capture_on_commit_callbacks: Any) -> tuple[Any, str]:
    draco = ClientFactory.create(user=None, reference_number="C3333726")
    with django_capture_on_commit_callbacks(execute=True):
        code = issue_authorization_code(client=draco, actor=None)
    return draco, code


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def enter_code(
    client: HttpClient, code: str, birth_date: str = "1980-10-01", sex: str = "M"
) -> Any:
    return client.post(
        reverse("clients:authorization_code"), {"code": code, "birth_date": birth_date, "sex": sex}
    )


def test_the_code_is_emailed_in_creez_votre_profil_de_consultation(issued: tuple[Any, str]) -> None:
    draco, code = issued
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert mail.outbox[0].subject == "Créez votre profil de consultation"
    assert code in mail.outbox[0].body
    stored = AuthorizationCode.objects.get(client=draco)
    assert code.replace("-", "") not in stored.digest  # only a keyed digest is kept


def test_a_profile_created_with_the_code_is_linked_to_the_registration(
    client: HttpClient, issued: tuple[Any, str]
) -> None:
    draco, code = issued
    response = enter_code(client, code.lower().replace("-", " "))
    assert response["Location"] == reverse("clients:authorization_identifier")
    page = client.get(response["Location"])
    assert 'name="reference_number"' in page.content.decode()  # existing client: reference number
    response = client.post(
        reverse("clients:authorization_identifier"), {"reference_number": "c3333726"}
    )
    assert response["Location"] == reverse("accounts:profile_create")
    client.post(reverse("accounts:profile_create"), CREDENTIALS)
    response = client.post(reverse("accounts:profile_create_security"), SECURITY)
    assert response["Location"] == reverse("accounts:profile_created")
    draco.refresh_from_db()
    assert draco.user == User.objects.get(username="DracoD1980")
    assert AuthorizationCode.objects.get(client=draco).used_at is not None
    assert AuditEvent.objects.filter(action="client.profile_linked").exists()


def test_a_new_client_confirms_with_the_client_number(
    client: HttpClient, django_capture_on_commit_callbacks: Any
) -> None:
    newcomer = ClientFactory.create(
        user=None,
        client_number="52184",
        last_name="Brandford",
        first_name="Bernard",
        birth_date="1978-05-05",
    )
    code = issue_authorization_code(client=newcomer, actor=None)
    enter_code(client, code, birth_date="1978-05-05")
    page = client.get(reverse("clients:authorization_identifier")).content.decode()
    assert 'name="client_number"' in page
    wrong = client.post(reverse("clients:authorization_identifier"), {"client_number": "52185"})
    assert "ne correspond pas" in text(wrong)
    ok = client.post(reverse("clients:authorization_identifier"), {"client_number": "52184"})
    assert ok["Location"] == reverse("accounts:profile_create")


@pytest.mark.parametrize(("birth_date", "sex"), [("1980-10-02", "M"), ("1980-10-01", "F")])
def test_a_wrong_date_of_birth_or_sex_is_refused(
    client: HttpClient, issued: tuple[Any, str], birth_date: str, sex: str
) -> None:
    _, code = issued
    response = enter_code(client, code, birth_date=birth_date, sex=sex)
    assert response.status_code == 200
    assert "n'est pas valide" in text(response)


def test_wrong_answers_count_toward_a_lock(client: HttpClient, issued: tuple[Any, str]) -> None:
    _, code = issued
    for _ in range(4):
        assert enter_code(client, code, birth_date="1999-01-01").status_code == 200
    assert enter_code(client, code, birth_date="1999-01-01").status_code == 429
    assert enter_code(client, code).status_code == 429  # even the right answers, while locked


def test_the_code_works_only_once(client: HttpClient, issued: tuple[Any, str]) -> None:
    _draco, code = issued
    enter_code(client, code)
    client.post(reverse("clients:authorization_identifier"), {"reference_number": "C3333726"})
    client.post(reverse("accounts:profile_create"), CREDENTIALS)
    client.post(reverse("accounts:profile_create_security"), SECURITY)
    other = HttpClient()
    response = enter_code(other, code)
    assert response.status_code == 200
    assert "n'est pas valide" in text(response)


def test_an_expired_code_is_refused(client: HttpClient, issued: tuple[Any, str]) -> None:
    draco, code = issued
    AuthorizationCode.objects.filter(client=draco).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert "n'est pas valide" in text(enter_code(client, code))


def test_the_identifier_step_needs_a_verified_code(client: HttpClient) -> None:
    response = client.get(reverse("clients:authorization_identifier"))
    assert response["Location"] == reverse("clients:authorization_code")


def test_a_code_used_meanwhile_is_refused_at_the_end(
    client: HttpClient, issued: tuple[Any, str]
) -> None:
    draco, code = issued
    enter_code(client, code)
    client.post(reverse("clients:authorization_identifier"), {"reference_number": "C3333726"})
    client.post(reverse("accounts:profile_create"), CREDENTIALS)
    AuthorizationCode.objects.filter(client=draco).update(used_at=timezone.now())
    response = client.post(reverse("accounts:profile_create_security"), SECURITY)
    assert response["Location"] == reverse("clients:authorization_code")
    assert not User.objects.filter(username="DracoD1980").exists()  # nothing half-created


def test_no_code_is_issued_for_a_client_who_has_a_profile() -> None:
    from guichet.accounts.tests.factories import UserFactory

    with pytest.raises(Refused):
        issue_authorization_code(client=ClientFactory.create(user=UserFactory.create()), actor=None)
