"""Issue 31.1: a card-paid job offer could not be withdrawn with `make run` — the refund called
the bank over HTTP inside the withdrawal's transaction, and on SQLite the bank (same server)
could not write. The withdrawal (or a refusal) is recorded first; the provider is called after
the commit with nothing held; a provider that does not answer leaves the refund « en attente »,
sent again by the payments job with the same key, never twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, transaction

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.payments import services
from guichet.payments.models import Payment, RefundStatus
from guichet.payments.providers import ProviderUnavailable
from guichet.payments.providers.testbank import TestBank
from guichet.payments.purposes import Purpose
from guichet.testbank.models import BankRefund

from .support import SUCCESS, URLS, pay_at_bank


@dataclass
class Watching:
    """The test bank, noting whether a transaction was open at each refund, and failing the
    first `down` refunds as a bank that does not answer."""

    bank: TestBank
    down: int = 0
    in_transaction: list[bool] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bank, name)

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> str:
        self.in_transaction.append(connection.in_atomic_block)
        if self.down:
            self.down -= 1
            raise ProviderUnavailable("no answer")
        return self.bank.refund(
            reference, amount_cents=amount_cents, idempotency_key=idempotency_key
        )


def _paid(purpose: Purpose, bank: TestBank) -> Payment:
    payer = UserFactory.create(role=Role.EMPLOYER)
    payment = services.start_card_payment(
        purpose=purpose, object_id=str(payer.pk), actor=payer, urls=URLS, provider=bank
    )
    pay_at_bank(payment, SUCCESS)
    return services.handle_return(payment, provider=bank)


@pytest.mark.django_db(transaction=True)
def test_the_refund_waits_for_the_commit_and_calls_the_provider_with_nothing_held(
    purpose: Purpose, bank: TestBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    watching = Watching(bank)
    monkeypatch.setattr(services, "get_provider", lambda code=None: watching)
    paid = _paid(purpose, bank)
    with transaction.atomic():  # as a withdrawal does
        services.refund_rest_when_committed(
            purpose="essai", object_id=paid.object_id, reason="Retrait", actor=paid.payer
        )
        assert watching.in_transaction == []  # not while the withdrawal's transaction is open
    assert watching.in_transaction == [False]
    paid.refresh_from_db()
    assert paid.refunded_cents == 23000
    assert paid.refunds.get().status == RefundStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_a_provider_that_does_not_answer_leaves_the_refund_waiting_then_it_is_sent_once(
    purpose: Purpose, bank: TestBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    watching = Watching(bank, down=2)
    monkeypatch.setattr(services, "get_provider", lambda code=None: watching)
    paid = _paid(purpose, bank)
    services.refund_rest_when_committed(
        purpose="essai", object_id=paid.object_id, reason="Retrait", actor=paid.payer
    )
    paid.refresh_from_db()
    record = paid.refunds.get()
    # Kept: the amount stays reserved (nobody refunds it twice), the key stays the same.
    assert record.status == RefundStatus.PENDING and paid.refunded_cents == 23000
    assert services.retry_refunds() == 0  # still no answer
    assert services.retry_refunds() == 1
    assert services.retry_refunds() == 0  # nothing left
    record.refresh_from_db()
    assert record.status == RefundStatus.DONE and record.provider_reference
    assert BankRefund.objects.count() == 1
    assert paid.events.filter(action="refund_pending").exists()
    assert paid.events.filter(action="refund_sent").exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_key_asked_twice_refunds_once_at_the_bank(
    purpose: Purpose, bank: TestBank
) -> None:
    paid = _paid(purpose, bank)
    record = services.refund(
        payment=paid, amount_cents=23000, reason="Retrait", actor=paid.payer, provider=bank
    )
    again = bank.refund(
        str(paid.provider_reference), amount_cents=23000, idempotency_key=record.idempotency_key
    )
    assert again == record.provider_reference and BankRefund.objects.count() == 1
