"""Payments (SPEC F6, G5): fee schedules, payments with their history, refunds.

Money is integer cents with a currency. No card number ever reaches Guichet: a card is paid on
the provider's hosted page; Guichet keeps the provider's reference and at most the last four
digits. The database holds the invariants: one successful payment per thing paid, one attempt
in progress at a time, unique references and receipt numbers in their format, refunds that
never exceed what was paid, fee periods that never overlap, a history nobody rewrites.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guichet.core.i18n import localized
from guichet.core.transitions import Table, Transition

CURRENCY = "CAD"


class Fee(models.Model):
    """A fee of the ministry's schedule (« Frais permis travail sans EIMT »)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_fr = models.CharField(_("libellé (français)"), max_length=200)
    label_en = models.CharField(_("libellé (anglais)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("frais")
        verbose_name_plural = _("frais")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")


class FeeRate(models.Model):
    """The amount of a fee over a period [valid_from, valid_until) — the schedule changes every
    1 January. Periods of one fee never overlap: an exclusion constraint on PostgreSQL, triggers
    on SQLite (migration 0002)."""

    fee = models.ForeignKey(Fee, on_delete=models.PROTECT, related_name="rates")
    amount_cents = models.PositiveIntegerField(_("montant (cents)"))
    currency = models.CharField(_("devise"), max_length=3, default=CURRENCY)
    valid_from = models.DateField(_("en vigueur le"))
    valid_until = models.DateField(_("jusqu'au (exclu)"), null=True, blank=True)
    # Shown as « valeur d'exemple » on the pages (the demo's CSQ fees).
    is_example = models.BooleanField(_("valeur d'exemple"), default=False)

    class Meta:
        ordering = ["fee", "valid_from"]
        verbose_name = _("barème")
        verbose_name_plural = _("barèmes")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="feerate_amount_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="feerate_currency_code"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="feerate_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fee.code} {self.valid_from}: {self.amount_cents} {self.currency}"


class Method(models.TextChoices):
    CARD = "card", _("Carte de crédit (en ligne)")
    MAIL = "mail", _("Par la poste")


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Créé")
    STARTED = "started", _("Commencé")
    SUBMITTED = "submitted", _("Transmis")
    SUCCESS = "success", _("Réussi")
    FAILED = "failed", _("Échoué")
    CANCELLED = "cancelled", _("Annulé par le service")
    ERROR = "error", _("Erreur")


# An attempt still in progress: at most one per thing paid.
OPEN_STATUSES = (PaymentStatus.CREATED, PaymentStatus.STARTED, PaymentStatus.SUBMITTED)
_OPEN = frozenset(OPEN_STATUSES)

# Every change of a payment's status (`core.transitions.step`, under the payment's lock):
# success and failure are final; what the provider says after them changes nothing.
PAYMENT_TRANSITIONS: Table = {
    "start": Transition(frozenset({PaymentStatus.CREATED}), PaymentStatus.STARTED, "started"),
    "start_failed": Transition(
        frozenset({PaymentStatus.CREATED}), PaymentStatus.ERROR, "start_failed"
    ),
    "process": Transition(
        frozenset({PaymentStatus.CREATED, PaymentStatus.STARTED}),
        PaymentStatus.SUBMITTED,
        "submitted",
    ),
    "succeed": Transition(_OPEN, PaymentStatus.SUCCESS, "succeeded"),
    "fail": Transition(_OPEN, PaymentStatus.FAILED, "failed"),
    "mismatch": Transition(_OPEN, PaymentStatus.ERROR, "amount_mismatch"),
}


class FailureReason(models.TextChoices):
    DECLINED = "declined", _("Paiement refusé")
    TIMED_OUT = "timed_out", _("Délai dépassé")
    CANCELLED_BY_PAYER = "cancelled_by_payer", _("Transaction annulée")
    RETURNED = "returned", _("Paiement retourné")


class Payment(models.Model):
    """One attempt to pay for one thing (a job offer, a CSQ application): `purpose` says what
    kind of thing, `object_id` which one. The amount and its fee lines are fixed when the
    attempt is made (« calculés à la date de la présentation »)."""

    reference = models.CharField(_("référence"), max_length=12, unique=True)
    purpose = models.CharField(_("objet"), max_length=40)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=40)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("payeur"),
    )
    method = models.CharField(_("mode de paiement"), max_length=10, choices=Method.choices)
    amount_cents = models.PositiveIntegerField(_("montant (cents)"))
    currency = models.CharField(_("devise"), max_length=3, default=CURRENCY)
    status = models.CharField(
        _("état"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    failure_reason = models.CharField(
        _("motif"), max_length=20, choices=FailureReason.choices, blank=True
    )
    # One key per attempt, sent to the provider so a retried call never charges twice.
    idempotency_key = models.CharField(_("clé d'idempotence"), max_length=64, unique=True)
    provider = models.CharField(_("prestataire"), max_length=20, blank=True)
    provider_reference = models.CharField(
        _("référence du prestataire"), max_length=64, null=True, blank=True, unique=True
    )
    receipt_number = models.CharField(
        _("numéro de reçu"), max_length=12, null=True, blank=True, unique=True
    )
    # Where the payer is sent (the provider's page) and the secret part of the way back.
    redirect_url = models.URLField(_("page de paiement"), max_length=500, blank=True)
    return_token = models.CharField(max_length=43, unique=True)
    card_last4 = models.CharField(_("4 derniers chiffres"), max_length=4, blank=True)
    refunded_cents = models.PositiveIntegerField(_("remboursé (cents)"), default=0)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # Card: the two hours after « Transmettre et payer »; mail: the 30 days to pay.
    expires_at = models.DateTimeField(_("à payer avant le"))
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(reference__regex=r"^P[0-9]{9}$"), name="payment_reference_format"
            ),
            # A receipt number exactly when the payment succeeded, in its format.
            models.CheckConstraint(
                condition=(Q(status="success") & Q(receipt_number__regex=r"^R[0-9]{10}$"))
                | (~Q(status="success") & Q(receipt_number__isnull=True)),
                name="payment_receipt_on_success",
            ),
            models.CheckConstraint(
                condition=Q(card_last4="") | Q(card_last4__regex=r"^[0-9]{4}$"),
                name="payment_last4_only",
            ),
            models.CheckConstraint(
                condition=Q(refunded_cents__lte=F("amount_cents")),
                name="payment_refunds_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(refunded_cents=0) | Q(status="success"),
                name="payment_refunds_of_success_only",
            ),
            # Paying twice for the same thing is impossible.
            models.UniqueConstraint(
                fields=["purpose", "object_id"],
                condition=Q(status="success"),
                name="payment_one_success_per_object",
            ),
            # Two tabs, a double click: one attempt in progress at a time.
            models.UniqueConstraint(
                fields=["purpose", "object_id"],
                condition=Q(status__in=["created", "started", "submitted"]),
                name="payment_one_open_attempt_per_object",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="payment_stuck")]

    def __str__(self) -> str:
        return self.reference


class FeeLine(models.Model):
    """A line of what a payment pays, as it was when the payment was made."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="lines")
    fee = models.ForeignKey(Fee, on_delete=models.PROTECT, related_name="+")
    label_fr = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    quantity = models.PositiveSmallIntegerField(_("quantité"), default=1)
    unit_cents = models.PositiveIntegerField(_("prix à l'unité (cents)"))
    total_cents = models.PositiveIntegerField(_("total (cents)"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cents=F("unit_cents") * F("quantity")),
                name="feeline_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.label_fr}"

    @property
    def label(self) -> str:
        return localized(self, "label")


class PaymentEvent(models.Model):
    """The payment's history, append-only (migration 0002): every state change and every
    message from the provider, with what it said (never a card number: the provider never sends
    one)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("état avant"), max_length=10, blank=True)
    to_status = models.CharField(_("état après"), max_length=10, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("événement du paiement")
        verbose_name_plural = _("historique du paiement")

    def __str__(self) -> str:
        return f"{self.payment_id} {self.action}"

    @property
    def action_label(self) -> str:
        """The history's « Action » in words: what happened, and by which way (« avis du
        prestataire », « retour du payeur », « tâche périodique »)."""
        what, _sep, via = self.action.partition(":")
        if via:  # "notification:ignored"
            return f"{EVENT_LABELS.get(what, what)} — {EVENT_LABELS.get(via, via)}"
        return str(EVENT_LABELS.get(what, what))

    @property
    def from_status_label(self) -> str:
        return str(PaymentStatus(self.from_status).label) if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return str(PaymentStatus(self.to_status).label) if self.to_status else ""


EVENT_LABELS = {
    "created": _("Paiement créé"),
    "started": _("Transmis au prestataire"),
    "start_failed": _("Le prestataire n'a pas répondu"),
    "awaiting_mail": _("En attente de l'envoi postal"),
    "return": _("Retour du payeur"),
    "notification": _("Avis du prestataire"),
    "job": _("Vérification périodique"),
    "envelope": _("Envoi postal reçu"),
    "envelope_returned": _("Envoi postal retourné"),
    "envelope_deposited": _("Envoi postal déposé"),
    "returned": _("Paiement retourné"),
    "refund": _("Remboursement"),
    "cancel": _("Annulation par le service"),
    "cancelled": _("Annulé par le service"),
    "refund_failed": _("Échec du remboursement"),
    "amount_mismatch": _("Montant différent de celui du prestataire"),
    "ignored": _("sans effet"),
    "expired": _("délai dépassé"),
}


class ProviderNotification(models.Model):
    """A signed notification already handled: the same one again is a replay, ignored."""

    provider = models.CharField(max_length=20)
    notification_id = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "notification_id"], name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.notification_id}"


class MailMethod(models.TextChoices):
    """What may be sent by mail (seed 002 FAQ 20)."""

    CERTIFIED_CHEQUE = "certified_cheque", _("Chèque certifié ou visé tiré d'une banque canadienne")
    EXCHANGE_CHEQUE = "exchange_cheque", _("Chèque émis par un agent de change")
    COMPANY_CHEQUE = "company_cheque", _("Chèque d'une entreprise canadienne")
    MONEY_ORDER = "money_order", _("Mandat postal de Postes Canada")
    BANK_DRAFT = "bank_draft", _("Traite bancaire tirée d'une banque canadienne")


class EnvelopeStatus(models.TextChoices):
    RECEIVED = "received", _("Reçu")
    DEPOSITED = "deposited", _("Déposé")
    RETURNED = "returned", _("Retourné")


ENVELOPE_TRANSITIONS: Table = {
    "deposit": Transition(
        frozenset({EnvelopeStatus.RECEIVED}), EnvelopeStatus.DEPOSITED, "deposited"
    ),
}


class ReturnReason(models.TextChoices):
    SHORT = "short", _("Montant inférieur aux frais à payer")
    LATE = "late", _("Reçu après le délai de 30 jours")
    ALREADY_PAID = "already_paid", _("Frais déjà payés")


class Envelope(models.Model):
    """An envelope received for a mail-in payment (seed 002 FAQ 21: the whole amount, in one
    envelope, within 30 days, or it is returned)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="envelopes")
    method = models.CharField(_("mode de paiement"), max_length=20, choices=MailMethod.choices)
    amount_cents = models.PositiveIntegerField(_("montant (cents)"))
    received_on = models.DateField(_("date de réception"))
    status = models.CharField(_("état"), max_length=10, choices=EnvelopeStatus.choices)
    return_reason = models.CharField(
        _("motif du retour"), max_length=20, choices=ReturnReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("envoi postal")
        verbose_name_plural = _("envois postaux")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="envelope_amount"),
            models.CheckConstraint(
                condition=(Q(status="returned") & ~Q(return_reason=""))
                | (~Q(status="returned") & Q(return_reason="")),
                name="envelope_returned_has_reason",
            ),
            # One accepted envelope per payment: the one that paid it.
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(status__in=["received", "deposited"]),
                name="envelope_one_accepted_per_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.status}"


class RefundStatus(models.TextChoices):
    # Asked of the provider, no answer yet: `run_payment_jobs` asks again with the same key
    # (the provider refunds a key once), so a refund is never lost nor made twice.
    PENDING = "pending", _("Remboursement en attente du service de paiement")
    DONE = "done", _("Remboursé à la carte")
    CHEQUE_TO_SEND = "cheque", _("Chèque à émettre")
    FAILED = "failed", _("Échec")


# A card refund is asked of the provider: done when it answers, given up when it does not (and
# the caller was not to retry); a pending one is asked again with its key.
REFUND_TRANSITIONS: Table = {
    "done": Transition(frozenset({RefundStatus.PENDING}), RefundStatus.DONE, "done"),
    "give_up": Transition(frozenset({RefundStatus.PENDING}), RefundStatus.FAILED, "failed"),
}


class Refund(models.Model):
    """Money given back (withdrawal, refusal): to the same card through the provider, or by
    cheque for a mail-in payment. `Payment.refunded_cents` adds them up under the database's
    check that it never exceeds the amount paid."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.PositiveIntegerField(_("montant (cents)"))
    reason = models.CharField(_("motif"), max_length=200)
    status = models.CharField(_("état"), max_length=10, choices=RefundStatus.choices)
    provider_reference = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_amount")
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.amount_cents}"
