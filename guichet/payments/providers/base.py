"""What every hosted-payment-page provider offers and answers (`Provider`), apart from the
providers themselves (no circle between the package and its providers)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    """What the provider says of a payment."""

    PENDING = "pending"  # the payer has not paid yet (or the page is still open)
    PROCESSING = "processing"  # the payer sent the form; no answer yet
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    CANCELLED = "cancelled"  # « Annuler la transaction » on the provider's page
    EXPIRED = "expired"  # cancelled by Guichet once the time to pay was over


@dataclass(frozen=True)
class Started:
    provider_reference: str
    redirect_url: str


@dataclass(frozen=True)
class Status:
    provider_reference: str
    outcome: Outcome
    # What the provider says was (or is to be) paid: checked against the payment's amount
    # and currency; a provider's answer without them is malformed.
    amount_cents: int
    currency: str
    card_last4: str = ""


@dataclass(frozen=True)
class Notification:
    notification_id: str
    status: Status


class InvalidNotification(Exception):
    """Wrong signature, stale timestamp or malformed body: refused, nothing changes."""


class ProviderUnavailable(Exception):
    """The provider did not answer (network, 5xx)."""


class Provider(Protocol):
    code: str

    @property
    def page_origin(self) -> str:
        """The origin of its hosted payment page (scheme://host[:port])."""
        ...

    def start(
        self,
        *,
        amount_cents: int,
        currency: str,
        reference: str,
        idempotency_key: str,
        description: str,
        return_url: str,
        notify_url: str,
    ) -> Started: ...

    def status(self, provider_reference: str) -> Status: ...

    def cancel(self, provider_reference: str) -> Status: ...

    def verify_notification(self, *, headers: dict[str, str], body: bytes) -> Notification: ...

    def refund(self, provider_reference: str, *, amount_cents: int, idempotency_key: str) -> str:
        """Send `amount_cents` back to the card; the provider's refund id."""
        ...
