"""Security finding 30.3: the test bank's demo secret is public (it is in the settings module).
With DEBUG off it stops the site from starting; a notification or a status without the amount
and the currency is malformed; the currency is compared as well as the amount."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.payments import services
from guichet.payments.checks import payment_settings, refuse_to_start
from guichet.payments.models import Payment, PaymentStatus
from guichet.payments.providers import InvalidNotification, Outcome, ProviderUnavailable, Status
from guichet.payments.providers.testbank import TestBank, signature_header
from guichet.payments.purposes import Purpose
from guichet.testbank.models import BankPayment

from .support import SUCCESS, URLS, Ledger, pay_at_bank

ROOT = Path(__file__).resolve().parents[3]
REAL = "r" * 40


def _ids(settings: Any) -> list[str | None]:
    return [m.id for m in payment_settings()]


def test_the_demo_key_or_secret_is_an_error_only_when_debug_is_off(settings: Any) -> None:
    settings.DEBUG = True
    assert _ids(settings) == []
    settings.DEBUG = False
    settings.TESTBANK_ENABLED = True
    settings.PAYMENT_PROVIDER = "banque_essai"
    settings.TESTBANK_SECRET = settings.TESTBANK_DEMO_SECRET
    settings.TESTBANK_API_KEY = REAL
    assert _ids(settings) == ["payments.E001"]
    with pytest.raises(ImproperlyConfigured, match="TESTBANK_SECRET"):
        refuse_to_start()
    settings.TESTBANK_SECRET, settings.TESTBANK_API_KEY = REAL, settings.TESTBANK_DEMO_API_KEY
    assert _ids(settings) == ["payments.E001"]
    settings.TESTBANK_API_KEY = "short"
    assert _ids(settings) == ["payments.E001"]
    settings.TESTBANK_API_KEY = REAL
    assert _ids(settings) == []
    refuse_to_start()
    # The bank off and another provider: its defaults do not matter.
    settings.TESTBANK_ENABLED, settings.PAYMENT_PROVIDER = False, "autre"
    settings.TESTBANK_SECRET = settings.TESTBANK_DEMO_SECRET
    assert _ids(settings) == []
    settings.PAYMENT_PROVIDER = ""
    assert _ids(settings) == ["payments.W001"]


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "guichet.example",
        "DATABASE_URL": f"sqlite:///{ROOT}/var/check-deploy.sqlite3",
        "TESTBANK_ENABLED": "true",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_fails_with_the_demo_secret_and_passes_with_real_ones() -> None:
    demo = _check_deploy()
    assert demo.returncode != 0
    assert "payments.E001" in demo.stderr
    real = _check_deploy(TESTBANK_SECRET=REAL, TESTBANK_API_KEY=REAL + "k")
    assert real.returncode == 0, real.stderr
    assert "payments.E001" not in real.stderr + real.stdout


def test_no_provider_is_assumed_outside_debug() -> None:
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "false", "SECRET_KEY": "k" * 60}
    code = "from django.conf import settings; print(repr(settings.PAYMENT_PROVIDER))"
    found = subprocess.run(
        [sys.executable, "-c", f"import django, os; django.setup(); {code}"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings", "TESTBANK_ENABLED": "false"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "''"


def _paid_at_bank(purpose: Purpose, bank: TestBank) -> tuple[Payment, BankPayment]:
    payer = UserFactory.create(role=Role.EMPLOYER)
    payment = services.start_card_payment(
        purpose=purpose, object_id=str(payer.pk), actor=payer, urls=URLS, provider=bank
    )
    pay_at_bank(payment, SUCCESS)
    return payment, BankPayment.objects.get(pk=str(payment.provider_reference))


def _signed(bank: TestBank, answer: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    notification_id = "n-" + str(time.time_ns())
    body = json.dumps({"notification_id": notification_id, **answer}).encode()
    header = signature_header(bank.secret, notification_id, int(time.time()), body)
    return {"Banque-Essai-Signature": header}, body


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["amount_cents", "currency"])
def test_a_notification_without_amount_or_currency_is_invalid_and_changes_nothing(
    purpose: Purpose, bank: TestBank, ledger: Ledger, missing: str
) -> None:
    payment, row = _paid_at_bank(purpose, bank)
    answer = row.as_json()
    del answer[missing]
    headers, body = _signed(bank, answer)
    with pytest.raises(InvalidNotification):
        services.handle_notification(provider=bank, headers=headers, body=body)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.STARTED
    assert ledger.paid == []


@pytest.mark.django_db
def test_a_notification_in_another_currency_is_an_error_not_a_payment(
    purpose: Purpose, bank: TestBank, ledger: Ledger
) -> None:
    payment, row = _paid_at_bank(purpose, bank)
    headers, body = _signed(bank, row.as_json() | {"currency": "USD"})
    services.handle_notification(provider=bank, headers=headers, body=body)
    done = Payment.objects.get(pk=payment.pk)
    assert done.status == PaymentStatus.ERROR and done.receipt_number is None
    assert ledger.paid == []


@pytest.mark.django_db
def test_a_status_answer_without_amount_is_the_bank_not_answering(bank: TestBank) -> None:
    with pytest.raises(ProviderUnavailable):
        bank._answered({"id": "x", "status": "succeeded", "currency": "CAD"})
    with pytest.raises(ProviderUnavailable):
        bank._answered({"id": "x", "status": "succeeded", "amount_cents": "100", "currency": "CAD"})
    assert bank._answered(
        {"id": "x", "status": "succeeded", "amount_cents": 100, "currency": "CAD"}
    ) == Status(provider_reference="x", outcome=Outcome.SUCCEEDED, amount_cents=100, currency="CAD")


@pytest.mark.django_db
def test_only_the_configured_provider_is_heard(
    purpose: Purpose, bank: TestBank, client: Any, settings: Any
) -> None:
    payment, row = _paid_at_bank(purpose, bank)
    headers, body = _signed(bank, row.as_json())
    url = "/paiements/avis/banque_essai/"

    def post() -> int:
        signature = headers["Banque-Essai-Signature"]
        sent = client.post(
            url, body, content_type="application/json", HTTP_BANQUE_ESSAI_SIGNATURE=signature
        )
        return int(sent.status_code)

    settings.PAYMENT_PROVIDER = "autre"
    assert post() == 404
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.STARTED
    settings.PAYMENT_PROVIDER = "banque_essai"
    assert post() == 200
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCESS
