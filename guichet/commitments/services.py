"""The service commitments (seed 003, SPEC H1-H3). First step: the ministry's closure days,
which the business-day clock (`core.dates`) skips like holidays. Every change is audited."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.dates import quebec_holidays
from guichet.core.models import ClosureDay
from guichet.core.refusals import Refused


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
