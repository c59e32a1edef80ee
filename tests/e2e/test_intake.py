"""Mon projet Québec in the browser (issue 17), French and English: a candidate prepares an
application with two children and two jobs, submits it in an open period with the credentials
typed again, pays by card at « Banque d'essai » (a separate process), and finds the quota and
payment confirmations, then the file-opening letter, in « Consultation des documents »; a second
person with the same identity is set aside."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation

from guichet.accounts.models import Role, SecurityAnswer, SecurityQuestion, User
from guichet.accounts.tests.factories import PASSWORD, UserFactory
from guichet.demo.intake_data import example_application
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.intake import services
from guichet.intake.kinds.csq.kind import DUPLICATE_REASON
from guichet.intake.models import Application
from guichet.intake.tests.factories import ANSWERS, QUESTIONS, fee_schedule, officer, period

from .test_payments import API_KEY, SECRET, _sign_in, _t, bank_url  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _candidate(language: str, username: str) -> User:
    user = UserFactory.create(
        role=Role.CLIENT,
        username=username,
        preferred_language=language,
        email_verified_at=timezone.now(),  # the link sent to the address was opened
    )
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, position=i, question=q, answer_hash=make_password(ANSWERS[q]))
        for i, q in enumerate(QUESTIONS, start=1)
    )
    return user


def _prefill(user: User, **identity: Any) -> None:
    """What the candidate typed on earlier visits: every section but the children and jobs."""
    dossier = Dossier.objects.get(owner=user, kind="csq")
    data = example_application(**identity)
    data["enfants"] = {"has_children": "", "enfants": []}
    data["experience"] = {"has_experience": "", "emplois": []}
    dossier.data = {**dossier.data, **data}
    dossier.save(update_fields=["data"])


def _submit(page: Any, user: User, language: str) -> None:
    def t(text: str) -> str:
        return _t(text, language)

    page.get_by_label(t("Code d'utilisateur")).fill(user.username)
    page.locator("main [name=password]").fill(PASSWORD)
    with translation.override(language):
        for question in QUESTIONS:
            page.get_by_label(str(SecurityQuestion(question).label)).fill(ANSWERS[question])
    page.locator("main").get_by_role("button", name=t("Soumettre"), exact=True).click()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_candidate_prepares_submits_pays_and_reads_the_documents(
    bank_url: str,  # noqa: F811
    live_server: Any,
    context: Any,
    settings: Any,
    language: str,
) -> None:
    settings.TESTBANK_URL = bank_url
    settings.TESTBANK_API_KEY, settings.TESTBANK_SECRET = API_KEY, SECRET
    settings.SITE_URL = live_server.url
    settings.PAYMENT_PROVIDER = "banque_essai"
    fee_schedule()
    period(quota=2)

    def t(text: str) -> str:
        return _t(text, language)

    def click(name: str) -> None:
        main = page.locator("main")
        main.get_by_role("button", name=name, exact=True).or_(
            main.get_by_role("link", name=name, exact=True)
        ).first.click()

    user = _candidate(language, "CandidatE2E")
    page = _sign_in(context, live_server, user)
    page.goto(f"{live_server.url}/{language}/")
    page.get_by_role("link", name=t("Accéder à Mon projet Québec")).click()
    click(t("Commencer ma demande"))
    _prefill(user)

    # Two children, added with the group's button, one typed wrong then corrected.
    page.locator("nav").get_by_role("link", name=re.compile(t("Enfants à charge"))).click()
    page.get_by_label(t("Oui")).check()
    click(t("Ajouter un enfant"))
    click(t("Ajouter un enfant"))
    for index, (first, sex, born) in enumerate(
        (("Léa", "F", "2016-09-03"), ("Noé", "M", "2099-02-21"))
    ):
        row = page.locator(f"#enfants-{index}")
        row.get_by_label(t("Nom de famille")).fill("Moreau")
        row.get_by_label(t("Prénom")).fill(first)
        row.locator(f"[name=enfants-{index}-sex][value={sex}]").check()
        row.get_by_label(t("Date de naissance")).fill(born)
        row.get_by_label(t("Pays de citoyenneté")).select_option("FR")
        row.locator(f"[name=enfants-{index}-accompanies][value=oui]").check()
    click(t("Enregistrer"))
    summary = page.locator(".error-summary")
    assert t("Enfant %(number)s") % {"number": 2} in summary.inner_text()
    page.locator("#enfants-1").get_by_label(t("Date de naissance")).fill("2019-02-21")
    click(t("Enregistrer"))
    assert not page.locator(".error-summary").count()

    # Two jobs.
    page.locator("nav").get_by_role(
        "link", name=re.compile(t("Expérience professionnelle"))
    ).click()
    page.get_by_label(t("Oui")).check()
    click(t("Ajouter un emploi"))
    click(t("Ajouter un emploi"))
    for index, (title, start) in enumerate(
        (("Ingénieure", "2013-09-02"), ("Cheffe de projet", "2019-09-02"))
    ):
        row = page.locator(f"#emplois-{index}")
        row.get_by_label(t("Titre de l'emploi")).fill(title)
        row.get_by_label(t("Nom de l'employeur")).fill("Ouvrages Lyonnais")
        row.get_by_label(t("Pays")).select_option("FR")
        row.get_by_label(t("Date de début")).fill(start)
        row.get_by_label(t("Heures par semaine")).fill("40")
    click(t("Enregistrer et quitter"))
    assert page.get_by_text(t("Prête à soumettre")).is_visible()

    click(t("Soumettre ma demande"))
    _submit(page, user, language)
    dossier = Dossier.objects.get(owner=user)
    assert dossier.status == DossierStatus.SUBMITTED
    assert (
        len(dossier.data["enfants"]["enfants"]) == 2 == len(dossier.data["experience"]["emplois"])
    )

    # The fees: principal applicant, spouse and two children, by card.
    click(t("Payer les frais"))
    page.get_by_label(t("En ligne")).check()
    page.get_by_role("button", name=t("Transmettre et payer")).click()
    page.wait_for_url(bank_url.split("/banque-essai")[0] + "/**")
    page.get_by_label(t("Numéro de carte")).fill("4242 4242 4242 4242")
    page.get_by_label(t("Date d'expiration (MM/AA)")).fill("12/39")
    page.get_by_label(t("Code de sécurité (CVC)")).fill("123")
    page.get_by_label(t("Nom du titulaire de la carte")).fill("Camille Moreau")
    page.get_by_role("button", name=re.compile(r"^(Payer|Pay) ")).click()
    page.wait_for_url(live_server.url + "/**")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PAID
    click(t("Retour à votre demande"))
    click(t("Consultation des documents"))
    table = page.locator("main table")
    assert t("Confirmation de la réception de votre demande dans le quota") in table.inner_text()
    assert t("Confirmation du paiement des frais") in table.inner_text()

    # The officer opens the file: its letter joins the documents, announced by a message.
    services.open_file(application=Application.objects.get(dossier=dossier), actor=officer())
    page.reload()
    assert t("Lettre d'ouverture de dossier") in page.locator("main table").inner_text()
    page.get_by_role("link", name=t("Mes documents")).first.click()
    assert t("Lettre d'ouverture de dossier") in page.locator("main table").inner_text()

    # Someone else types the same identity: set aside, the reason told.
    twin = _candidate(language, "JumelleE2E")
    context.clear_cookies()
    page = _sign_in(context, live_server, twin)
    services.start(actor=twin)
    dossier = Dossier.objects.get(owner=twin)
    dossier.data = {**dossier.data, **example_application()}
    dossier.save(update_fields=["data"])
    page.goto(f"{live_server.url}/{language}/")
    page.get_by_role("link", name=t("Accéder à Mon projet Québec")).click()
    click(t("Soumettre ma demande"))
    _submit(page, twin, language)
    assert Dossier.objects.get(owner=twin).status == DossierStatus.SET_ASIDE
    with translation.override(language):
        reason = str(DUPLICATE_REASON)
    assert page.locator("main .notice--error", has_text=reason).is_visible()
