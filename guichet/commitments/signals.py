"""The clocks of the requests Guichet handles, started and stopped by what happens to them.

The message centre's commitment (seed 003: « Réponse à votre demande par courriel — 5
jours »): a client's message starts the thread's clock (the date of receipt is the day it was
sent), the ministry's answer stops it. A notice Guichet writes (`system`) changes nothing."""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from guichet.appointments.models import Booking
from guichet.dossiers.kinds.accompagnement.kind import ACCOMPAGNEMENT_QUEBEC
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.intake.csq import CODE as CSQ_KIND
from guichet.intake.models import Application
from guichet.messaging.models import Message, Sender

from . import clocks
from .clocks import EMAIL_ANSWER
from .models import Commitment, SuspensionReason

logger = logging.getLogger(__name__)


def on_message(sender: type[Message], instance: Message, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    day = timezone.localdate(instance.created_at)
    try:
        if instance.sender == Sender.CLIENT:
            clocks.start(EMAIL_ANSWER, instance.thread, received_on=day)
        elif instance.sender == Sender.MINISTRY:
            clock = clocks.running(EMAIL_ANSWER, instance.thread)
            if clock is not None:
                clocks.stop(clock, on=day)
    except Commitment.DoesNotExist:  # the declaration was not loaded (an emptied database)
        logger.warning("commitments: %s is not declared", EMAIL_ANSWER)


# --- The requests of the dossier engine --------------------------------------------------------

FEES_UNPAID = SuspensionReason.FEES_UNPAID


def on_dossier(sender: type[Dossier], instance: Dossier, **kwargs: Any) -> None:
    """A CSQ application: its file-opening letter is due 30 business days after receipt, the
    clock suspended while the fees are unpaid (« acquitter les frais exigés »). An Accompagnement
    Québec dossier: its first appointment's details are due by the next business day; the
    dossier's due time follows the clock."""
    if instance.submitted_at is None or instance.status in (
        DossierStatus.DRAFT,
        DossierStatus.WITHDRAWN,
    ):
        return
    received = timezone.localdate(instance.submitted_at)
    try:
        if instance.kind == CSQ_KIND:
            _csq(instance, received)
        elif instance.kind == ACCOMPAGNEMENT_QUEBEC.code:
            _accompagnement(instance, received)
    except Commitment.DoesNotExist:
        logger.warning("commitments: the declaration is not loaded")


def _csq(dossier: Dossier, received: date) -> None:
    if dossier.status in (DossierStatus.SET_ASIDE, DossierStatus.REFUSED):
        clocks.forget(dossier)  # not an application the ministry processes
        return
    clock, started = clocks.start_once(clocks.CSQ_FILE_OPENING, dossier, received_on=received)
    if clock.stopped_on is not None:
        return
    if dossier.status == DossierStatus.SUBMITTED and started:
        clocks.suspend(clock, on=received, reason=FEES_UNPAID)
    elif dossier.status != DossierStatus.SUBMITTED and clock.suspended_reason == FEES_UNPAID:
        clocks.resume(clock, on=timezone.localdate())


def _accompagnement(dossier: Dossier, received: date) -> None:
    clock, _started = clocks.start_once(clocks.AQ_FIRST_APPOINTMENT, dossier, received_on=received)
    if dossier.first_appointment_sent_at is not None:
        if clock.stopped_on is None:
            clocks.stop(clock, on=timezone.localdate(dossier.first_appointment_sent_at))
        return
    due = end_of_day(clock.due_on)
    if dossier.first_appointment_due_at != due:
        Dossier.objects.filter(pk=dossier.pk).update(first_appointment_due_at=due)
        dossier.first_appointment_due_at = due


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in Montréal."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def on_application(sender: type[Application], instance: Application, **kwargs: Any) -> None:
    """« Envoyer la lettre d'ouverture de dossier » stops the 30-day clock."""
    if instance.file_opened_at is None:
        return
    clock = clocks.running(clocks.CSQ_FILE_OPENING, instance.dossier)
    if clock is not None:
        clocks.stop(clock, on=timezone.localdate(instance.file_opened_at))


def on_dossier_deleted(sender: type[Dossier], instance: Dossier, **kwargs: Any) -> None:
    """An unpaid application deleted after 30 days, a draft thrown away: no clock is left."""
    clocks.forget(instance)


# --- The appointments the declaration promises within a delay ----------------------------------


def on_booking(sender: type[Booking], instance: Booking, created: bool, **kwargs: Any) -> None:
    """A first-steps meeting or an « S'adapter » session: the declaration promises a seat
    offered within its delay from the day it is asked for; a rescheduled one (a new booking)
    is offered again within it, counted from the day of the change (seed 003). Measured at
    booking: was a seat offered in time (`clocks.record_offer`)? The person's choice of a later
    date is never a breach."""
    if not created:
        return
    commitment = clocks.kept_by(instance.session.appointment_type.slug)
    if commitment is not None:
        clocks.record_offer(instance, commitment)
