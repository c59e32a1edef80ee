"""The bank's side effects: signed notifications to the merchant, sent after commit by the task
queue (later for the « delayed » card)."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from guichet.core.transitions import step
from guichet.payments.providers.testbank import SIGNATURE_HEADER, signature_header

from .models import BANK_TRANSITIONS, FINAL, BankPayment, BankStatus

MAGIC = {
    "4242424242424242": "succeeded",
    "4000000000000002": "declined",
    "4000000000000119": "no_answer",
    "4000000000003220": "delayed",
}


# What the card typed makes of the payment (the magic numbers above).
BEHAVIOURS = {
    "succeeded": "succeed",
    "declined": "decline",
    "no_answer": "hold",
    "delayed": "succeed",
}


def _locked(payment: BankPayment) -> BankPayment:
    return BankPayment.objects.select_for_update().get(pk=payment.pk)


@transaction.atomic
def expire(payment: BankPayment) -> BankPayment:
    """The merchant gives up a payment not finished (its time to pay is over)."""
    locked = _locked(payment)
    if locked.status not in FINAL:
        step(locked, BANK_TRANSITIONS, "expire")
    return locked


@transaction.atomic
def cancel(payment: BankPayment) -> BankPayment:
    """« Annuler la transaction » on the bank's page: the merchant is told."""
    locked = _locked(payment)
    if locked.status == BankStatus.PENDING:
        step(locked, BANK_TRANSITIONS, "cancel")
        notify(locked)
    return locked


@transaction.atomic
def pay(payment: BankPayment, number: str) -> tuple[BankPayment, str] | None:
    """The card typed decides the payment (None if it was decided meanwhile); the merchant is
    told at once, later for the « delayed » card, never for « no answer »."""
    behaviour = MAGIC.get(number, "declined")
    locked = _locked(payment)
    if locked.status != BankStatus.PENDING:
        return None
    step(locked, BANK_TRANSITIONS, BEHAVIOURS[behaviour], last4=number[-4:])
    if behaviour != "no_answer":
        notify(locked, delay=settings.TESTBANK_NOTIFY_DELAY if behaviour == "delayed" else 0)
    return locked, behaviour


def notification(payment: BankPayment) -> tuple[bytes, dict[str, str]]:
    """The body and the signed header of a notification about `payment` as it stands."""
    notification_id = uuid.uuid4().hex
    body = json.dumps({"notification_id": notification_id, **payment.as_json()}).encode()
    header = signature_header(settings.TESTBANK_SECRET, notification_id, int(time.time()), body)
    return body, {SIGNATURE_HEADER: header, "Content-Type": "application/json"}


def notify(payment: BankPayment, *, delay: int = 0) -> None:
    payment_id = str(payment.pk)
    run = deliver_notification
    if delay and run.get_backend().supports_defer:
        run = run.using(run_after=timezone.now() + timedelta(seconds=delay))
    # Without a queue that can wait (the immediate backend of `make run`), the notification
    # goes at once; the payer has been sent back first either way.
    transaction.on_commit(lambda: run.enqueue(payment_id=payment_id))


@task()
def deliver_notification(*, payment_id: str) -> None:
    """POST the notification to the merchant (a real bank retries; this one tries once)."""
    payment = BankPayment.objects.filter(pk=payment_id).first()
    if payment is None:
        return
    if not payment.notify_url.startswith(("https://", "http://")):
        return
    body, headers = notification(payment)
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        payment.notify_url, data=body, headers=headers, method="POST"
    )
    # Undelivered: the merchant asks for the status when the payer comes back or its job runs.
    with contextlib.suppress(urllib.error.URLError, TimeoutError, OSError):
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 - merchant's URL
