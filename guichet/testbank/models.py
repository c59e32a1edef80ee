"""« Banque d'essai »: a test payment provider shipped with Guichet. It stands for a real
processor's hosted payment page: its own tables, its own pages and API, its own secret. It
keeps no card number either: only the last four digits of the card it was shown."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.transitions import Table, Transition


class BankStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    PROCESSING = "processing", _("Traitement en cours")
    SUCCEEDED = "succeeded", _("Payé")
    DECLINED = "declined", _("Refusé")
    CANCELLED = "cancelled", _("Annulé")
    EXPIRED = "expired", _("Expiré")


FINAL = (BankStatus.SUCCEEDED, BankStatus.DECLINED, BankStatus.CANCELLED, BankStatus.EXPIRED)
_WAITING = frozenset({BankStatus.PENDING})

# The bank's payment (`core.transitions.step`): the card typed decides it; the payer may cancel
# before; the merchant gives up one not finished.
BANK_TRANSITIONS: Table = {
    "succeed": Transition(_WAITING, BankStatus.SUCCEEDED, "succeeded"),
    "decline": Transition(_WAITING, BankStatus.DECLINED, "declined"),
    "hold": Transition(_WAITING, BankStatus.PROCESSING, "processing"),
    "cancel": Transition(_WAITING, BankStatus.CANCELLED, "cancelled"),
    "expire": Transition(
        frozenset({BankStatus.PENDING, BankStatus.PROCESSING}), BankStatus.EXPIRED, "expired"
    ),
}


class BankPayment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    idempotency_key = models.CharField(max_length=64, unique=True)
    merchant_reference = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    return_url = models.URLField(max_length=500)
    notify_url = models.URLField(max_length=500)
    status = models.CharField(max_length=12, choices=BankStatus.choices, default=BankStatus.PENDING)
    last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("paiement de la banque d'essai")
        verbose_name_plural = _("paiements de la banque d'essai")

    def __str__(self) -> str:
        return f"{self.merchant_reference} {self.status}"

    def as_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "status": self.status,
            "last4": self.last4,
            "amount_cents": self.amount_cents,
            "currency": self.currency,
            "merchant_reference": self.merchant_reference,
        }


class BankRefund(models.Model):
    """Money sent back to the card; the same idempotency key never refunds twice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(BankPayment, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.payment_id} -{self.amount_cents}"
