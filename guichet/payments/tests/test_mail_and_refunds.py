"""Mail-in payments (seed 002 FAQ 20-21) and refunds: a short or late envelope is returned and
the payer told why; a full one pays; refunds add up and never exceed what was paid."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.core.refusals import Refused
from guichet.messaging.models import Message
from guichet.payments import services
from guichet.payments.models import (
    EnvelopeStatus,
    FailureReason,
    MailMethod,
    Payment,
    PaymentStatus,
    RefundStatus,
    ReturnReason,
)
from guichet.payments.providers.testbank import TestBank
from guichet.payments.purposes import Purpose
from guichet.testbank.models import BankRefund

from .support import SUCCESS, URLS, Ledger, pay_at_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> Any:
    return UserFactory.create(role=Role.MINISTRY_STAFF, handles_payments=True)


def _by_mail(purpose: Purpose) -> Payment:
    payer = UserFactory.create(role=Role.CLIENT)
    return services.start_mail_payment(purpose=purpose, object_id=str(payer.pk), actor=payer)


def test_a_mail_payment_waits_thirty_days_for_one_envelope(purpose: Purpose) -> None:
    payment = _by_mail(purpose)
    assert payment.status == PaymentStatus.STARTED and payment.method == "mail"
    assert (payment.expires_at - timezone.now()).days in (29, 30)
    assert (
        services.start_mail_payment(
            purpose=purpose, object_id=payment.object_id, actor=payment.payer
        ).pk
        == payment.pk
    )


def test_a_short_envelope_is_returned_and_the_payer_told_why(
    purpose: Purpose, officer: Any, ledger: Ledger
) -> None:
    payment = _by_mail(purpose)
    envelope = services.record_envelope(
        payment=payment,
        method=MailMethod.MONEY_ORDER,
        amount_cents=22999,
        received_on=timezone.localdate(),
        actor=officer,
    )
    assert (envelope.status, envelope.return_reason) == (
        EnvelopeStatus.RETURNED,
        ReturnReason.SHORT,
    )
    payment.refresh_from_db()
    assert (payment.status, payment.failure_reason) == (
        PaymentStatus.FAILED,
        FailureReason.RETURNED,
    )
    told = Message.objects.get(thread__owner=payment.payer)
    assert "inférieur aux frais à payer (230,00" in told.body_texts["fr"]
    assert "sent in a single envelope" in told.body_texts["en"]
    assert ledger.paid == []


def test_a_late_envelope_is_returned(purpose: Purpose, officer: Any) -> None:
    payment = _by_mail(purpose)
    late = timezone.localtime(payment.expires_at).date() + timedelta(days=1)
    envelope = services.record_envelope(
        payment=payment,
        method=MailMethod.BANK_DRAFT,
        amount_cents=23000,
        received_on=late,
        actor=officer,
    )
    assert envelope.return_reason == ReturnReason.LATE


def test_a_full_envelope_in_time_pays_then_is_deposited(
    purpose: Purpose, officer: Any, ledger: Ledger, django_capture_on_commit_callbacks: Any
) -> None:
    payment = _by_mail(purpose)
    with django_capture_on_commit_callbacks(execute=True):
        envelope = services.record_envelope(
            payment=payment,
            method=MailMethod.CERTIFIED_CHEQUE,
            amount_cents=23000,
            received_on=timezone.localdate(),
            actor=officer,
        )
    payment.refresh_from_db()
    assert envelope.status == EnvelopeStatus.RECEIVED
    assert payment.status == PaymentStatus.SUCCESS and payment.receipt_number
    assert ledger.paid == [payment.pk]
    assert payment.payer.documents.count() == 1  # the receipt
    deposited = services.deposit_envelope(envelope=envelope, actor=officer)
    assert deposited.status == EnvelopeStatus.DEPOSITED
    with pytest.raises(Refused):
        services.deposit_envelope(envelope=envelope, actor=officer)
    # A second envelope for what is paid goes back.
    again = services.record_envelope(
        payment=payment,
        method=MailMethod.MONEY_ORDER,
        amount_cents=23000,
        received_on=timezone.localdate(),
        actor=officer,
    )
    assert again.return_reason == ReturnReason.ALREADY_PAID
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCESS


def test_card_refunds_add_up_and_never_exceed_the_amount(
    purpose: Purpose, bank: TestBank, officer: Any
) -> None:
    payer = UserFactory.create(role=Role.EMPLOYER)
    payment = services.start_card_payment(
        purpose=purpose, object_id=str(payer.pk), actor=payer, urls=URLS, provider=bank
    )
    pay_at_bank(payment, SUCCESS)
    paid = services.handle_return(payment, provider=bank)
    first = services.refund(
        payment=paid, amount_cents=10000, reason="Retrait", actor=officer, provider=bank
    )
    second = services.refund(
        payment=paid, amount_cents=13000, reason="Retrait", actor=officer, provider=bank
    )
    assert {first.status, second.status} == {RefundStatus.DONE}
    assert (
        BankRefund.objects.filter(payment_id=uuid.UUID(str(paid.provider_reference))).count() == 2
    )
    with pytest.raises(Refused) as refusal:
        services.refund(payment=paid, amount_cents=1, reason="Trop", actor=officer, provider=bank)
    assert refusal.value.code == "too_much"
    paid.refresh_from_db()
    assert paid.refunded_cents == 23000 and paid.status == PaymentStatus.SUCCESS
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=paid.pk).update(refunded_cents=23001)


def test_a_mail_payment_is_refunded_by_cheque(purpose: Purpose, officer: Any) -> None:
    payment = _by_mail(purpose)
    services.record_envelope(
        payment=payment,
        method=MailMethod.COMPANY_CHEQUE,
        amount_cents=23000,
        received_on=timezone.localdate(),
        actor=officer,
    )
    refund = services.refund(
        payment=Payment.objects.get(pk=payment.pk),
        amount_cents=23000,
        reason="Refus",
        actor=officer,
    )
    assert refund.status == RefundStatus.CHEQUE_TO_SEND


def test_only_a_successful_payment_is_refunded(purpose: Purpose, officer: Any) -> None:
    with pytest.raises(Refused) as refusal:
        services.refund(payment=_by_mail(purpose), amount_cents=100, reason="x", actor=officer)
    assert refusal.value.code == "not_paid"
