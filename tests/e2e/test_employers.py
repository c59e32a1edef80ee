"""The employers' portal in the browser (seed 004 §I to §III), in French and in English: from the
home page, a new CléGC (terms, user name, password, recovery answers), the portal's
registration screen by screen, signed and transmitted; once the ministry has approved it, the
employer signs out with « Fermeture de session », signs in again, answers a security question
and reaches the account's home page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from guichet.accounts.models import Role, SecurityQuestion, User
from guichet.accounts.tests.factories import staff
from guichet.employers import services
from guichet.employers.models import Registration, RegistrationStatus
from guichet.employers.tests.factories import RECOVERY_ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Portail2026Qc"
QUESTIONS = [
    (SecurityQuestion.FIRST_SCHOOL, "Saint-Jean"),
    (SecurityQuestion.HOBBY, "Ski alpin"),
    (SecurityQuestion.FIRST_PET, "Minou"),
    (SecurityQuestion.FAVOURITE_DISH, "Tourtière"),
]


def _t(text: str, language: str) -> str:
    with translation.override(language):
        return gettext(text)


def _label(text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(text))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_new_employer_creates_a_gckey_registers_and_once_approved_signs_in(
    live_server: Any, page: Any, language: str
) -> None:
    def t(text: str) -> str:
        return _t(text, language)

    def button(name: str) -> None:
        page.get_by_role("button", name=name, exact=True).or_(
            page.get_by_role("link", name=name, exact=True)
        ).first.click()

    def field(label: str) -> Any:
        return page.get_by_label(_label(t(label)))

    username = f"Patron{language.upper()}Boul"
    page.goto(f"{live_server.url}/{language}/")
    page.get_by_role("link", name=t("Se connecter au portail des employeurs")).click()
    page.get_by_role("heading", name=t("Bienvenue au service CléGC")).wait_for()
    page.get_by_role("link", name=t("S'enregistrer"), exact=True).click()

    # The CléGC (seed §I): terms, user name, password, recovery question and memorables.
    page.get_by_role("heading", name=t("Modalités et conditions d'utilisation")).wait_for()
    button(t("J'accepte"))
    field("Créez votre nom d'utilisateur :").fill("ab#")
    button(t("Continuer"))
    assert page.get_by_text(
        t(
            "Votre nom d'utilisateur doit contenir entre huit et seize caractères, au plus sept "
            "chiffres, et ne comprendre aucun caractère spécial (par exemple : %, #, @)."
        )
    ).first.is_visible()
    field("Créez votre nom d'utilisateur :").fill(username)
    button(t("Continuer"))
    field("Créez votre mot de passe :").fill(PASSWORD)
    field("Confirmez votre mot de passe :").fill(PASSWORD)
    button(t("Continuer"))
    for n, (question, answer) in enumerate(RECOVERY_ANSWERS.items(), start=1):
        numbered = {"n": n}
        question_label = t("Sélectionnez la question de récupération %(n)d :") % numbered
        page.get_by_label(_label(question_label)).select_option(question)
        page.get_by_label(_label(t("Ma réponse de récupération %(n)d :") % numbered)).fill(answer)
    field("Ma personne mémorable :").fill("Tante Jeanne")
    field("Mon indice au sujet de ma personne mémorable :").fill("Ma tante")
    field("Ma date mémorable (AAAA-MM-JJ) :").fill("1990-05-17")
    field("Mon indice au sujet de ma date mémorable :").fill("Un anniversaire")
    button(t("Continuer"))
    page.get_by_role("heading", name=t("S'enregistrer pour une cléGC - Complété")).wait_for()
    assert username in page.locator("main").inner_text()
    button(t("Continuer"))

    # The portal's registration (seed §III).
    page.get_by_role("heading", name=t("Conditions d'utilisation")).wait_for()
    button(t("J'accepte"))
    page.get_by_role("heading", name=t("Bienvenue au portail des employeurs")).wait_for()
    button(t("Suivant"))
    button(t("Non"))  # no PIN
    field("Dans quel portail désirez-vous vous inscrire?").select_option("employers")
    button(t("Suivant"))
    button(t("Non"))  # neither registering again nor a branch
    for n, (question, answer) in enumerate(QUESTIONS, start=1):
        page.locator(f"[name=question_{n}]").select_option(str(question))
        page.locator(f"[name=answer_{n}]").fill(answer)
    button(t("Continuer"))
    button(t("S'inscrire comme employeur"))
    field("Nom(s)").fill("Tremblay")
    field("Prénom(s)").fill("Julie")
    field("Désignation de l'emploi").fill("Directrice")
    field("Numéro de téléphone").fill("514 555-0199")
    page.get_by_label(_label(t("Adresse électronique"))).fill(f"julie.{language}@exemple.ca")
    button(t("Suivant"))
    field("Dénomination sociale de l'entreprise").fill("Boulangerie Laurentienne inc.")
    field("Nom commercial de l'entreprise").fill("Boulangerie Laurentienne")
    page.locator("[name=is_canadian][value=oui]").check()
    field("Numéro d'entreprise attribué par l'Agence du Revenu du Canada").fill("123456789")
    field(
        "Veuillez saisir de nouveau le numéro d'entreprise attribué par l'Agence du Revenu du "
        "Canada"
    ).fill("123456789")
    button(t("Continuer"))
    page.get_by_label(t("J'accepte")).check()
    field("Prénom(s)").fill("Julie")
    field("Nom(s)").fill("Tremblay")
    # The « Question de sécurité CléGC »: one of the three recovery questions.
    asked = services.signature_question(User.objects.get(username=username))
    with translation.override("fr"):
        asked_label = str(SecurityQuestion(asked).label)
    field(asked_label).fill(RECOVERY_ANSWERS[asked])
    button(t("Signer"))
    button(t("Transmettre"))
    page.get_by_role(
        "heading", name=t("Félicitations! Votre demande ou profil a été soumise avec succès.")
    ).wait_for()

    # The ministry verifies it (its pages have their own tests); the account becomes active.
    registration = Registration.objects.get(user__username=username)
    assert registration.status == RegistrationStatus.PENDING
    officer = staff(Role.MINISTRY_STAFF)
    User.objects.filter(pk=officer.pk).update(handles_employer_files=True)
    officer.refresh_from_db()
    company = services.approve(actor=officer, registration_id=registration.pk)

    # « Fermeture de session », then the CléGC sign-in and one of the four questions.
    page.goto(f"{live_server.url}/{language}/")
    page.get_by_role("link", name=t("Fermeture de session")).first.click()
    button(t("Continuer"))
    page.get_by_role("heading", name=t("Bienvenue au service CléGC")).wait_for()
    page.get_by_label(_label(t("Nom d'utilisateur :"))).fill(username)
    page.get_by_label(_label(t("Mot de passe :"))).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=t("Se connecter")).click()
    asked = page.locator("main form label").first.inner_text()
    with translation.override(language):
        answer = next(a for q, a in QUESTIONS if str(q.label) in asked)
    page.locator("main form input[type=text], main form input[type=password]").first.fill(answer)
    button(t("Continuer"))
    main = page.locator("main").inner_text()
    assert company.operating_name in main and company.ministry_number in main
    assert t("Que voulez-vous faire aujourd'hui?") in main
