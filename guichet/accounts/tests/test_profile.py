"""Créer son profil, mot de passe oublié, modifier son profil (seed 000 §3, §4, §6)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role, SecurityAnswer, TemporaryPassword, User
from guichet.accounts.services import check_security_answer
from guichet.accounts.tests.factories import PASSWORD, UserFactory
from guichet.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

STEP1 = {
    "user_code": "BrAnDfOrD04",
    "user_code_confirm": "BrAnDfOrD04",
    "password": "Lecture2026",
    "password_confirm": "Lecture2026",
}
STEP2 = {
    "email": "requerant@example.org",
    "email_confirm": "requerant@example.org",
    "question_1": "first_flight",
    "answer_1": "Nairobi Kenya",
    "question_2": "hobby",
    "answer_2": "Lecture",
}


def create_profile(
    client: Client, step1: dict[str, str] | None = None, step2: dict[str, str] | None = None
):
    first = client.post(reverse("accounts:profile_create"), step1 or STEP1)
    if first.status_code != 302:
        return first
    return client.post(reverse("accounts:profile_create_security"), step2 or STEP2)


def errors_of(response) -> str:
    return " ".join(
        re.findall(r'class="field__error"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    )


def test_a_profile_is_created_in_two_substeps_and_shows_the_user_code(client: Client) -> None:
    response = create_profile(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile_created")
    page = client.get(response["Location"]).content.decode()
    assert "<strong>BrAnDfOrD04</strong>" in page
    user = User.objects.get(username="BrAnDfOrD04")
    assert user.role == Role.CLIENT
    assert user.email == "requerant@example.org"
    assert user.check_password("Lecture2026")
    assert user.password.startswith(("argon2$", "md5$"))
    answers = list(SecurityAnswer.objects.filter(user=user).order_by("position"))
    assert [a.question for a in answers] == ["first_flight", "hobby"]
    assert "Nairobi" not in answers[0].answer_hash  # hashed, never stored in clear
    assert AuditEvent.objects.filter(action="account.profile_created", actor_id=user.pk).exists()


def test_the_password_never_waits_in_the_session_in_clear(client: Client) -> None:
    client.post(reverse("accounts:profile_create"), STEP1)
    stored = client.session["profile_creation"]
    assert "Lecture2026" not in str(stored)
    assert set(stored) == {"user_code", "password_hash"}


def test_security_answers_are_compared_exactly(client: Client) -> None:
    create_profile(client)
    user = User.objects.get(username="BrAnDfOrD04")
    assert check_security_answer(user, "first_flight", "Nairobi Kenya")
    assert not check_security_answer(user, "first_flight", "nairobi kenya")
    assert not check_security_answer(user, "first_flight", "Nairobi  Kenya")
    assert not check_security_answer(user, "favourite_dish", "Nairobi Kenya")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("user_code", "court", "de 8 à 16 caractères"),
        ("user_code", "Brandförd04", "sans accents"),
        ("user_code_confirm", "BrAnDfOrD05", "ne sont pas identiques"),
        ("password", "abcdefghij", "combinaison de chiffres et de lettres"),
        ("password_confirm", "Lecture2027", "ne sont pas identiques"),
    ],
)
def test_substep_1_refuses_bad_input_next_to_the_field_and_keeps_it(
    client: Client, field: str, value: str, message: str
) -> None:
    response = client.post(reverse("accounts:profile_create"), {**STEP1, field: value})
    assert response.status_code == 200
    assert message in errors_of(response)
    html = response.content.decode()
    assert 'class="error-summary"' in html
    if "password" not in field:
        assert f'value="{value}"' in html
    assert not User.objects.exists()


def test_user_codes_are_unique_whatever_the_case(client: Client) -> None:
    UserFactory.create(username="brandford04")
    response = client.post(reverse("accounts:profile_create"), STEP1)
    assert "déjà utilisé" in errors_of(response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email_confirm": "autre@example.org"}, "ne sont pas identiques"),
        ({"question_2": "first_flight"}, "deux questions différentes"),
        ({"answer_1": ""}, "obligatoire"),
        ({"question_1": ""}, "obligatoire"),
    ],
)
def test_substep_2_refuses_bad_input(client: Client, changes: dict[str, str], message: str) -> None:
    response = create_profile(client, step2={**STEP2, **changes})
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not User.objects.exists()


def test_one_profile_per_email(client: Client) -> None:
    UserFactory.create(email="Requerant@Example.org")
    response = create_profile(client)
    assert "existe déjà pour cette adresse" in errors_of(response)


def test_substep_2_cannot_be_reached_directly(client: Client) -> None:
    response = client.get(reverse("accounts:profile_create_security"))
    assert response["Location"] == reverse("accounts:profile_create")


def test_paste_is_refused_on_the_confirmation_fields_only(client: Client) -> None:
    html = client.get(reverse("accounts:profile_create")).content.decode()
    no_paste = re.findall(
        r'<input[^>]*data-no-paste[^>]*name="([a-z_]+)"|<input[^>]*name="([a-z_]+)"[^>]*data-no-paste',
        html,
    )
    names = {a or b for a, b in no_paste}
    assert names == {"user_code_confirm", "password_confirm"}
    client.post(reverse("accounts:profile_create"), STEP1)
    html = client.get(reverse("accounts:profile_create_security")).content.decode()
    no_paste = re.findall(
        r'<input[^>]*data-no-paste[^>]*name="([a-z_]+)"|<input[^>]*name="([a-z_]+)"[^>]*data-no-paste',
        html,
    )
    assert {a or b for a, b in no_paste} == {"email_confirm"}


# --- Login, locks ---------------------------------------------------------------------------


def login(client: Client, user_code: str, password: str, ip: str = "127.0.0.1") -> Any:
    return client.post(
        reverse("accounts:login"), {"username": user_code, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_the_user_code_with_the_contact_centre_screen(
    client: Client, settings
) -> None:
    user = UserFactory.create(username="BrAnDfOrD04")
    for _ in range(4):
        assert login(client, "BrAnDfOrD04", "mauvais1").status_code == 200
    locked = login(client, "brandford04", "mauvais1")
    assert locked.status_code == 429
    assert "514 864-9191" in locked.content.decode()
    assert "bloqué pendant 30 minutes" in locked.content.decode()  # how long (issue 13 #18)
    # Even the right password is refused while locked.
    assert login(client, "BrAnDfOrD04", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.locked").count() == 1
    # Another user code from another address is not affected.
    UserFactory.create(username="autreusager")
    ok = login(client, "autreusager", PASSWORD, ip="10.0.0.9")
    assert ok.status_code == 302
    assert user.pk


def test_the_lock_outlives_the_cache_and_expires(client: Client, settings) -> None:
    """Issue 33: the lock is the database's; losing Redis (the cache emptied) does not lift
    it. It ends after LOCKOUT_SECONDS."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from guichet.accounts.models import Lockout

    UserFactory.create(username="BrAnDfOrD04")
    for _ in range(5):
        login(client, "BrAnDfOrD04", "mauvais1")
    assert login(client, "BrAnDfOrD04", PASSWORD).status_code == 429
    cache.clear()  # Redis restarted empty
    assert login(client, "BrAnDfOrD04", PASSWORD).status_code == 429
    assert not any(
        "BrAnDfOrD04".casefold() in key.casefold()
        for key in Lockout.objects.values_list("key", flat=True)
    )
    Lockout.objects.update(until=timezone.now() - timedelta(seconds=1))  # LOCKOUT_SECONDS later
    assert login(client, "BrAnDfOrD04", PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address(client: Client, settings) -> None:
    settings.LOCKOUT_MAX_FAILURES_PER_IP = 3
    for n in range(3):
        login(client, f"inconnu{n:04d}", "mauvais1")
    UserFactory.create(username="BrAnDfOrD04")
    assert login(client, "BrAnDfOrD04", PASSWORD).status_code == 429
    assert login(client, "BrAnDfOrD04", PASSWORD, ip="10.0.0.8").status_code == 302


# --- Mot de passe oublié ---------------------------------------------------------------------


def request_password(client: Client, user_code: str, email: str) -> Any:
    # The email is queued after the commit (ids only); run what is queued.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("accounts:forgot_password"), {"user_code": user_code, "email": email}
        )


def temporary_password_from(message: Any) -> str:
    match = re.search(r"(?:Mot de passe temporaire :|Temporary password:) (\w+)", message.body)
    assert match is not None, message.body
    return match.group(1)


def test_a_temporary_password_is_emailed_and_must_be_changed_at_next_login(client: Client) -> None:
    user = UserFactory.create(username="BrAnDfOrD04", email="requerant@example.org")
    response = request_password(client, "brandford04", "REQUERANT@example.org")
    assert response["Location"] == reverse("accounts:forgot_password_sent")
    assert len(mail.outbox) == 1
    temporary = temporary_password_from(mail.outbox[0])
    assert mail.outbox[0].to == ["requerant@example.org"]
    # The old password still works until the temporary one is used.
    assert user.check_password(PASSWORD)
    response = login(client, "BrAnDfOrD04", temporary)
    assert response["Location"] == reverse("accounts:password_change")
    # Nothing else is reachable until a new password is chosen.
    assert client.get(reverse("accounts:profile_update"))["Location"] == reverse(
        "accounts:password_change"
    )
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "old_password" not in page
    response = client.post(
        reverse("accounts:password_change"),
        {"new_password": "Nouveau2026", "new_password_confirm": "Nouveau2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("Nouveau2026")
    assert client.get(reverse("accounts:profile_update")).status_code == 200


def test_a_temporary_password_works_only_once(client: Client) -> None:
    UserFactory.create(username="BrAnDfOrD04", email="requerant@example.org")
    request_password(client, "BrAnDfOrD04", "requerant@example.org")
    temporary = temporary_password_from(mail.outbox[0])
    assert login(client, "BrAnDfOrD04", temporary).status_code == 302
    client.logout()
    assert login(Client(), "BrAnDfOrD04", temporary).status_code == 200


def test_a_temporary_password_dies_when_the_old_password_signs_in(client: Client) -> None:
    """Security finding 16: after a normal sign-in, the mailed temporary password still worked."""
    UserFactory.create(username="BrAnDfOrD04", email="requerant@example.org")
    request_password(client, "BrAnDfOrD04", "requerant@example.org")
    temporary = temporary_password_from(mail.outbox[0])
    assert login(client, "BrAnDfOrD04", PASSWORD).status_code == 302
    client.logout()
    assert login(Client(), "BrAnDfOrD04", temporary).status_code == 200


def test_an_expired_temporary_password_is_refused(client: Client) -> None:
    user = UserFactory.create(username="BrAnDfOrD04")
    TemporaryPassword.objects.create(
        user=user,
        password_hash=make_password("Temporaire1"),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert login(client, "BrAnDfOrD04", "Temporaire1").status_code == 200


def test_nothing_matched_gets_a_decoy_question_and_no_email(client: Client) -> None:
    UserFactory.create(username="BrAnDfOrD04", email="requerant@example.org")
    response = request_password(client, "BrAnDfOrD04", "autre@example.org")
    assert response["Location"] == reverse("accounts:forgot_password_question")
    page = client.get(response["Location"]).content.decode()
    assert 'name="answer"' in page
    answer = client.post(reverse("accounts:forgot_password_question"), {"answer": "Paris"})
    assert "ne permettent pas de vous authentifier" in answer.content.decode()
    assert mail.outbox == []


def test_the_right_security_answer_sends_the_temporary_password(client: Client) -> None:
    create_profile(client)  # BrAnDfOrD04 with two questions
    request_password(client, "BrAnDfOrD04", "requerant@example.org")
    question = client.session["password_recovery"]["question"]
    assert question in {"first_flight", "hobby"}
    right = {"first_flight": "Nairobi Kenya", "hobby": "Lecture"}[question]
    wrong = client.post(reverse("accounts:forgot_password_question"), {"answer": right.lower()})
    assert wrong.status_code == 200 and mail.outbox == []  # answers are compared exactly
    with TestCase.captureOnCommitCallbacks(execute=True):
        ok = client.post(reverse("accounts:forgot_password_question"), {"answer": right})
    assert ok["Location"] == reverse("accounts:forgot_password_sent")
    assert len(mail.outbox) == 1


def test_staff_cannot_recover_a_password_by_email(client: Client) -> None:
    UserFactory.create(username="agent000001", email="agent@example.org", role=Role.MINISTRY_STAFF)
    request_password(client, "agent000001", "agent@example.org")
    assert mail.outbox == []


def test_failed_recoveries_count_toward_a_lock(client: Client) -> None:
    request_password(client, "BrAnDfOrD04", "x@example.org")
    for _ in range(5):
        response = client.post(reverse("accounts:forgot_password_question"), {"answer": "x"})
    assert response.status_code == 429
    assert request_password(client, "BrAnDfOrD04", "x@example.org").status_code == 429


# --- Modifier votre profil / mot de passe ---------------------------------------------------


def test_a_client_changes_email_and_one_question(client: Client) -> None:
    create_profile(client)
    user = User.objects.get(username="BrAnDfOrD04")
    client.force_login(user)
    page = client.get(reverse("accounts:profile_update")).content.decode()
    assert 'value="requerant@example.org"' in page
    response = client.post(
        reverse("accounts:profile_update"),
        {
            "email": "nouveau@example.org",
            "email_confirm": "nouveau@example.org",
            "question_1": "first_flight",
            "answer_1": "",
            "question_2": "favourite_book",
            "answer_2": "Maria Chapdelaine",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "nouveau@example.org"
    assert check_security_answer(user, "first_flight", "Nairobi Kenya")  # kept
    assert check_security_answer(user, "favourite_book", "Maria Chapdelaine")
    event = AuditEvent.objects.get(action="account.profile_updated")
    assert event.details == {"changed": ["email", "security_questions"]}


def test_a_new_question_needs_an_answer(client: Client) -> None:
    create_profile(client)
    client.force_login(User.objects.get(username="BrAnDfOrD04"))
    response = client.post(
        reverse("accounts:profile_update"),
        {**STEP2, "question_2": "favourite_book", "answer_1": "", "answer_2": ""},
    )
    assert "Répondez à la nouvelle question" in errors_of(response)


def test_changing_the_password_needs_the_old_one_and_the_policy(client: Client) -> None:
    user = UserFactory.create(username="BrAnDfOrD04")
    client.force_login(user)
    url = reverse("accounts:password_change")
    wrong_old = client.post(
        url,
        {"old_password": "x", "new_password": "Nouveau2026", "new_password_confirm": "Nouveau2026"},
    )
    assert "inexact" in errors_of(wrong_old)
    weak = client.post(
        url,
        {"old_password": PASSWORD, "new_password": "nouveau", "new_password_confirm": "nouveau"},
    )
    assert "combinaison" in errors_of(weak)
    ok = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password": "Nouveau2026",
            "new_password_confirm": "Nouveau2026",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau2026")
    assert "_auth_user_id" in client.session  # still signed in
    assert AuditEvent.objects.filter(action="account.password_changed").exists()


# --- Session idle time-out ------------------------------------------------------------------


def test_the_warning_is_on_every_page_of_a_signed_in_person(client: Client, settings: Any) -> None:
    client.force_login(UserFactory.create())
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="session-timeout"' in page
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert settings.SESSION_COOKIE_AGE == 20 * 60
    assert 'id="session-timeout"' not in Client().get(reverse("core:home")).content.decode()


def test_staying_connected_answers_json_or_returns_to_the_page(client: Client) -> None:
    client.force_login(UserFactory.create())
    answer = client.post(reverse("accounts:keepalive"), HTTP_ACCEPT="application/json")
    assert answer.json() == {"expires_in": 1200}
    back = client.post(reverse("accounts:keepalive"), {"next": "/fr/profil/"})
    assert back["Location"] == "/fr/profil/"
    elsewhere = client.post(reverse("accounts:keepalive"), {"next": "https://ailleurs.example/"})
    assert elsewhere["Location"] == reverse("core:home")


def test_the_expired_page_only_shows_and_the_timer_signs_out_by_post(client: Client) -> None:
    """Security finding 12: a GET (a link, an image on another site) signed the user out."""
    client.force_login(UserFactory.create())
    page = client.get(reverse("accounts:session_expired"))
    assert "Session expirée" in page.content.decode()
    assert "_auth_user_id" in client.session
    home = client.get(reverse("core:home")).content.decode()
    assert f'action="{reverse("accounts:session_expired")}" data-expire' in home
    ended = client.post(reverse("accounts:session_expired"))
    assert ended["Location"] == reverse("accounts:session_expired")
    assert "_auth_user_id" not in client.session
