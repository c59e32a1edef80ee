"""Test support: a made-up purpose (as the dossier engine's tests use a made-up kind), a fee
schedule, and « Banque d'essai » reached through the Django test client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from guichet.accounts.models import User
from guichet.payments import purposes
from guichet.payments.models import Fee, FeeRate, Payment
from guichet.payments.providers.testbank import TestBank, Transport
from guichet.payments.purposes import Owed, Purpose
from guichet.payments.services import Urls

BANK_URL = "http://testserver/banque-essai"
URLS = Urls(
    return_url="http://testserver/fr/paiements/retour/{token}/",
    notify_url="http://testserver/paiements/avis/banque_essai/",
)
SUCCESS, DECLINED, NO_ANSWER, DELAYED = (
    "4242 4242 4242 4242",
    "4000 0000 0000 0002",
    "4000 0000 0000 0119",
    "4000 0000 0000 3220",
)


@dataclass
class Ledger:
    """What the made-up purpose was told: the payments it saw succeed."""

    paid: list[int] = field(default_factory=list)


def client_transport(client: Client) -> Transport:
    def send(
        method: str, url: str, body: dict[str, Any] | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        path = urlsplit(url).path
        auth = {"Authorization": headers["Authorization"]}
        if method == "POST":
            response = client.post(
                path, json.dumps(body or {}), content_type="application/json", headers=auth
            )
        else:
            response = client.get(path, headers=auth)
        return response.status_code, response.json()

    return send


@pytest.fixture
def bank(settings: Any) -> TestBank:
    settings.TESTBANK_ENABLED = True
    settings.TESTBANK_URL = BANK_URL
    return TestBank.from_settings(transport=client_transport(Client()))


@pytest.fixture
def ledger(monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    """The purpose « essai »: a thing identified by its payer's id, owing one « frais-essai »."""
    seen = Ledger()

    def may_pay(user: User, object_id: str) -> bool:
        return str(user.pk) == str(object_id)

    def on_paid(payment: Payment) -> None:
        seen.paid.append(payment.pk)

    purpose = Purpose(
        code="essai",
        label="Demande d'essai",
        owed=lambda object_id: [Owed("frais-essai")],
        may_pay=may_pay,
        on_paid=on_paid,
    )
    monkeypatch.setitem(purposes._PURPOSES, purpose.code, purpose)
    yield seen


@pytest.fixture
def purpose(ledger: Ledger) -> Purpose:
    """The made-up purpose « essai », owing 230,00 $."""
    fee_schedule((date(2020, 1, 1), None, 23000))
    found = purposes.get_purpose("essai")
    assert found is not None
    return found


def fee_schedule(*periods: tuple[date, date | None, int]) -> Fee:
    fee = Fee.objects.create(code="frais-essai", label_fr="Frais d'essai", label_en="Test fee")
    for start, end, cents in periods:
        FeeRate.objects.create(fee=fee, valid_from=start, valid_until=end, amount_cents=cents)
    return fee


def pay_at_bank(payment: Payment, card: str, *, action: str = "pay") -> Any:
    """The payer on the bank's hosted page (a browser of their own)."""
    browser = Client()
    path = urlsplit(payment.redirect_url).path
    return browser.post(
        path,
        {
            "number": card,
            "expiry": "12/39",
            "cvc": "123",
            "name": "Maria Valdero",
            "action": action,
        },
    )
