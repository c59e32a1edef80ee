"""The one way to write the audit trail."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import models

from guichet.core.actor import Actor, as_actor

from .models import AuditEvent

if TYPE_CHECKING:
    from guichet.accounts.models import User

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


def audit(
    actor: Actor | User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` on `obj`.

    The source is the actor's (Client, Partenaire, Ministère, Employeur, API) or Système when
    no one acted; the address is the actor's request's. `details` must describe the change,
    never carry secrets: secret-looking keys are masked regardless.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        **event_fields(actor, action, details),
        object_type=object_type,
        object_id=str(object_id),
    )


def event_fields(
    actor: Actor | User | None, action: str, details: dict[str, Any] | None
) -> dict[str, Any]:
    """What any trail (`audit.models.TrailEvent`) records of who did `action`: the actor, who
    it was then, as what, from where, and the details with secrets masked."""
    who = as_actor(actor)
    return {
        "actor": who.user,
        "actor_label": who.user.get_username() if who.user else "",
        "source": who.source,
        "action": action,
        "ip_address": who.ip,
        "details": scrub(details or {}),
    }
