"""A card payment through « Banque d'essai »'s hosted page: success, declined, cancelled, no
answer, a delayed notification; what the payer's return and the signed notification do, and
that nothing is ever paid twice."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.core.refusals import Refused
from guichet.payments import services
from guichet.payments.models import FailureReason, Payment, PaymentEvent, PaymentStatus
from guichet.payments.providers import InvalidNotification, Outcome
from guichet.payments.providers.testbank import TestBank, signature_header
from guichet.payments.purposes import Purpose
from guichet.testbank.models import BankPayment, BankStatus
from guichet.testbank.services import notification

from .support import DECLINED, NO_ANSWER, SUCCESS, URLS, Ledger, pay_at_bank

pytestmark = pytest.mark.django_db


def _start(purpose: Purpose, bank: TestBank, payer: Any = None) -> Payment:
    payer = payer or UserFactory.create(role=Role.EMPLOYER)
    return services.start_card_payment(
        purpose=purpose, object_id=str(payer.pk), actor=payer, urls=URLS, provider=bank
    )


def _bank_row(payment: Payment) -> BankPayment:
    return BankPayment.objects.get(pk=str(payment.provider_reference))


def test_success_card_gives_one_receipt_and_tells_the_purpose_once(
    purpose: Purpose, bank: TestBank, ledger: Ledger
) -> None:
    payment = _start(purpose, bank)
    assert payment.status == PaymentStatus.STARTED
    assert payment.amount_cents == 23000 and [line.total_cents for line in payment.lines.all()] == [
        23000
    ]
    assert payment.redirect_url.startswith("http://testserver/fr/banque-essai/payer/")
    response = pay_at_bank(payment, SUCCESS)
    assert response.status_code == 302
    assert response["Location"].startswith(
        f"http://testserver/fr/paiements/retour/{payment.return_token}/"
    )
    assert _bank_row(payment).last4 == "4242"
    done = services.handle_return(payment, provider=bank)
    assert done.status == PaymentStatus.SUCCESS
    assert done.receipt_number is not None and done.receipt_number.startswith("R")
    assert done.card_last4 == "4242"
    assert ledger.paid == [payment.pk]
    # The same again (the notification after the return, a second return): nothing changes.
    again = services.handle_return(done, provider=bank)
    body, headers = notification(_bank_row(payment))
    services.handle_notification(provider=bank, headers=headers, body=body)
    assert again.receipt_number == done.receipt_number
    assert ledger.paid == [payment.pk]
    with pytest.raises(Refused) as refusal:
        _start(purpose, bank, payer=payment.payer)
    assert refusal.value.code == "already_paid"


def test_a_declined_card_says_so_and_the_payer_may_try_again(
    purpose: Purpose, bank: TestBank, ledger: Ledger
) -> None:
    payment = _start(purpose, bank)
    pay_at_bank(payment, DECLINED)
    failed = services.handle_return(payment, provider=bank)
    assert (failed.status, failed.failure_reason) == (PaymentStatus.FAILED, FailureReason.DECLINED)
    assert failed.receipt_number is None and ledger.paid == []
    retry = _start(purpose, bank, payer=payment.payer)
    assert retry.pk != payment.pk and retry.status == PaymentStatus.STARTED


def test_the_page_the_payer_comes_back_to_says_where_the_payment_stands(
    purpose: Purpose, bank: TestBank, client: Client
) -> None:
    payment = _start(purpose, bank)
    pay_at_bank(payment, DECLINED)
    # The return asks the bank itself (the browser's word is not taken). Here the provider of
    # the settings speaks HTTP to a server that does not run: without the bank's answer the
    # page says the payment is being processed and nothing is recorded.
    page = client.get(reverse("payments:return", kwargs={"token": payment.return_token}))
    assert page.status_code == 200
    assert "Paiement en cours de traitement" in page.content.decode()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.STARTED
    assert client.get(reverse("payments:return", kwargs={"token": "x" * 43})).status_code == 404


def test_cancel_the_transaction_shows_processing_for_one_hour_then_it_can_be_paid(
    purpose: Purpose, bank: TestBank
) -> None:
    payment = _start(purpose, bank)
    pay_at_bank(payment, "", action="cancel")
    cancelled = services.handle_return(payment, provider=bank)
    assert cancelled.failure_reason == FailureReason.CANCELLED_BY_PAYER
    where = services.standing(purpose, payment.object_id)
    assert not where.can_pay and where.processing_until is not None
    with pytest.raises(Refused) as refusal:
        _start(purpose, bank, payer=payment.payer)
    assert refusal.value.code == "processing"
    later = services.standing(
        purpose, payment.object_id, now=timezone.now() + timedelta(hours=1, seconds=1)
    )
    assert later.can_pay


def test_two_tabs_get_the_same_attempt(purpose: Purpose, bank: TestBank) -> None:
    payer = UserFactory.create(role=Role.EMPLOYER)
    first, second = _start(purpose, bank, payer), _start(purpose, bank, payer)
    assert first.pk == second.pk and first.redirect_url == second.redirect_url
    assert BankPayment.objects.count() == 1


def test_only_its_payer_may_pay(purpose: Purpose, bank: TestBank) -> None:
    owner, stranger = UserFactory.create(), UserFactory.create()
    with pytest.raises(Refused) as refusal:
        services.start_card_payment(
            purpose=purpose, object_id=str(owner.pk), actor=stranger, urls=URLS, provider=bank
        )
    assert refusal.value.code == "not_payer"


def test_no_answer_is_timed_out_only_after_asking_the_bank(
    purpose: Purpose, bank: TestBank, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    payment = _start(purpose, bank)
    assert pay_at_bank(payment, NO_ANSWER).status_code == 302  # back to « Traitement en cours »
    assert _bank_row(payment).status == BankStatus.PROCESSING
    assert services.handle_return(payment, provider=bank).status == PaymentStatus.SUBMITTED
    assert services.settle_stuck(provider=bank) == 0  # still within the two hours
    after = timezone.now() + timedelta(hours=2, minutes=1)

    def unreachable(reference: str) -> Any:
        raise services.ProviderUnavailable("down")

    monkeypatch.setattr(bank, "status", unreachable)
    assert services.settle_stuck(now=after, provider=bank) == 0
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUBMITTED
    monkeypatch.undo()
    assert services.settle_stuck(now=after, provider=bank) == 1
    timed_out = Payment.objects.get(pk=payment.pk)
    assert (timed_out.status, timed_out.failure_reason) == (
        PaymentStatus.FAILED,
        FailureReason.TIMED_OUT,
    )
    assert _bank_row(payment).status == BankStatus.EXPIRED  # cancelled at the bank too
    assert services.settle_stuck(now=after, provider=bank) == 0  # idempotent
    assert ledger.paid == []


def test_a_payment_made_in_the_window_submits_even_if_the_payer_never_comes_back(
    purpose: Purpose, bank: TestBank, ledger: Ledger
) -> None:
    payment = _start(purpose, bank)
    pay_at_bank(payment, SUCCESS)  # no return, no notification delivered
    assert services.settle_stuck(now=timezone.now() + timedelta(hours=3), provider=bank) == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCESS
    assert ledger.paid == [payment.pk]


def test_signed_notifications_only_once_and_fresh(
    purpose: Purpose, bank: TestBank, ledger: Ledger, client: Client, settings: Any
) -> None:
    payment = _start(purpose, bank)
    pay_at_bank(payment, SUCCESS)
    body, headers = notification(_bank_row(payment))
    url = reverse("payments_notify:notification", kwargs={"provider": "banque_essai"})

    def post(body: bytes, header: str) -> int:
        return client.post(
            url, body, content_type="application/json", HTTP_BANQUE_ESSAI_SIGNATURE=header
        ).status_code

    notification_id = json.loads(body)["notification_id"]
    stale = signature_header(
        settings.TESTBANK_SECRET, notification_id, int(time.time()) - 301, body
    )
    wrong = signature_header("not-the-secret", notification_id, int(time.time()), body)
    tampered = body.replace(b"succeeded", b"declined")
    assert post(body, stale) == 400
    assert post(body, wrong) == 400
    assert post(tampered, headers["Banque-Essai-Signature"]) == 400
    assert post(body, "") == 400
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.STARTED  # nothing changed
    assert post(body, headers["Banque-Essai-Signature"]) == 200
    paid = Payment.objects.get(pk=payment.pk)
    assert paid.status == PaymentStatus.SUCCESS
    events = PaymentEvent.objects.filter(payment=paid).count()
    assert post(body, headers["Banque-Essai-Signature"]) == 200  # a replay: accepted, ignored
    assert PaymentEvent.objects.filter(payment=paid).count() == events
    assert ledger.paid == [payment.pk]
    with pytest.raises(InvalidNotification):
        services.handle_notification(
            provider=bank, headers={"Banque-Essai-Signature": stale}, body=body
        )


def test_the_database_keeps_a_success_a_success(purpose: Purpose, bank: TestBank) -> None:
    payment = _start(purpose, bank)
    pay_at_bank(payment, SUCCESS)
    paid = services.handle_return(payment, provider=bank)
    for change in (
        {"status": PaymentStatus.FAILED, "receipt_number": None},
        {"receipt_number": "R2600000999"},
        {"receipt_number": "X1"},
        {"refunded_cents": 23001},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.filter(pk=paid.pk).update(**change)
    event = PaymentEvent.objects.filter(payment=paid).first()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic():  # PostgreSQL: insufficient privilege
        PaymentEvent.objects.filter(pk=event.pk).update(action="rewritten")
    # A second success for the same thing, whatever the code does.
    twin = Payment.objects.get(pk=paid.pk)
    twin.pk, twin.reference, twin.idempotency_key = None, "P260000999", "other"
    twin.return_token, twin.provider_reference, twin.receipt_number = "t" * 43, None, "R2600000998"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_an_amount_the_bank_did_not_charge_is_an_error(purpose: Purpose, bank: TestBank) -> None:
    payment = _start(purpose, bank)
    status = services.Status(
        provider_reference=str(payment.provider_reference),
        outcome=Outcome.SUCCEEDED,
        amount_cents=100,
        currency="CAD",
    )
    assert services.apply_status(payment.pk, status, via="test").status == PaymentStatus.ERROR


def test_the_bank_is_refused_when_not_enabled(settings: Any, client: Client) -> None:
    settings.TESTBANK_ENABLED = False
    assert (
        client.post(
            "/banque-essai/api/paiements/", "{}", content_type="application/json"
        ).status_code
        == 404
    )


def test_a_success_leaves_a_bilingual_receipt_and_a_message(
    purpose: Purpose, bank: TestBank, django_capture_on_commit_callbacks: Any
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from guichet.documents.models import Document
    from guichet.messaging.models import Message

    payment = _start(purpose, bank)
    pay_at_bank(payment, SUCCESS)
    with django_capture_on_commit_callbacks(execute=True):
        paid = services.handle_return(payment, provider=bank)
    receipt = Document.objects.get(owner=paid.payer)
    assert receipt.dossier is None and receipt.filename == f"recu-{paid.receipt_number}.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(bytes(receipt.content))).pages)
    for expected in (
        str(paid.receipt_number),
        "Reçu de paiement",
        "Payment receipt",
        "Frais d'essai",
        "Test fee",
        "230,00",
        "$230.00",
        "4242",
    ):
        assert expected in text, expected
    assert "4242 4242" not in text  # the last four digits at most
    # Issue 31.17: each half says its language in the structure tree (PDF/UA, WCAG 3.1.2).
    from guichet.core.pdf import section_languages

    assert section_languages(bytes(receipt.content)) == ["fr", "en"]
    message = Message.objects.get(thread__owner=paid.payer)
    french, english = message.body_texts["fr"], message.body_texts["en"]
    assert str(paid.receipt_number) in french and "« Mes documents »" in french
    assert "230,00" in french and "$230.00" in english and "receipt number" in english


def test_no_provider_call_runs_inside_a_transaction(
    purpose: Purpose, bank: TestBank, ledger: Ledger
) -> None:
    """Issue 32: `start`, `status` and `refund` refuse to call the provider while a transaction
    is open (row locks held during an HTTP call; a refund the provider made could be lost with
    a rollback after it)."""
    from django.db import transaction

    with pytest.raises(services.ProviderCallInTransaction), transaction.atomic():
        _start(purpose, bank)
    payment = _start(purpose, bank)
    pay_at_bank(payment, SUCCESS)
    with pytest.raises(services.ProviderCallInTransaction), transaction.atomic():
        services.handle_return(payment, provider=bank)
    paid = services.handle_return(payment, provider=bank)
    assert paid.status == PaymentStatus.SUCCESS
    with pytest.raises(services.ProviderCallInTransaction), transaction.atomic():
        services.refund(
            payment=paid, amount_cents=100, reason="essai", actor=paid.payer, provider=bank
        )
    paid.refresh_from_db()
    assert paid.refunded_cents == 0  # the reservation rolled back with the refused call
