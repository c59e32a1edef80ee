"""CléGC (seed 004 §I-II): the terms, the user name and password rules, the recovery answers,
the sign-in with a security question, and a forgotten password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import Role, SecurityQuestion, User
from guichet.accounts.tests.factories import with_two_factor
from guichet.employers import services
from guichet.employers.models import Credentials

from .factories import (
    ANSWERS,
    EMPLOYER_PASSWORD,
    MEMORABLE_DATE,
    MEMORABLE_PERSON,
    RECOVERY_ANSWERS,
    RECOVERY_FORM,
    company,
    gckey_holder,
)

pytestmark = pytest.mark.django_db


def errors(page: str) -> str:
    """The error messages shown next to the fields and in the summary."""
    found = re.findall(
        r'class="(?:field__error|error-summary__list)"[^>]*>(.*?)</(?:p|ul)>', page, re.S
    )
    return " ".join(found).replace("&#x27;", "'")


def _accept_terms(client: Client) -> None:
    response = client.post(reverse("employers:gckey_terms"), {"action": "accept"})
    assert response["Location"] == reverse("employers:gckey_username")


def _recovery(**overrides: str) -> dict[str, str]:
    return {**RECOVERY_FORM, **overrides}


def test_the_portal_page_offers_sign_in_and_registration(client: Client) -> None:
    page = client.get(reverse("employers:login")).content.decode()
    assert "Bienvenue au service CléGC" in page
    assert "Nom d&#x27;utilisateur :" in page
    assert reverse("employers:gckey_terms") in page
    assert reverse("employers:gckey_forgot") in page
    assert reverse("employers:login") in client.get(reverse("core:home")).content.decode()


def test_refusing_the_terms_ends_the_process(client: Client) -> None:
    assert "Je refuse" in client.get(reverse("employers:gckey_terms")).content.decode()
    response = client.post(reverse("employers:gckey_terms"), {"action": "refuse"}, follow=True)
    assert "Vous avez choisi de ne pas vous inscrire pour une cléGC." in response.content.decode()
    # Without the terms, the user name screen sends back to them.
    assert client.get(reverse("employers:gckey_username"))["Location"] == reverse(
        "employers:gckey_terms"
    )


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("court7", "entre huit et seize caractères"),
        ("abc12345678", "au plus sept chiffres"),
        ("nom#utilisateur", "entre huit et seize caractères"),
        ("nomutilisateurtroplong", "entre huit et seize caractères"),
    ],
)
def test_the_user_name_rules(client: Client, username: str, message: str) -> None:
    _accept_terms(client)
    response = client.post(reverse("employers:gckey_username"), {"username": username})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in errors(page)
    assert f'value="{username}"' in page  # what was typed is kept


def test_a_taken_user_name_is_refused(client: Client) -> None:
    gckey_holder("pris2026nom")
    _accept_terms(client)
    page = client.post(reverse("employers:gckey_username"), {"username": "PRIS2026nom"})
    assert "déjà utilisé" in errors(page.content.decode())


def test_effacer_tout_empties_the_form(client: Client) -> None:
    _accept_terms(client)
    page = client.post(
        reverse("employers:gckey_username"), {"username": "gardemoi1", "action": "clear"}
    ).content.decode()
    assert "gardemoi1" not in page
    assert "Effacer tout" in page


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court1A", "entre huit et seize caractères"),
        ("toutminuscule1", "une lettre majuscule"),
        ("TOUTMAJUSCULE1", "une lettre majuscule"),
        ("SansChiffreIci", "une lettre majuscule"),
        ("Xyzentre2026", "3 caractères consécutifs"),  # « ent » is in the user name
    ],
)
def test_the_gckey_password_policy(client: Client, password: str, message: str) -> None:
    _accept_terms(client)
    client.post(reverse("employers:gckey_username"), {"username": "monentreprise1"})
    response = client.post(
        reverse("employers:gckey_password"), {"password": password, "password_confirm": password}
    )
    assert response.status_code == 200
    assert message in errors(response.content.decode())


def test_the_confirmation_must_match(client: Client) -> None:
    _accept_terms(client)
    client.post(reverse("employers:gckey_username"), {"username": "monentreprise1"})
    page = client.post(
        reverse("employers:gckey_password"),
        {"password": "Portail2026Qc", "password_confirm": "Portail2026Qd"},
    ).content.decode()
    assert "Les deux mots de passe ne sont pas identiques." in errors(page)


def test_creating_a_gckey_from_the_terms_to_the_completion_page(client: Client) -> None:
    _accept_terms(client)
    client.post(reverse("employers:gckey_username"), {"username": "Monentreprise1"})
    response = client.post(
        reverse("employers:gckey_password"),
        {"password": "Portail2026Qc", "password_confirm": "Portail2026Qc"},
    )
    assert response["Location"] == reverse("employers:gckey_recovery")
    missing = client.post(reverse("employers:gckey_recovery"), _recovery(memorable_date="17/05"))
    assert "aaaa-mm-jj" in errors(missing.content.decode())
    response = client.post(reverse("employers:gckey_recovery"), _recovery(), follow=True)
    page = response.content.decode()
    assert "Vous avez créé votre cléGC avec succès." in page
    assert "Monentreprise1" in page
    user = User.objects.get(username="Monentreprise1")
    assert user.role == Role.EMPLOYER and user.organisation is None
    assert user.check_password("Portail2026Qc")
    credentials = Credentials.objects.get(user=user)
    kept = list(credentials.recovery_answers.order_by("position"))
    assert [a.question for a in kept] == list(RECOVERY_ANSWERS)  # three, in order
    assert all(check_password(RECOVERY_ANSWERS[a.question], a.answer_hash) for a in kept)
    assert not any(answer in a.answer_hash for a in kept for answer in RECOVERY_ANSWERS.values())
    # Signed in: « Continuer » leads to the portal's terms; any other page too, until approved.
    response = client.get(reverse("employer_registration:resume"))
    assert response["Location"] == reverse("employer_registration:terms")
    assert client.get(reverse("documents:mine"))["Location"] == reverse(
        "employer_registration:resume"
    )


def test_a_hint_may_not_give_the_answer_away(client: Client) -> None:
    _accept_terms(client)
    client.post(reverse("employers:gckey_username"), {"username": "monentreprise1"})
    client.post(
        reverse("employers:gckey_password"),
        {"password": "Portail2026Qc", "password_confirm": "Portail2026Qc"},
    )
    page = client.post(
        reverse("employers:gckey_recovery"),
        _recovery(memorable_person_hint="C'est Tante Jeanne", memorable_date_hint="1990-05-17"),
    ).content.decode()
    assert errors(page).count("L'indice ne doit pas contenir la réponse.") >= 2
    assert not User.objects.filter(username="monentreprise1").exists()


def test_three_different_recovery_questions(client: Client) -> None:
    """« Veillez créer vos 3 questions de récupération, réponses et indices » (seed 004 §II)."""
    _accept_terms(client)
    client.post(reverse("employers:gckey_username"), {"username": "monentreprise1"})
    client.post(
        reverse("employers:gckey_password"),
        {"password": "Portail2026Qc", "password_confirm": "Portail2026Qc"},
    )
    blank = client.get(reverse("employers:gckey_recovery")).content.decode()
    for n in (1, 2, 3):
        assert f"Sélectionnez la question de récupération {n} :" in blank
        assert f"Ma réponse de récupération {n} :" in blank
    same = client.post(
        reverse("employers:gckey_recovery"),
        _recovery(question_3="first_flight", answer_2=MEMORABLE_PERSON, answer_3=""),
    ).content.decode()
    assert "Choisissez trois questions différentes." in errors(same)
    assert "doit être différente de votre réponse de récupération" in errors(same)
    assert "Ce champ est obligatoire." in errors(same)
    assert 'value="Rue Principale"' not in same  # answer_2 was replaced above, kept as typed
    assert f'value="{MEMORABLE_PERSON}"' in same
    assert not User.objects.filter(username="monentreprise1").exists()


# --- Sign-in -------------------------------------------------------------------------------------


def _question_asked(page: str) -> str:
    for question, answer in ANSWERS.items():
        from guichet.accounts.models import SecurityQuestion

        if str(SecurityQuestion(question).label).replace("'", "&#x27;") in page:
            return answer
    raise AssertionError("no security question on the page")


def test_sign_in_asks_a_security_question(client: Client) -> None:
    user = gckey_holder("signin2026")
    company(user)
    response = client.post(
        reverse("employers:login"), {"username": "signin2026", "password": EMPLOYER_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:login_question")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    answer = _question_asked(page)
    wrong = client.post(reverse("accounts:login_question"), {"answer": answer.upper()})
    assert "Cette réponse n'est pas exacte." in errors(wrong.content.decode())
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:login_question"), {"answer": answer})
    assert response["Location"] == reverse("employers:home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_correspondence_language_chosen_on_the_way_in_becomes_the_accounts(
    client: Client,
) -> None:
    """« Choisissez votre langue de correspondance » (seed 004 §I): an existing holder who signs
    in from the English page is written to in English from then on; the general sign-in
    leaves the account's language as it was."""
    user = gckey_holder("langue2026", preferred_language="fr")
    company(user)
    with translation.override("en"):
        login_url, question_url = reverse("employers:login"), reverse("accounts:login_question")
    assert login_url.startswith("/en/")
    client.post(login_url, {"username": "langue2026", "password": EMPLOYER_PASSWORD})
    user.refresh_from_db()
    assert user.preferred_language == "fr"  # not before the sign-in is complete
    answer = _question_asked(client.get(reverse("accounts:login_question")).content.decode())
    client.post(question_url, {"answer": answer})
    user.refresh_from_db()
    assert user.preferred_language == "en"
    client.logout()
    User.objects.filter(pk=user.pk).update(preferred_language="fr")
    with translation.override("en"):
        general = reverse("accounts:login")
    client.post(general, {"username": "langue2026", "password": EMPLOYER_PASSWORD})
    answer = _question_asked(client.get(reverse("accounts:login_question")).content.decode())
    client.post(reverse("accounts:login_question"), {"answer": answer})
    user.refresh_from_db()
    assert user.preferred_language == "fr"


def test_the_general_sign_in_asks_it_too(client: Client) -> None:
    gckey_holder("signin2027")
    response = client.post(
        reverse("accounts:login"), {"username": "signin2027", "password": EMPLOYER_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:login_question")


def test_wrong_answers_lock_the_account_like_wrong_passwords(client: Client, settings) -> None:
    gckey_holder("signin2028")
    for _attempt in range(settings.LOCKOUT_MAX_FAILURES):
        client.post(
            reverse("employers:login"), {"username": "signin2028", "password": EMPLOYER_PASSWORD}
        )
        response = client.post(reverse("accounts:login_question"), {"answer": "mauvaise"})
    assert response.status_code == 429
    response = client.post(
        reverse("employers:login"), {"username": "signin2028", "password": EMPLOYER_PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_the_second_factor_comes_after_the_question(client: Client) -> None:
    user = with_two_factor(gckey_holder("signin2029"))
    company(user)
    client.post(
        reverse("employers:login"), {"username": "signin2029", "password": EMPLOYER_PASSWORD}
    )
    answer = _question_asked(client.get(reverse("accounts:login_question")).content.decode())
    response = client.post(reverse("accounts:login_question"), {"answer": answer})
    assert response["Location"] == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session


# --- Forgotten password ---------------------------------------------------------------------------


def _answers(**overrides: str) -> dict[str, str]:
    return {
        "memorable_person": MEMORABLE_PERSON,
        "memorable_date": MEMORABLE_DATE.isoformat(),
        **overrides,
    }


def test_a_forgotten_password_through_the_recovery_answers(client: Client) -> None:
    user = gckey_holder("oubli2026")
    company(user)
    answers = reverse("employers:gckey_forgot_answers")
    client.post(reverse("employers:gckey_forgot"), {"username": "oubli2026"})
    page = client.get(answers).content.decode()
    asked = services.signature_question(user)
    assert (
        str(SecurityQuestion(asked).label).replace("'", "&#x27;") in page
    )  # one of the three, the same each time
    again = client.get(answers).content.decode()
    assert str(SecurityQuestion(asked).label).replace("'", "&#x27;") in again
    # The hints only after the recovery answer: a user name alone shows nothing of its holder.
    assert "Ma tante" not in page and "Un anniversaire" not in page
    assert "Ma personne mémorable" not in page
    wrong = client.post(answers, {"answer": "Londres"})
    assert "ne permettent pas de vous authentifier" in errors(wrong.content.decode())
    assert "Ma tante" not in wrong.content.decode()
    other = next(a for q, a in RECOVERY_ANSWERS.items() if q != asked)
    refused = client.post(answers, {"answer": other})  # another question's answer
    assert "ne permettent pas de vous authentifier" in errors(refused.content.decode())
    assert client.post(answers, {"answer": RECOVERY_ANSWERS[asked]})["Location"] == answers
    page = client.get(answers).content.decode()
    assert "Ma tante" in page and "Un anniversaire" in page  # the hints
    wrong = client.post(answers, _answers(memorable_date="1990-05-18"))
    assert "ne permettent pas de vous authentifier" in errors(wrong.content.decode())
    assert client.get(reverse("employers:gckey_forgot_password"))["Location"] == reverse(
        "employers:gckey_forgot"
    )
    response = client.post(answers, _answers(memorable_person="  tante   JEANNE "))
    assert response["Location"] == reverse("employers:gckey_forgot_password")
    weak = client.post(
        reverse("employers:gckey_forgot_password"),
        {"password": "oubli2026X", "password_confirm": "oubli2026X"},
    )
    assert "3 caractères consécutifs" in errors(weak.content.decode())
    response = client.post(
        reverse("employers:gckey_forgot_password"),
        {"password": "Neuf1987Qcx", "password_confirm": "Neuf1987Qcx"},
        follow=True,
    )
    assert "Votre mot de passe a été modifié." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Neuf1987Qcx")
    assert mail.outbox == []  # nothing by email: the answers proved who it is


def test_an_unknown_user_name_sees_the_same_screens(client: Client) -> None:
    client.post(reverse("employers:gckey_forgot"), {"username": "personne2026"})
    page = client.get(reverse("employers:gckey_forgot_answers")).content.decode()
    assert "Répondez d'abord à votre question de récupération" in page
    wrong = client.post(reverse("employers:gckey_forgot_answers"), {"answer": "Paris"})
    assert "ne permettent pas de vous authentifier" in errors(wrong.content.decode())


def test_user_names_cannot_be_listed_through_the_recovery(client: Client, settings) -> None:
    """Each look-up counts against the address (like the other answers that tell an account
    exists): past the limit, the seed's lock screen."""
    settings.LOCKOUT_MAX_FAILURES_PER_IP = 4
    for n in range(3):
        sent = client.post(reverse("employers:gckey_forgot"), {"username": f"nom{n}2026"})
        assert sent.status_code == 302
    assert (
        client.post(reverse("employers:gckey_forgot"), {"username": "nom92026"}).status_code == 429
    )


def test_the_email_recovery_of_clients_does_not_open_an_employer_account(client: Client) -> None:
    user = gckey_holder("oubli2027", email="oubli@example.org")
    company(user)
    client.post(
        reverse("accounts:forgot_password"),
        {"user_code": "oubli2027", "email": "oubli@example.org"},
    )
    assert not re.search("mot de passe temporaire", " ".join(str(m.body) for m in mail.outbox))
