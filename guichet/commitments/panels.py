"""What the commitments show on the pages of the apps below them (`core.panels`, issue 32):
a request's due date on the dossier's page and Mon projet Québec's home, the answer due in a
message thread, the date a rescheduled appointment is offered by."""

from __future__ import annotations

from typing import Any

from django.template import Context
from django.utils import timezone

from guichet.core import panels
from guichet.core.dates import add_days
from guichet.dossiers.registry import get_kind

from . import clocks
from .clocks import EMAIL_ANSWER


def dossier_due(page: Context, dossier: Any) -> dict[str, Any] | None:
    """The commitment its kind names (`DossierKind.clock`): due, suspended, done."""
    kind = get_kind(getattr(dossier, "kind", ""))
    rule = kind.clock if kind is not None else None
    if rule is None or getattr(dossier, "pk", None) is None:
        return None
    clock = clocks.latest(rule.commitment, dossier)
    return {"clock": clock, "what": rule.what} if clock is not None else None


def answer_due(page: Context, thread: Any) -> dict[str, Any] | None:
    """« Réponse à votre demande par courriel »: the running clock of a thread."""
    if thread is None or getattr(thread, "pk", None) is None:
        return None
    clock = clocks.running(EMAIL_ANSWER, thread)
    return {"clock": clock} if clock is not None else None


def reschedule_due(page: Context, booking: Any, slots: list[Any]) -> dict[str, Any] | None:
    """« Si vous décidez de reporter la date de votre rendez-vous, un nouveau rendez-vous vous
    sera proposé selon les délais indiqués »: the date the new one is due by, and whether a
    free slot is offered by then."""
    session = getattr(booking, "session", None)
    commitment = clocks.kept_by(session.appointment_type.slug) if session is not None else None
    if commitment is None:
        return None
    deadline = add_days(timezone.localdate(), commitment.delay, commitment.unit)
    in_time = any(
        not slot.is_full and timezone.localdate(slot.starts_at) <= deadline for slot in slots
    )
    return {"offer": {"commitment": commitment, "deadline": deadline, "in_time": in_time}}


def connect() -> None:
    panels.register("dossier.notices", "commitments/_due.html", dossier_due)
    panels.register("messaging.thread", "commitments/_answer_due.html", answer_due)
    panels.register("appointments.reschedule", "commitments/_reschedule_offer.html", reschedule_due)
