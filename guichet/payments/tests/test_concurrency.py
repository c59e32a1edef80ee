"""Paying twice is impossible (PostgreSQL, real parallel connections): the payer's return and
the notification arriving together, a notification replayed at the same moment, two tabs
pressing « Transmettre et payer » at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from django.db import connection

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.payments import services
from guichet.payments.models import Payment, PaymentStatus
from guichet.payments.providers.testbank import TestBank
from guichet.payments.purposes import get_purpose
from guichet.testbank.models import BankPayment
from guichet.testbank.services import notification

from .support import SUCCESS, URLS, Ledger, fee_schedule, pay_at_bank

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
RACERS = 8


def _race(work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(RACERS)

    def run(n: int) -> Any:
        try:
            barrier.wait(timeout=30)
            return work(n)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(run, range(RACERS)))


def test_returns_and_notifications_together_make_one_success_one_receipt(
    bank: TestBank, ledger: Ledger
) -> None:
    fee_schedule((date(2020, 1, 1), None, 23000))
    purpose = get_purpose("essai")
    assert purpose is not None
    payer = UserFactory.create(role=Role.EMPLOYER)
    payment = services.start_card_payment(
        purpose=purpose, object_id=str(payer.pk), actor=payer, urls=URLS, provider=bank
    )
    pay_at_bank(payment, SUCCESS)
    row = BankPayment.objects.get(pk=str(payment.provider_reference))
    messages = [notification(row) for _ in range(RACERS // 2)]

    def deliver(n: int) -> str:
        if n % 2:  # the payer's return (the bank is asked)
            return services.handle_return(Payment.objects.get(pk=payment.pk), provider=bank).status
        # Racers 0 and 2 deliver the same notification: a replay arriving at the same moment.
        body, headers = messages[0] if n in (0, 2) else messages[n // 2]
        handled = services.handle_notification(provider=bank, headers=headers, body=body)
        assert handled is not None
        return handled.status

    outcomes = _race(deliver)
    assert set(outcomes) == {PaymentStatus.SUCCESS}
    assert Payment.objects.filter(status=PaymentStatus.SUCCESS).count() == 1
    assert len(set(Payment.objects.values_list("receipt_number", flat=True))) == 1
    assert ledger.paid == [payment.pk]  # the request is submitted once


def test_two_tabs_at_once_start_one_attempt(bank: TestBank, ledger: Ledger) -> None:
    fee_schedule((date(2020, 1, 1), None, 23000))
    purpose = get_purpose("essai")
    assert purpose is not None
    payer = UserFactory.create(role=Role.EMPLOYER)

    def start(n: int) -> int:
        return services.start_card_payment(
            purpose=purpose, object_id=str(payer.pk), actor=payer, urls=URLS, provider=bank
        ).pk

    started = _race(start)
    assert len(set(started)) == 1 and Payment.objects.count() == 1
    assert BankPayment.objects.count() == 1
