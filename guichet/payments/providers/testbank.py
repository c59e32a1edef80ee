"""The adapter for « Banque d'essai », the test provider shipped with Guichet (`guichet.testbank`).
It speaks to the bank over HTTP, like a real processor: the bank may run in the same process
(`make run`, at /banque-essai/) or as its own process on another port (the e2e tests)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import get_language

from .base import InvalidNotification, Notification, Outcome, ProviderUnavailable, Started, Status

SIGNATURE_HEADER = "Banque-Essai-Signature"
# A notification older (or newer) than this is refused: a replayed capture goes stale.
TOLERANCE_SECONDS = 300

# (method, url, json body or None, headers) -> (status code, json body)
Transport = Callable[[str, str, dict[str, Any] | None, dict[str, str]], tuple[int, dict[str, Any]]]


def sign(secret: str, notification_id: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over the notification's id, its timestamp and its body."""
    message = f"{notification_id}.{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, notification_id: str, timestamp: int, body: bytes) -> str:
    return f"id={notification_id},t={timestamp},v1={sign(secret, notification_id, timestamp, body)}"


def http_transport(timeout: float = 10.0) -> Transport:
    def send(
        method: str, url: str, body: dict[str, Any] | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        if not url.startswith(("https://", "http://")):
            raise ProviderUnavailable(f"not an http(s) URL: {url}")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the bank's configured https/http URL
            url, data=data, method=method, headers={"Content-Type": "application/json", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ProviderUnavailable(str(error)) from error

    return send


@dataclass
class TestBank:
    base_url: str
    api_key: str
    secret: str
    transport: Transport
    code: str = "banque_essai"

    __test__ = False  # not a test class, whatever pytest thinks of its name

    @classmethod
    def from_settings(cls, transport: Transport | None = None) -> TestBank:
        from django.conf import settings

        return cls(
            base_url=settings.TESTBANK_URL.rstrip("/"),
            api_key=settings.TESTBANK_API_KEY,
            secret=settings.TESTBANK_SECRET,
            transport=transport or http_transport(),
        )

    @property
    def page_origin(self) -> str:
        """Where its hosted page lives (the pay page's form may lead there: CSP form-action)."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        status, answer = self.transport(
            method, f"{self.base_url}{path}", body, {"Authorization": f"Bearer {self.api_key}"}
        )
        if status >= 500 or status in (401, 403):
            raise ProviderUnavailable(f"{status} {answer.get('error', '')}")
        if status >= 400:
            raise ProviderUnavailable(f"refused: {status} {answer.get('error', '')}")
        return answer

    @staticmethod
    def _status(answer: dict[str, Any]) -> Status:
        amount, currency = answer["amount_cents"], answer["currency"]
        if type(amount) is not int or not isinstance(currency, str) or len(currency) != 3:
            raise ValueError("an answer without its amount and currency")
        return Status(
            provider_reference=str(answer["id"]),
            outcome=Outcome(answer["status"]),
            card_last4=str(answer.get("last4") or ""),
            amount_cents=amount,
            currency=currency,
        )

    @classmethod
    def _answered(cls, answer: dict[str, Any]) -> Status:
        try:
            return cls._status(answer)
        except (ValueError, KeyError, TypeError) as error:
            raise ProviderUnavailable(f"malformed answer: {error}") from error

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
    ) -> Started:
        answer = self._call(
            "POST",
            "/api/paiements/",
            {
                "amount_cents": amount_cents,
                "currency": currency,
                "merchant_reference": reference,
                "idempotency_key": idempotency_key,
                "description": description,
                "return_url": return_url,
                "notify_url": notify_url,
                "language": get_language() or "fr",
            },
        )
        return Started(provider_reference=str(answer["id"]), redirect_url=str(answer["url"]))

    def status(self, provider_reference: str) -> Status:
        return self._answered(self._call("GET", f"/api/paiements/{provider_reference}/"))

    def cancel(self, provider_reference: str) -> Status:
        return self._answered(self._call("POST", f"/api/paiements/{provider_reference}/annuler/"))

    def refund(self, provider_reference: str, *, amount_cents: int, idempotency_key: str) -> str:
        answer = self._call(
            "POST",
            f"/api/paiements/{provider_reference}/rembourser/",
            {"amount_cents": amount_cents, "idempotency_key": idempotency_key},
        )
        return str(answer["id"])

    def verify_notification(self, *, headers: dict[str, str], body: bytes) -> Notification:
        header = headers.get(SIGNATURE_HEADER) or headers.get(SIGNATURE_HEADER.lower()) or ""
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        try:
            notification_id, timestamp = parts["id"], int(parts["t"])
            given = parts["v1"]
        except (KeyError, ValueError) as error:
            raise InvalidNotification("no signature") from error
        expected = sign(self.secret, notification_id, timestamp, body)
        if not hmac.compare_digest(expected, given):
            raise InvalidNotification("wrong signature")
        if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
            raise InvalidNotification("stale timestamp")
        try:
            answer = json.loads(body)
            if str(answer["notification_id"]) != notification_id:
                raise InvalidNotification("id mismatch")
            return Notification(notification_id=notification_id, status=self._status(answer))
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidNotification("malformed body") from error
