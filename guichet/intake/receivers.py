"""What the intake does when accounts tell it something."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from guichet.accounts.signals import identity_changed

from .services import flag_transfer


@receiver(identity_changed)
def identity_changed_after_submission(sender: Any, user: Any, **kwargs: Any) -> None:
    flag_transfer(user)
