"""The one way to write the audit trail."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from guichet.accounts.models import Source, User

from .models import AuditEvent

# Keys whose values never reach the trail, whatever a caller passes.
SECRET_KEY_PATTERN = re.compile(
    r"pass|secret|token|answer|reponse|réponse|otp|totp|code_autorisation|authorization_code|key",
    re.IGNORECASE,
)
REDACTED = "[masqué]"


def scrub(details: Any) -> Any:
    """Drop secret values from nested details (keys, not values, decide)."""
    if isinstance(details, dict):
        return {
            str(k): (REDACTED if SECRET_KEY_PATTERN.search(str(k)) else scrub(v))
            for k, v in details.items()
        }
    if isinstance(details, list | tuple):
        return [scrub(v) for v in details]
    if isinstance(details, str | int | float | bool) or details is None:
        return details
    return str(details)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies, each appending to
    X-Forwarded-For, it is the entry the outermost trusted proxy wrote: entries to its left
    were written by the client and prove nothing. A header shorter than the proxy count (the
    request did not come through every proxy) falls back to the connecting address."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def audit(
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    source: str | None = None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` on `obj`.

    The source defaults to the actor's (Client, Partenaire, Ministère) or Système when no one
    acted. `details` must describe the change, never carry secrets: secret-looking keys are
    masked regardless.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor else "",
        source=source or (actor.source if actor else Source.SYSTEM),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip_address=client_ip(request),
        details=scrub(details or {}),
    )
