from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import TemporaryPassword, User, canonical_user_code


class TemporaryPasswordBackend(ModelBackend):
    """Accepts a valid, unused temporary password once (seed 000 §4.3), then the account must
    choose a new password before doing anything else."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        canonical = canonical_user_code(username)
        if not canonical:
            return None
        user = User.objects.filter(username__iexact=canonical, is_active=True).first()
        if user is None:
            return None
        now = timezone.now()
        candidates = TemporaryPassword.objects.filter(
            user=user, used_at__isnull=True, expires_at__gt=now
        )
        for candidate in candidates:
            if check_password(password, candidate.password_hash):
                with transaction.atomic():
                    # Single use, even if two logins race: only one update finds it unused.
                    claimed = TemporaryPassword.objects.filter(
                        pk=candidate.pk, used_at__isnull=True
                    ).update(used_at=now)
                    if not claimed:
                        return None
                    User.objects.filter(pk=user.pk).update(must_change_password=True)
                user.must_change_password = True
                return user
        return None
