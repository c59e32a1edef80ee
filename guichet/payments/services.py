"""Payments: what is owed, starting a card payment at the provider, learning its outcome
(the payer's return, the provider's signed notification, asking the provider), and the job that
settles attempts nobody finished. Every change is a locked, conditional write with a line in
the payment's history; the database refuses a second success, a second attempt in progress,
a second receipt."""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.money import format_cents
from guichet.core.refusals import Refused
from guichet.core.transitions import move, step
from guichet.numbering.services import next_value

from .models import (
    CURRENCY,
    ENVELOPE_TRANSITIONS,
    OPEN_STATUSES,
    PAYMENT_TRANSITIONS,
    REFUND_TRANSITIONS,
    Envelope,
    EnvelopeStatus,
    FailureReason,
    Fee,
    FeeLine,
    FeeRate,
    Method,
    Payment,
    PaymentEvent,
    PaymentStatus,
    ProviderNotification,
    Refund,
    RefundStatus,
    ReturnReason,
)
from .providers import (
    InvalidNotification,
    Outcome,
    Provider,
    ProviderUnavailable,
    Status,
    get_provider,
)
from .purposes import Purpose, purpose_of
from .receipts import after_payment, tell_payer

logger = logging.getLogger(__name__)


# --- What is owed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    fee: Fee
    quantity: int
    unit_cents: int
    is_example: bool

    @property
    def total_cents(self) -> int:
        return self.unit_cents * self.quantity

    @property
    def label(self) -> str:
        return self.fee.label


def rate_on(fee: Fee, day: date) -> FeeRate | None:
    """The fee's amount in force on `day` (periods never overlap: at most one)."""
    return (
        FeeRate.objects.filter(fee=fee, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))
        .first()
    )


def owed(purpose: Purpose, object_id: str, *, on: date | None = None) -> list[Line]:
    """The fee lines of `object_id` at the schedule in force `on` (today: « les frais réels à
    payer seront calculés à la date de la présentation »)."""
    day = on or timezone.localdate()
    lines = []
    for item in purpose.owed(object_id):
        fee = Fee.objects.filter(code=item.fee_code).first()
        rate = rate_on(fee, day) if fee is not None else None
        if fee is None or rate is None:
            raise Refused(
                "no_rate", _("Les frais de cette demande ne sont pas fixés pour cette date.")
            )
        lines.append(Line(fee, item.quantity, rate.amount_cents, rate.is_example))
    return lines


# --- History ---------------------------------------------------------------------------------


def _step(row: Payment, action: str, *, actor: Actor | None = None, **changes: Any) -> str:
    """A locked payment along its table (announced as « payment.<what> », with its purpose and
    amount, never the payer); returns the status it left."""
    return step(
        row,
        PAYMENT_TRANSITIONS,
        action,
        actor=actor,
        payload={
            "purpose": row.purpose,
            "object": row.object_id,
            "amount_cents": row.amount_cents,
            "currency": row.currency,
        },
        **changes,
    )


def _event(payment: Payment, action: str, previous: str = "", **details: Any) -> None:
    PaymentEvent.objects.create(
        payment=payment,
        action=action,
        from_status=previous,
        to_status=payment.status,
        details=details,
    )


class ProviderCallInTransaction(RuntimeError):
    """A provider was about to be called inside a transaction."""


def outside_transaction(call: str) -> None:
    """Provider calls are made with nothing held (issue 32): inside a transaction the HTTP call
    would run under row locks, a failure after it could lose the record of what the provider
    did, and on SQLite the embedded test bank could not write at all. The test suite's own
    wrapping transaction does not count (Django marks it, as for `durable` blocks)."""
    if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        raise ProviderCallInTransaction(f"{call} called inside a transaction")


def provider_down() -> Refused:
    """The provider did not answer: the person may try again shortly."""
    return Refused(
        "provider_unavailable",
        _("Le service de paiement ne répond pas. Réessayez dans quelques minutes."),
    )


def _locked(payment_id: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_id)


# --- Where a thing stands --------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where the payment of a thing stands, for its page: paid, an attempt in progress (its
    time to pay), « Demande en traitement » after « Annuler la transaction » (until when), or
    to pay."""

    paid: Payment | None = None
    in_progress: Payment | None = None
    processing_until: datetime | None = None

    @property
    def can_pay(self) -> bool:
        return self.paid is None and self.in_progress is None and self.processing_until is None


def standing(purpose: Purpose, object_id: str, *, now: datetime | None = None) -> Standing:
    now = now or timezone.now()
    payments = Payment.objects.filter(purpose=purpose.code, object_id=str(object_id))
    paid = payments.filter(status=PaymentStatus.SUCCESS).first()
    if paid is not None:
        return Standing(paid=paid)
    open_attempt = payments.filter(status__in=OPEN_STATUSES).first()
    if open_attempt is not None:
        return Standing(in_progress=open_attempt)
    cancelled = (
        payments.filter(
            status=PaymentStatus.FAILED, failure_reason=FailureReason.CANCELLED_BY_PAYER
        )
        .order_by("-completed_at")
        .first()
    )
    if cancelled is not None and cancelled.completed_at is not None:
        until = cancelled.completed_at + purpose.retry_after_cancel
        if until > now:
            return Standing(processing_until=until)
    return Standing()


# --- Starting a card payment -----------------------------------------------------------------


def _new_reference(today: date) -> str:
    value = next_value(f"payment-{today.year % 100:02d}", first=1, last=9_999_999)
    return f"P{today.year % 100:02d}{value:07d}"


def _receipt_number(today: date) -> str:
    value = next_value(f"receipt-{today.year % 100:02d}", first=1, last=99_999_999)
    return f"R{today.year % 100:02d}{value:08d}"


@dataclass(frozen=True)
class Urls:
    """Where the provider sends the payer back (with the payment's return token) and where it
    posts its notifications."""

    return_url: str
    notify_url: str


@transaction.atomic
def _create_attempt(
    purpose: Purpose, object_id: str, actor: Actor, method: str, window: timedelta
) -> tuple[Payment, bool]:
    """A new attempt, or the one already in progress (double click, two tabs): (payment, new)."""
    user = actor.person
    if not purpose.may_pay(user, object_id):
        raise Refused("not_payer", _("Vous ne pouvez pas payer cette demande."))
    where = standing(purpose, object_id)
    if where.paid is not None:
        raise Refused("already_paid", _("Les frais de cette demande sont déjà payés."))
    if where.in_progress is not None:
        return where.in_progress, False
    if where.processing_until is not None:
        raise Refused(
            "processing",
            _(
                "Demande en traitement : vous pourrez essayer de nouveau lorsque l'état de votre "
                "demande aura changé pour « Non soumise »."
            ),
        )
    expires_at = timezone.now() + window
    deadline = purpose.pay_by(object_id) if purpose.pay_by is not None else None
    if deadline is not None:
        if deadline <= timezone.now():
            raise Refused(
                "too_late", _("Le délai pour payer les frais de cette demande est passé.")
            )
        expires_at = min(expires_at, deadline)
    today = timezone.localdate()
    lines = owed(purpose, object_id, on=today)
    if sum(line.total_cents for line in lines) <= 0:
        raise Refused("nothing_owed", _("Aucuns frais ne sont à payer pour cette demande."))
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                reference=_new_reference(today),
                purpose=purpose.code,
                object_id=str(object_id),
                payer=user,
                method=method,
                amount_cents=sum(line.total_cents for line in lines),
                currency=CURRENCY,
                idempotency_key=uuid.uuid4().hex,
                return_token=secrets.token_urlsafe(32),
                expires_at=expires_at,
            )
    except IntegrityError:
        # Another tab created it meanwhile: that one is the attempt in progress.
        existing = Payment.objects.filter(
            purpose=purpose.code, object_id=str(object_id), status__in=OPEN_STATUSES
        ).first()
        if existing is None:
            raise
        return existing, False
    FeeLine.objects.bulk_create(
        FeeLine(
            payment=payment,
            fee=line.fee,
            label_fr=line.fee.label_fr,
            label_en=line.fee.label_en,
            quantity=line.quantity,
            unit_cents=line.unit_cents,
            total_cents=line.total_cents,
        )
        for line in lines
    )
    _event(payment, "created", method=method, amount_cents=payment.amount_cents)
    audit(actor, "payment.created", payment, details={"purpose": purpose.code})
    return payment, True


def start_card_payment(
    *,
    purpose: Purpose,
    object_id: str,
    actor: Actor | User,
    urls: Urls,
    provider: Provider | None = None,
) -> Payment:
    """« Transmettre et payer »: an attempt (two hours to pay) started at the provider, whose
    page the payer is sent to (`payment.redirect_url`). The provider is called outside any
    transaction; the same attempt is given back while it is in progress."""
    actor = as_actor(actor)
    payment, new = _create_attempt(purpose, object_id, actor, Method.CARD, purpose.card_window)
    if not new and payment.redirect_url:
        return payment
    provider = provider or get_provider()
    outside_transaction("start")
    try:
        started = provider.start(
            amount_cents=payment.amount_cents,
            currency=payment.currency,
            reference=payment.reference,
            idempotency_key=payment.idempotency_key,
            description=str(purpose.label),
            return_url=urls.return_url.replace("{token}", payment.return_token),
            notify_url=urls.notify_url,
        )
    except ProviderUnavailable as error:
        with transaction.atomic():
            row = _locked(payment.pk)
            if row.status == PaymentStatus.CREATED:
                _step(row, "start_failed", completed_at=timezone.now())
                _event(row, "start_failed", PaymentStatus.CREATED, error=str(error)[:200])
        raise provider_down() from error
    with transaction.atomic():
        row = _locked(payment.pk)
        if row.status == PaymentStatus.CREATED:
            _step(
                row,
                "start",
                actor=actor,
                provider=provider.code,
                provider_reference=started.provider_reference,
                redirect_url=started.redirect_url,
            )
            _event(row, "started", PaymentStatus.CREATED, provider=provider.code)
    return row


# --- Learning the outcome --------------------------------------------------------------------

# The provider's final word -> (the payment's transition, its failure reason).
TARGETS: dict[Outcome, tuple[str, str]] = {
    Outcome.SUCCEEDED: ("succeed", ""),
    Outcome.DECLINED: ("fail", FailureReason.DECLINED),
    Outcome.CANCELLED: ("fail", FailureReason.CANCELLED_BY_PAYER),
    Outcome.EXPIRED: ("fail", FailureReason.TIMED_OUT),
}


def apply_status(payment_id: int, status: Status, *, via: str) -> Payment:
    """What the provider says, applied once: under the payment's lock, success is final (a
    later or repeated message changes nothing), the purpose is told once, inside the same
    transaction, and the receipt number is given once."""
    with transaction.atomic():
        row = _locked(payment_id)
        previous = row.status
        if row.status not in OPEN_STATUSES:
            _event(row, f"{via}:ignored", previous, outcome=status.outcome)
            return row
        if status.amount_cents != row.amount_cents or status.currency != row.currency:
            _step(row, "mismatch", completed_at=timezone.now())
            _event(
                row,
                f"{via}:amount_mismatch",
                previous,
                amount_cents=status.amount_cents,
                currency=status.currency,
            )
            logger.error("Payment %s: provider amount or currency differs", row.reference)
            return row
        if status.outcome in (Outcome.PENDING, Outcome.PROCESSING):
            if status.outcome == Outcome.PROCESSING and row.status != PaymentStatus.SUBMITTED:
                _step(row, "process")
            _event(row, via, previous, outcome=status.outcome)
            return row
        action, failure = TARGETS[status.outcome]
        _step(
            row,
            action,
            failure_reason=failure,
            completed_at=timezone.now(),
            card_last4=status.card_last4[-4:] if status.card_last4.isdigit() else "",
            receipt_number=(
                _receipt_number(timezone.localdate()) if action == "succeed" else row.receipt_number
            ),
        )
        _event(row, via, previous, outcome=status.outcome)
        if row.status == PaymentStatus.SUCCESS:
            purpose_of(row).on_paid(row)
            audit(row.payer, "payment.succeeded", row, details={"receipt": row.receipt_number})
            payment_id = row.pk
            transaction.on_commit(lambda: after_payment.enqueue(payment_id=payment_id))
        return row


def payment_returning(token: str) -> Payment | None:
    """The payment the payer comes back for (the token in the return address)."""
    return Payment.objects.filter(return_token=token).first() if token else None


def handle_return(payment: Payment, *, provider: Provider | None = None) -> Payment:
    """The payer is back from the provider's page. What the browser brings is not trusted:
    the provider is asked."""
    if payment.status not in OPEN_STATUSES or not payment.provider_reference:
        return payment
    provider = provider or get_provider(payment.provider)
    outside_transaction("status")
    try:
        status = provider.status(payment.provider_reference)
    except ProviderUnavailable:
        return payment  # the notification or the job will tell
    return apply_status(payment.pk, status, via="return")


def handle_notification(
    *, provider: Provider, headers: dict[str, str], body: bytes
) -> Payment | None:
    """A signed server-to-server notification: refused (InvalidNotification) unless its
    signature and timestamp hold; a replay of one already handled changes nothing."""
    notification = provider.verify_notification(headers=headers, body=body)
    payment = Payment.objects.filter(
        provider=provider.code, provider_reference=notification.status.provider_reference
    ).first()
    if payment is None:
        raise InvalidNotification("unknown payment")
    try:
        with transaction.atomic():
            ProviderNotification.objects.create(
                provider=provider.code, notification_id=notification.notification_id
            )
            return apply_status(payment.pk, notification.status, via="notification")
    except IntegrityError:
        return Payment.objects.get(pk=payment.pk)  # a replay


# --- Attempts nobody finished ----------------------------------------------------------------


def settle_stuck(*, now: datetime | None = None, provider: Provider | None = None) -> int:
    """For each attempt still open after its time to pay: ask the provider; paid after all →
    success; otherwise cancel it at the provider, then record what it says (timed out). Each
    attempt is taken with SKIP LOCKED, so several machines may run this at once."""
    now = now or timezone.now()
    settled = 0
    candidates = list(
        Payment.objects.filter(status__in=OPEN_STATUSES, expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for payment_id in candidates:
        with transaction.atomic():
            row = (
                Payment.objects.select_for_update(skip_locked=True)
                .filter(pk=payment_id, status__in=OPEN_STATUSES)
                .first()
            )
            if row is None:
                continue
            if not row.provider_reference:  # never reached the provider
                previous = _step(
                    row, "fail", failure_reason=FailureReason.TIMED_OUT, completed_at=now
                )
                _event(row, "job:expired", previous)
                settled += 1
                continue
        use = provider or get_provider(row.provider)
        outside_transaction("status")
        try:
            status = use.status(row.provider_reference)
            if status.outcome in (Outcome.PENDING, Outcome.PROCESSING):
                status = use.cancel(row.provider_reference)
        except ProviderUnavailable:
            continue  # asked again at the next run: never timed out without asking
        if status.outcome in (Outcome.PENDING, Outcome.PROCESSING):
            continue
        apply_status(row.pk, status, via="job")
        settled += 1
    return settled


# --- Mail-in payments (seed 002 FAQ 20-21) ---------------------------------------------------


def start_mail_payment(*, purpose: Purpose, object_id: str, actor: Actor | User) -> Payment:
    """« Par la poste »: an attempt waiting for one envelope with the whole amount within 30
    days; the payer prints the slip (reference, amount, address, deadline)."""
    actor = as_actor(actor)
    payment, new = _create_attempt(purpose, object_id, actor, Method.MAIL, purpose.mail_window)
    if new:
        with transaction.atomic():
            row = _locked(payment.pk)
            _step(row, "start", actor=actor)
            _event(row, "awaiting_mail", PaymentStatus.CREATED)
        return row
    return payment


RETURN_MESSAGES = {
    ReturnReason.SHORT: lambda p: (
        _(
            "Votre envoi pour le paiement %(reference)s vous est retourné : le montant reçu "
            "est inférieur aux frais à payer (%(amount)s). Le montant exigé doit être envoyé "
            "en un seul envoi."
        )
        % {"reference": p.reference, "amount": format_cents(p.amount_cents, p.currency)}
    ),
    ReturnReason.LATE: lambda p: (
        _(
            "Votre envoi pour le paiement %(reference)s vous est retourné : il a été reçu après le "
            "délai de 30 jours pour payer les frais de votre demande."
        )
        % {"reference": p.reference}
    ),
    ReturnReason.ALREADY_PAID: lambda p: (
        _(
            "Votre envoi pour le paiement %(reference)s vous est retourné : les frais de cette "
            "demande étaient déjà payés."
        )
        % {"reference": p.reference}
    ),
}


def record_envelope(
    *,
    payment: Payment,
    method: str,
    amount_cents: int,
    received_on: date,
    actor: Actor | User,
) -> Envelope:
    """Staff record an envelope. Less than the full amount, after the deadline, or for a thing
    already paid: returned, and the payer is told why (the attempt fails as returned). Otherwise
    received: the payment succeeds (receipt, submission); the cheque is then deposited."""
    actor = as_actor(actor)
    staff = actor.person
    with transaction.atomic():
        row = _locked(payment.pk)
        if row.method != Method.MAIL:
            raise Refused("not_mail", _("Ce paiement n'est pas un paiement par la poste."))
        reason = ""
        if (
            row.status == PaymentStatus.SUCCESS
            or Payment.objects.filter(
                purpose=row.purpose, object_id=row.object_id, status=PaymentStatus.SUCCESS
            )
            .exclude(pk=row.pk)
            .exists()
        ):
            reason = ReturnReason.ALREADY_PAID
        elif received_on > timezone.localtime(row.expires_at).date():
            reason = ReturnReason.LATE
        elif amount_cents < row.amount_cents:
            reason = ReturnReason.SHORT
        envelope = Envelope.objects.create(
            payment=row,
            method=method,
            amount_cents=amount_cents,
            received_on=received_on,
            status=EnvelopeStatus.RETURNED if reason else EnvelopeStatus.RECEIVED,
            return_reason=reason,
            recorded_by=staff,
        )
        audit(actor, "payment.envelope_recorded", row, details={"returned": reason or None})
        if reason:
            _event(row, "envelope_returned", row.status, reason=reason, amount_cents=amount_cents)
            if row.status in OPEN_STATUSES:
                previous = _step(
                    row,
                    "fail",
                    actor=actor,
                    failure_reason=FailureReason.RETURNED,
                    completed_at=timezone.now(),
                )
                _event(row, "returned", previous)
            tell_payer(row, lambda: RETURN_MESSAGES[ReturnReason(reason)](row))
            return envelope
    apply_status(
        payment.pk,
        Status(
            provider_reference="",
            outcome=Outcome.SUCCEEDED,
            amount_cents=row.amount_cents,
            currency=row.currency,
        ),
        via="envelope",
    )
    return envelope


@transaction.atomic
def deposit_envelope(*, envelope: Envelope, actor: Actor | User) -> Envelope:
    """The cheque of an accepted envelope is deposited: received → deposited."""
    actor = as_actor(actor)
    moved = move(
        Envelope.objects.filter(pk=envelope.pk),
        ENVELOPE_TRANSITIONS,
        "deposit",
        actor=actor,
        payload={"payment": envelope.payment_id},
    )
    if not moved:
        raise Refused("not_received", _("Seul un envoi reçu peut être déposé."))
    envelope.refresh_from_db()
    _event(envelope.payment, "envelope_deposited", envelope.payment.status)
    audit(actor, "payment.envelope_deposited", envelope.payment)
    return envelope


# --- Refunds ---------------------------------------------------------------------------------


def refund(
    *,
    payment: Payment,
    amount_cents: int,
    reason: str,
    actor: Actor | User,
    provider: Provider | None = None,
    retry_later: bool = False,
) -> Refund:
    """Give back part or all of a successful payment (withdrawal, refusal): to the same card
    through the provider, or by a cheque to send for a mail-in payment. The total refunded never
    exceeds the amount paid: a conditional UPDATE, and the database's check behind it.

    The provider is called outside any transaction (the caller's included: on SQLite, a test
    bank in the same process could not write while a transaction held the database). What the
    provider answers is recorded at once. When it does not answer: with `retry_later` the refund
    stays « en attente » and `retry_refunds` sends it again with the same key; otherwise it is
    given up and the caller is told (staff refund again)."""
    actor = as_actor(actor)
    staff = actor.person
    if amount_cents <= 0:
        raise Refused("amount", _("Saisissez un montant à rembourser."), field="amount")
    key = uuid.uuid4().hex
    with transaction.atomic():
        row = _locked(payment.pk)
        if row.status != PaymentStatus.SUCCESS:
            raise Refused("not_paid", _("Seul un paiement réussi peut être remboursé."))
        reserved = Payment.objects.filter(
            pk=row.pk, refunded_cents__lte=row.amount_cents - amount_cents
        ).update(refunded_cents=F("refunded_cents") + amount_cents)
        if not reserved:
            raise Refused(
                "too_much",
                _("Le remboursement dépasserait le montant payé (%(left)s restant).")
                % {"left": format_cents(row.amount_cents - row.refunded_cents, row.currency)},
                field="amount",
            )
        record = Refund.objects.create(
            payment=row,
            amount_cents=amount_cents,
            reason=reason.strip()[:200],
            status=RefundStatus.CHEQUE_TO_SEND
            if row.method == Method.MAIL
            else RefundStatus.PENDING,
            idempotency_key=key,
            created_by=staff,
        )
        _event(row, "refund", row.status, amount_cents=amount_cents, method=row.method)
        audit(actor, "payment.refunded", row, details={"amount_cents": amount_cents})
    if row.method == Method.MAIL:
        return record
    try:
        return _send_refund(record, row, provider)
    except ProviderUnavailable as error:
        if retry_later:
            with transaction.atomic():
                _event(_locked(row.pk), "refund_pending", row.status, error=str(error)[:200])
            return record
        with transaction.atomic():  # give the amount back to what may still be refunded
            Payment.objects.filter(pk=row.pk).update(
                refunded_cents=F("refunded_cents") - amount_cents
            )
            move(
                Refund.objects.filter(pk=record.pk),
                REFUND_TRANSITIONS,
                "give_up",
                actor=actor,
                payload={"payment": row.pk},
            )
            _event(_locked(row.pk), "refund_failed", row.status, error=str(error)[:200])
        raise provider_down() from error


def _send_refund(record: Refund, payment: Payment, provider: Provider | None) -> Refund:
    """Ask the provider for a card refund (its key makes a second ask harmless) and record its
    answer at once, whatever happens after."""
    use = provider or get_provider(payment.provider)
    outside_transaction("refund")
    reference = use.refund(
        str(payment.provider_reference),
        amount_cents=record.amount_cents,
        idempotency_key=record.idempotency_key,
    )
    with transaction.atomic():
        move(
            Refund.objects.filter(pk=record.pk),
            REFUND_TRANSITIONS,
            "done",
            payload={"payment": payment.pk, "amount_cents": record.amount_cents},
            provider_reference=reference,
        )
    record.refresh_from_db()
    return record


def refund_rest_when_committed(
    *, purpose: str, object_id: str, reason: str, actor: Actor | User
) -> None:
    """What was paid for this thing and not yet given back is refunded once the caller's
    transaction commits (at once outside one): a withdrawal or a refusal is recorded first, and
    the provider is called with nothing held. A provider that does not answer leaves the refund
    « en attente », sent again by `retry_refunds`."""
    actor = as_actor(actor)

    def run() -> None:
        paid = Payment.objects.filter(
            purpose=purpose, object_id=object_id, status=PaymentStatus.SUCCESS
        ).first()
        if paid is not None and paid.refunded_cents < paid.amount_cents:
            refund(
                payment=paid,
                amount_cents=paid.amount_cents - paid.refunded_cents,
                reason=reason,
                actor=actor,
                retry_later=True,
            )

    transaction.on_commit(run, robust=True)


def retry_refunds(*, provider: Provider | None = None) -> int:
    """Card refunds the provider did not answer: asked again with their own key. The number
    done."""
    done = 0
    for record in Refund.objects.filter(status=RefundStatus.PENDING).select_related("payment"):
        try:
            _send_refund(record, record.payment, provider)
        except ProviderUnavailable:
            continue  # asked again at the next run
        with transaction.atomic():
            _event(_locked(record.payment_id), "refund_sent", record.payment.status)
        done += 1
    return done
