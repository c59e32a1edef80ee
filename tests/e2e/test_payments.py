"""Paying in the browser (issue 15), with « Banque d'essai » as a separate process on its own
port, so the payer really leaves Guichet for the provider's page and comes back: the success
card leaves a receipt in « Mes documents » and a message; a declined card says so and the payer
may retry; « Annuler la transaction » gives « Demande en traitement » for an hour; staff record
a short envelope, which is returned."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import UserFactory, with_two_factor
from guichet.payments import purposes, services
from guichet.payments.models import Fee, FeeRate, Payment, PaymentStatus
from guichet.payments.purposes import Owed, Purpose

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
API_KEY, SECRET = "cle-e2e-banque", "secret-e2e-banque"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def bank_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """« Banque d'essai » in its own process, with its own database."""
    folder = tmp_path_factory.mktemp("banque")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'banque.sqlite3'}",
        # A test process of its own: plain http on loopback (DEBUG), the bank switched on.
        "DEBUG": "true",
        "TESTBANK_ENABLED": "true",
        "TESTBANK_API_KEY": API_KEY,
        "TESTBANK_SECRET": SECRET,
        "TASKS_BACKEND": "immediate",
        "REDIS_URL": "",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/banque-essai"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("Banque d'essai did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def paying(bank_url: str, live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Guichet speaks to the bank's process; the bank notifies Guichet's live server."""
    settings.TESTBANK_URL = bank_url
    settings.TESTBANK_API_KEY, settings.TESTBANK_SECRET = API_KEY, SECRET
    settings.SITE_URL = live_server.url
    settings.PAYMENT_PROVIDER = "banque_essai"
    fee = Fee.objects.create(code="frais-essai", label_fr="Frais d'essai", label_en="Test fee")
    FeeRate.objects.create(fee=fee, valid_from=date(2020, 1, 1), amount_cents=23000)
    purpose = Purpose(
        code="essai",
        label="Demande d'essai",
        owed=lambda object_id: [Owed("frais-essai")],
        may_pay=lambda user, object_id: str(user.pk) == str(object_id),
        on_paid=lambda payment: None,
    )
    monkeypatch.setitem(purposes._PURPOSES, purpose.code, purpose)
    return purpose


def _sign_in(context: Any, live_server: Any, user: User) -> Any:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def _pay_url(user: User, language: str) -> str:
    with translation.override(language):
        return reverse("payments:pay", kwargs={"purpose": "essai", "object_id": str(user.pk)})


TEXT = {
    "fr": {
        "pay": "Transmettre et payer",
        "online": "En ligne",
        "number": "Numéro de carte",
        "expiry": "Date d'expiration (MM/AA)",
        "cvc": "Code de sécurité (CVC)",
        "name": "Nom du titulaire de la carte",
        "confirm": "Payer 230,00 $",
        "received": "Paiement reçu",
        "documents": "Mes documents",
        "messages": "Centre des messages",
        "declined": "Paiement refusé",
        "cancel": "Annuler la transaction",
        "cancelled": "Transaction annulée",
        "processing": "Demande en traitement",
        "not_submitted": "Non soumise",
        "thread": "Vos paiements",
    },
    "en": {
        "pay": "Submit and pay",
        "online": "Online",
        "number": "Card number",
        "expiry": "Expiry date (MM/YY)",
        "cvc": "Security code (CVC)",
        "name": "Cardholder name",
        "confirm": "Pay $230.00",
        "received": "Payment received",
        "documents": "My documents",
        "messages": "Message Centre",
        "declined": "Payment declined",
        "cancel": "Cancel the transaction",
        "cancelled": "Transaction cancelled",
        "processing": "Application being processed",
        "not_submitted": "Not submitted",
        "thread": "Your payments",
    },
}


def _to_bank(page: Any, live_server: Any, user: User, language: str, bank_url: str) -> None:
    words = TEXT[language]
    page.goto(live_server.url + _pay_url(user, language))
    page.get_by_label(words["online"]).check()
    page.get_by_role("button", name=words["pay"]).click()
    page.wait_for_url(bank_url.split("/banque-essai")[0] + "/**")
    assert page.url.startswith(bank_url.replace("/banque-essai", f"/{language}/banque-essai"))
    assert not page.url.startswith(live_server.url)  # the payer has left Guichet


def _card(page: Any, language: str, number: str) -> None:
    words = TEXT[language]
    page.get_by_label(words["number"]).fill(number)
    page.get_by_label(words["expiry"]).fill("12/39")
    page.get_by_label(words["cvc"]).fill("123")
    page.get_by_label(words["name"]).fill("Maria Valdero")
    page.get_by_role("button", name=words["confirm"]).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_success_card_gives_a_receipt_and_a_message(
    paying: Purpose, live_server: Any, context: Any, bank_url: str, language: str
) -> None:
    words = TEXT[language]
    payer = UserFactory.create(role=Role.EMPLOYER, preferred_language=language)
    page = _sign_in(context, live_server, payer)
    _to_bank(page, live_server, payer, language, bank_url)
    _card(page, language, "4242 4242 4242 4242")
    assert page.url.startswith(live_server.url)  # back at Guichet
    assert page.get_by_role("heading", name=words["received"]).is_visible()
    payment = Payment.objects.get(payer=payer)
    assert payment.status == PaymentStatus.SUCCESS and payment.card_last4 == "4242"
    assert page.get_by_text(str(payment.receipt_number)).first.is_visible()
    page.get_by_role("link", name=words["documents"]).click()
    assert page.get_by_text(str(payment.receipt_number)).first.is_visible()
    page.get_by_role("link", name=words["messages"]).first.click()
    page.locator("main").get_by_role("link", name=words["thread"]).click()
    assert page.get_by_text(str(payment.receipt_number)).first.is_visible()


def test_a_declined_card_says_so_and_the_payer_tries_again(
    paying: Purpose, live_server: Any, context: Any, bank_url: str
) -> None:
    payer = UserFactory.create(role=Role.EMPLOYER)
    page = _sign_in(context, live_server, payer)
    _to_bank(page, live_server, payer, "fr", bank_url)
    _card(page, "fr", "4000 0000 0000 0002")
    assert page.get_by_role("heading", name="Paiement refusé").is_visible()
    _to_bank(page, live_server, payer, "fr", bank_url)  # a new attempt at once
    _card(page, "fr", "4242 4242 4242 4242")
    assert page.get_by_role("heading", name="Paiement reçu").is_visible()
    assert Payment.objects.filter(payer=payer, status=PaymentStatus.SUCCESS).count() == 1


def test_cancel_the_transaction_then_processing_for_an_hour(
    paying: Purpose, live_server: Any, context: Any, bank_url: str
) -> None:
    words = TEXT["en"]
    payer = UserFactory.create(role=Role.EMPLOYER, preferred_language="en")
    page = _sign_in(context, live_server, payer)
    _to_bank(page, live_server, payer, "en", bank_url)
    page.get_by_role("button", name=words["cancel"]).click()
    assert page.get_by_role("heading", name=words["cancelled"]).is_visible()
    page.goto(live_server.url + _pay_url(payer, "en"))
    assert page.get_by_text(words["processing"]).first.is_visible()
    assert page.locator(".request-status").inner_text().endswith(words["processing"])
    assert page.get_by_role("button", name=words["pay"]).count() == 0
    # An hour later (the clock moved): it can be paid again.
    Payment.objects.filter(payer=payer).update(
        completed_at=timezone.now() - timedelta(hours=1, minutes=1)
    )
    page.reload()
    assert page.locator(".request-status").inner_text().endswith(words["not_submitted"])
    assert page.get_by_role("button", name=words["pay"]).is_visible()


def test_staff_record_a_short_envelope_which_is_returned(
    paying: Purpose, live_server: Any, context: Any
) -> None:
    payer = UserFactory.create(role=Role.CLIENT, username="PayeurPoste02")
    mail = services.start_mail_payment(purpose=paying, object_id=str(payer.pk), actor=payer)
    officer = with_two_factor(UserFactory.create(role=Role.MINISTRY_STAFF))
    User.objects.filter(pk=officer.pk).update(handles_payments=True)
    page = _sign_in(context, live_server, officer)
    page.goto(live_server.url + "/fr/")
    page.get_by_role("link", name="Bureau").click()
    page.get_by_role("link", name="Paiements").click()
    page.get_by_label("Numéro de reçu, référence, code d'utilisateur ou courriel du payeur").fill(
        "PayeurPoste02"
    )
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=mail.reference).click()
    page.get_by_label("Mode de paiement").select_option("money_order")
    page.get_by_label("Montant reçu ($)").fill("200,00")
    page.get_by_label("Date de réception").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Inscrire l'envoi").click()
    assert page.get_by_text("Montant inférieur aux frais à payer").first.is_visible()
    mail.refresh_from_db()
    assert mail.status == PaymentStatus.FAILED and mail.failure_reason == "returned"


def _t(text: str, language: str) -> str:
    with translation.override(language):
        return str(translation.gettext(text))


def _fill_form(page: Any, raw: dict[str, Any]) -> None:
    """Fill one of the offer's forms as typed, whatever each field's kind."""
    for name, value in raw.items():
        field = page.locator(f"main form [name={name}]")
        if not field.count() or value in ("", []):
            continue
        kind = field.first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind.startswith("select"):
            field.first.select_option(str(value))
        elif kind.endswith(":radio"):
            page.locator(f"main form [name={name}][value='{value}']").check()
        elif kind.endswith(":checkbox"):
            for choice in value:
                page.locator(f"main form [name={name}][value='{choice}']").check()
        else:
            field.first.fill(str(value))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_employer_fills_the_four_forms_pays_gets_the_number_views_and_withdraws(
    bank_url: str, live_server: Any, context: Any, settings: Any, language: str
) -> None:
    """With the test bank as its own process."""
    _employer_journey(bank_url, live_server, context, settings, language)


def test_an_offer_paid_through_the_embedded_bank_is_withdrawn_and_refunded(
    live_server: Any, context: Any, settings: Any
) -> None:
    """Issue 31.1: with `make run`'s bank, in the same server (and database) as Guichet, the
    withdrawal's refund used to wait on the withdrawal's own transaction (SQLite)."""
    settings.TESTBANK_ENABLED = True
    _employer_journey(f"{live_server.url}/banque-essai", live_server, context, settings, "fr")


def _employer_journey(
    bank_url: str, live_server: Any, context: Any, settings: Any, language: str
) -> None:
    from django.core import mail

    from guichet.accounts.models import SecurityQuestion
    from guichet.dossiers.models import Dossier, DossierStatus
    from guichet.employers.tests.factories import (
        ANSWERS,
        company,
        fee_schedule,
        gckey_holder,
        offer_data,
    )

    settings.TESTBANK_URL = bank_url
    settings.TESTBANK_API_KEY, settings.TESTBANK_SECRET = API_KEY, SECRET
    settings.SITE_URL = live_server.url
    settings.PAYMENT_PROVIDER = "banque_essai"
    fee_schedule()

    def t(text: str) -> str:
        return _t(text, language)

    def click(name: str) -> None:
        page.locator("main").get_by_role("button", name=name, exact=True).or_(
            page.locator("main").get_by_role("link", name=name, exact=True)
        ).first.click()

    employer = gckey_holder(preferred_language=language)
    company(employer)
    page = _sign_in(context, live_server, employer)
    page.goto(f"{live_server.url}/{language}/")
    page.get_by_role("link", name=t("Accueil du compte")).first.click()
    click(t("Accéder à la liste d'offres d'emploi"))
    assert page.get_by_text(t("Aucune donnée disponible dans le tableau")).is_visible()
    click(t("Soumettre une offre d'emploi"))
    page.get_by_role("heading", name=t("Offre d'emploi dispensé d'une EIMT")).wait_for()
    data = offer_data()
    for key, title in (
        ("entreprise", "Renseignements sur l'entreprise"),
        ("travailleur", "Renseignements sur le travailleur étranger"),
        ("emploi", "Détails sur l'emploi"),
        ("salaire", "Salaire et avantages sociaux"),
    ):
        page.locator("main table").get_by_role("row", name=t(title)).get_by_role("link").click()
        page.get_by_role("heading", name=t(title), exact=True).wait_for()
        if key == "salaire":  # one error, shown next to the field, then corrected
            _fill_form(page, {**data[key], "hours_per_week": "57"})
            click(t("Valider"))
            message = t("Les heures par semaine ne peuvent dépasser sept fois les heures par jour.")
            assert page.locator(".field__error", has_text=message).is_visible()
            assert page.locator("[name=hours_per_week]").input_value() == "57"
            page.locator("[name=hours_per_week]").fill("40")
        else:
            _fill_form(page, data[key])
        click(t("Enregistrer et quitter"))
    assert page.locator("main table").get_by_text(t("Terminé")).count() == 4
    click(t("Continuer"))
    page.get_by_role("heading", name=t("Votre liste de contrôle personnelle")).wait_for()
    fee = "Frais permis travail sans EIMT" if language == "fr" else "Work permit fee without LMIA"
    assert page.get_by_text(fee).first.is_visible()
    click(t("Suivant"))
    page.get_by_label(t("J'accepte")).check()
    asked = page.locator("label[for=id_security_answer]").inner_text()
    with translation.override(language):
        question = next(q for q in SecurityQuestion if str(q.label) in asked)
    page.locator("[name=security_answer]").fill(ANSWERS[str(question.value)])
    click(t("Signer"))
    click(t("Transmettre et payer"))
    page.get_by_role("heading", name=t("Sommaire des frais")).wait_for()
    page.get_by_label(TEXT[language]["online"]).check()
    page.get_by_role("button", name=TEXT[language]["pay"]).click()
    page.wait_for_url(bank_url.split("/banque-essai")[0] + "/**")
    _card(page, language, "4242 4242 4242 4242")
    assert page.get_by_role("heading", name=TEXT[language]["received"]).is_visible()
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.SUBMITTED
    assert any(dossier.number in m.subject and dossier.number in m.body for m in mail.outbox)
    page.get_by_role("link", name=t("Retour à votre demande")).click()
    row = page.locator("main table tbody tr", has_text=dossier.number)
    assert t("Soumis") in row.inner_text() and "Camille Durand" in row.inner_text()
    row.get_by_role("link", name=t("Visionner l'offre")).click()
    assert page.get_by_text("Stagiaire en boulangerie").first.is_visible()
    page.get_by_role("link", name=t("Informations à transmettre au travailleur")).click()
    assert page.get_by_text("63202").first.is_visible()
    with translation.override(language):
        page.goto(live_server.url + reverse("employers:offers"))
    page.locator("main table tbody tr", has_text=dossier.number).get_by_role(
        "link", name=t("Retirer la demande")
    ).click()
    page.locator("main").get_by_role("button", name=t("Retirer la demande")).click()
    row = page.locator("main table tbody tr", has_text=dossier.number)
    assert t("Retirée") in row.inner_text()
    payment = Payment.objects.get(purpose="offre-emploi")
    assert payment.refunded_cents == payment.amount_cents
