"""The hosted-payment-page providers. Guichet never sees a card: it starts a payment at the
provider (which answers with the page to send the payer to), learns the outcome from the
provider's signed notification or by asking it, and never trusts what the payer's browser
brings back."""

from __future__ import annotations

from django.conf import settings

from .base import (
    InvalidNotification,
    Notification,
    Outcome,
    Provider,
    ProviderUnavailable,
    Started,
    Status,
)
from .testbank import TestBank

__all__ = [
    "InvalidNotification",
    "Notification",
    "Outcome",
    "Provider",
    "ProviderUnavailable",
    "Started",
    "Status",
    "get_provider",
]


def get_provider(code: str | None = None) -> Provider:
    """The provider configured (PAYMENT_PROVIDER), or the one named."""
    name = code or settings.PAYMENT_PROVIDER
    if not name:
        raise ProviderUnavailable("no payment provider is configured (PAYMENT_PROVIDER)")
    if name == TestBank.code:
        return TestBank.from_settings()
    raise LookupError(f"unknown payment provider {name!r}")
