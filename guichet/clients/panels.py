"""« Mon inscription au Service » on the home page (`core.panels`, issue 32): a signed-in
client's registration to the appointment service, or the way to register."""

from __future__ import annotations

from typing import Any

from django.template import Context

from guichet.accounts.models import Role
from guichet.core import panels


def registration(page: Context) -> dict[str, Any] | None:
    user = getattr(page.get("request"), "user", None)
    if user is None or not user.is_authenticated or user.role != Role.CLIENT:
        return None
    return {"user": user}


def connect() -> None:
    panels.register("core.home", "clients/_home_panel.html", registration)
