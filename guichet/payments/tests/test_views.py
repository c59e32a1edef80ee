"""The payer's pages: « Sommaire des frais » and « Transmettre et payer », the mail-in slip, the
page back from the provider; someone else's thing or slip answers 404."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.payments import services
from guichet.payments.models import Payment, PaymentStatus
from guichet.payments.providers.testbank import TestBank

from .support import SUCCESS, Ledger, fee_schedule, pay_at_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer(ledger: Ledger, bank: TestBank, monkeypatch: pytest.MonkeyPatch) -> Any:
    fee_schedule((date(2020, 1, 1), None, 23000))
    monkeypatch.setattr(services, "get_provider", lambda code=None: bank)
    return UserFactory.create(role=Role.EMPLOYER, preferred_language="fr")


def _url(user: Any) -> str:
    return reverse("payments:pay", kwargs={"purpose": "essai", "object_id": str(user.pk)})


def test_the_fee_summary_then_transmit_and_pay_by_card(client: Client, payer: Any) -> None:
    client.force_login(payer)
    page = client.get(_url(payer)).content.decode()
    for text in (
        "Sommaire des frais",
        "Frais d&#x27;essai",
        "230,00",
        "Prix total (CAD)",
        "Ceci n'est pas un reçu",
        "vous aurez deux heures",
        "Annuler la transaction",
        "En ligne",
        "Par la poste",
        "Transmettre et payer",
    ):
        assert text in page, text
    response = client.post(_url(payer), {"method": "card"})
    payment = Payment.objects.get(payer=payer)
    assert response.status_code == 302 and response["Location"] == payment.redirect_url
    assert "Continuer le paiement" in client.get(_url(payer)).content.decode()
    pay_at_bank(payment, SUCCESS)
    back = client.get(reverse("payments:return", kwargs={"token": payment.return_token}))
    assert "Paiement reçu" in back.content.decode()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCESS
    assert "sont payés" in client.get(_url(payer)).content.decode()


def test_the_page_back_works_after_the_session_closed(client: Client, payer: Any) -> None:
    client.force_login(payer)
    client.post(_url(payer), {"method": "card"})
    payment = Payment.objects.get(payer=payer)
    pay_at_bank(payment, SUCCESS)
    anonymous = Client()
    back = anonymous.get(reverse("payments:return", kwargs={"token": payment.return_token}))
    assert back.status_code == 200 and "Paiement reçu" in back.content.decode()
    assert payer.username not in back.content.decode()


def test_by_mail_gives_a_slip_to_print(client: Client, payer: Any) -> None:
    client.force_login(payer)
    response = client.post(_url(payer), {"method": "mail"}, follow=True)
    payment = Payment.objects.get(payer=payer)
    page = response.content.decode()
    for text in (
        payment.reference,
        "230,00",
        "Service des paiements",
        "Mandat postal de Postes Canada",
        timezone.localtime(payment.expires_at).strftime("%Y-%m-%d"),
        "en un seul envoi",
    ):
        assert text in page, text
    stranger = UserFactory.create(role=Role.EMPLOYER)
    client.force_login(stranger)
    assert (
        client.get(reverse("payments:slip", kwargs={"reference": payment.reference})).status_code
        == 404
    )


def test_a_method_must_be_chosen_and_someone_elses_thing_is_not_found(
    client: Client, payer: Any
) -> None:
    client.force_login(payer)
    response = client.post(_url(payer), {})
    assert response.status_code == 422 and "Ce champ est obligatoire" in response.content.decode()
    other = UserFactory.create(role=Role.EMPLOYER)
    assert client.get(_url(other)).status_code == 404
    assert (
        client.get(
            reverse("payments:pay", kwargs={"purpose": "inconnu", "object_id": "1"})
        ).status_code
        == 404
    )


def test_the_pages_in_english(client: Client, payer: Any) -> None:
    client.force_login(payer)
    with translation.override("en"):
        url = _url(payer)
    assert url.startswith("/en/payments/pay/")
    page = client.get(url).content.decode()
    assert "Fee summary" in page and "$230.00" in page and "Submit and pay" in page


def test_the_pay_page_lets_its_form_lead_to_the_provider_only(
    client: Client, payer: Any, bank: Any
) -> None:
    client.force_login(payer)
    policy = client.get(_url(payer))["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if "form-action" in p)
    assert "'self'" in form_action and bank.page_origin in form_action
    other = client.get(reverse("core:home"))["Content-Security-Policy"]
    assert bank.page_origin not in other
