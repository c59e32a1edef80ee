"""Reads about accounts."""

from __future__ import annotations

from .models import PersonalProfile, User


def personal_profile(user: User) -> PersonalProfile | None:
    """The « Renseignements personnels » of this consultation profile, if filled in."""
    return PersonalProfile.objects.filter(user=user).first()
