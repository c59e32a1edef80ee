"""« Donner mon avis »: the satisfaction survey offered on the pages of the apps below (a
closed dossier, an appointment held), once per subject (`core.panels`, issue 32)."""

from __future__ import annotations

from typing import Any

from django.template import Context

from guichet.core import panels

from . import survey


def _answered(page: Context, subject: str) -> set[int]:
    """The subjects the signed-in person answered about, once per page."""
    key = f"complaints.answered.{subject}"
    cache = page.render_context
    if key not in cache:
        user = getattr(page.get("request"), "user", None)
        cache[key] = (
            survey.answered(user, subject) if user is not None and user.is_authenticated else set()
        )
    return cache[key]


def closed_dossier(page: Context, dossier: Any) -> dict[str, Any] | None:
    if getattr(dossier, "status", "") != "closed" or dossier.pk in _answered(page, "dossier"):
        return None
    return {"dossier": dossier}


def held_appointment(page: Context, booking: Any) -> dict[str, Any] | None:
    if getattr(booking, "status", "") != "completed":
        return None
    if booking.pk in _answered(page, "appointment"):
        return None
    return {"booking": booking}


def connect() -> None:
    panels.register("dossier.notices", "complaints/_dossier_survey.html", closed_dossier, order=-1)
    panels.register(
        "appointments.booking.actions", "complaints/_booking_survey.html", held_appointment
    )
