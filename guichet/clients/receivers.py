"""Reactions of the client app to what accounts announce."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from guichet.accounts.models import User
from guichet.accounts.signals import profile_created

from .authorization import link_profile


@receiver(profile_created)
def link_registration(
    sender: type[User], *, user: User, authorization: dict[str, Any] | None, **kwargs: Any
) -> None:
    """A profile made with a verified authorization code is linked to the registration a
    partner made (seed 000 §3.2)."""
    if authorization and authorization.get("verified"):
        link_profile(authorization_id=authorization["id"], user=user)
