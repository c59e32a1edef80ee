"""Reads about accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from .models import PersonalProfile, User


def identifying_user(user_id: object, *, active_only: bool = False) -> User | None:
    """The account a sign-in or a recovery in progress is about (its id kept in the visitor's
    session after the first step), before anyone is signed in."""
    if not isinstance(user_id, int):
        return None
    found = User.objects.filter(pk=user_id)
    return (found.filter(is_active=True) if active_only else found).first()


def personal_profile(user: User) -> PersonalProfile | None:
    """The « Renseignements personnels » of this consultation profile, if filled in."""
    return PersonalProfile.objects.filter(user=user).first()


def profile_snapshot(user: User) -> dict[str, Any]:
    """The personal information as it stands, to keep with a submitted form (read from the
    client record for the identity of a registered person)."""
    profile = personal_profile(user)
    if profile is None:
        return {}
    snapshot: dict[str, Any] = {"email": user.email}
    for field in PersonalProfile._meta.concrete_fields:
        if field.name in {"id", "user", "updated_at", "own_sex", "own_birth_date"}:
            continue
        value = getattr(profile, field.name)
        snapshot[field.name] = value.isoformat() if isinstance(value, date) else str(value or "")
    # The identity, from wherever it is stored (the client record for a registered person).
    snapshot["sex"] = profile.sex
    snapshot["birth_date"] = profile.birth_date.isoformat() if profile.birth_date else ""
    return snapshot
