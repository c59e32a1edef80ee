"""The service commitments (seed 003, SPEC H1-H3): the ministry's closure days, which the
business-day clock (`core.dates`) skips like holidays, and the suspension of a request's clock
while it is incomplete. Every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.dates import quebec_holidays
from guichet.core.models import ClosureDay
from guichet.core.refusals import Refused

from . import clocks
from .models import Clock

# A clock that runs on a confidential request (a complaint) records its changes in that
# request's own trail, not in the general audit trail administrators read:
# {model label: writer(actor, action, target id, details)}, filled by the apps that need it.
TRAILS: dict[str, Callable[[Actor, str, int, dict[str, Any]], None]] = {}


def _audit_clock(
    actor: Actor, action: str, clock: Clock, details: dict[str, Any] | None = None
) -> None:
    label = f"{clock.target_type.app_label}.{clock.target_type.model}"
    writer = TRAILS.get(label)
    if writer is not None:
        writer(actor, action, clock.target_id, details or {})
    else:
        audit(actor, action, clock, details=details)


def add_closure_day(
    *, actor: Actor | User, day: date, reason_fr: str, reason_en: str
) -> ClosureDay:
    """A day the ministry closes: not a weekend, not already a holiday, not already closed."""
    actor = as_actor(actor)
    if day.weekday() >= 5:
        raise Refused(
            "weekend",
            _("Ce jour est un samedi ou un dimanche : il n'est pas ouvrable."),
            field="day",
        )
    holiday = quebec_holidays(day, day).get(day)
    if holiday:
        raise Refused(
            "holiday", _("Ce jour est déjà férié : %(name)s.") % {"name": holiday}, field="day"
        )
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(
                day=day, reason_fr=reason_fr, reason_en=reason_en, created_by=actor.person
            )
            audit(actor, "commitments.closure_day_added", closure, details={"day": day.isoformat()})
    except IntegrityError:
        raise Refused("exists", _("Ce jour est déjà un jour de fermeture."), field="day") from None
    return closure


@transaction.atomic
def remove_closure_day(*, actor: Actor | User, closure: ClosureDay) -> None:
    audit(
        as_actor(actor),
        "commitments.closure_day_removed",
        closure,
        details={"day": closure.day.isoformat()},
    )
    closure.delete()


# --- Suspending a request's clock (SPEC H1 §2) ---------------------------------------------------


@transaction.atomic
def suspend_clock(*, actor: Actor | User, clock: Clock, reason: str) -> Clock:
    """The request is incomplete: staff suspend its clock from today, with the reason the
    person will read. The caller has checked that the actor may see the request."""
    actor = as_actor(actor)
    if clock.stopped_on is not None or clock.suspended:
        raise Refused("not_running", _("Ce délai n'est pas en cours."))
    clocks.suspend(clock, on=timezone.localdate(), reason=reason)
    _audit_clock(actor, "commitment.suspended", clock, {"reason": reason})
    return clock


@transaction.atomic
def resume_clock(*, actor: Actor | User, clock: Clock) -> Clock:
    """The missing pieces arrived: the days suspended are added back to the delay."""
    actor = as_actor(actor)
    if not clock.suspended or clock.stopped_on is not None:
        raise Refused("not_suspended", _("Ce délai n'est pas suspendu."))
    clocks.resume(clock, on=timezone.localdate())
    _audit_clock(actor, "commitment.resumed", clock, {"due_on": clock.due_on.isoformat()})
    return clock


@transaction.atomic
def explain_breach(*, actor: Actor | User, clock: Clock, reason: str) -> Clock:
    """Staff give (or correct) the reason of a breach already recorded."""
    actor = as_actor(actor)
    if clock.breached_on is None:
        raise Refused("no_breach", _("Aucun manquement n'est constaté pour ce délai."))
    clocks.explain_breach(clock, reason=reason.strip())
    _audit_clock(actor, "commitment.breach_explained", clock)
    return clock
