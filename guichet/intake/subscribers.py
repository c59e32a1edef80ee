"""The CSQ application's letters follow the events (issue 32; ADR 0023): its counted
submission, its payment and the opening of its file each store their letter in « Mes
documents » (a task: a PDF is rendered outside the request). The rules that make those changes
(`csq`, `services`) do not know the letters exist."""

from __future__ import annotations

from guichet.core import events
from guichet.core.models import Event

from .documents import store_file_opening, store_payment_confirmation, store_quota_confirmation
from .kinds.csq import kind as csq
from .models import Application


def on_counted(event: Event) -> None:
    store_quota_confirmation.enqueue(application_id=int(event.subject_id))


def on_paid(event: Event) -> None:
    if event.payload.get("kind") != csq.CODE:
        return
    found = Application.objects.filter(dossier_id=event.subject_id).values_list("pk", flat=True)
    for application_id in found:
        store_payment_confirmation.enqueue(application_id=application_id)


def on_file_opened(event: Event) -> None:
    store_file_opening.enqueue(application_id=int(event.subject_id))


def connect() -> None:
    """Subscribe to the events (IntakeConfig.ready)."""
    events.subscribe("application.counted", on_counted)
    events.subscribe("dossier.pay", on_paid)
    events.subscribe("application.file_opened", on_file_opened)
