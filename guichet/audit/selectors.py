"""What of the audit trail a person may read about themselves (issue 32: views never query the
trail): their own sign-ins."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .models import AuditEvent

if TYPE_CHECKING:
    from guichet.accounts.models import User


def previous_sign_in(user: User) -> datetime | None:
    """« Votre dernière ouverture de session a eu lieu le … »: the sign-in before this one, or
    this one on the first (the seed's home page always says it)."""
    logins = AuditEvent.objects.filter(
        action="account.login", object_type="accounts.user", object_id=str(user.pk)
    ).order_by("-occurred_at")
    found = list(logins.values_list("occurred_at", flat=True)[:2])
    return found[-1] if found else None
