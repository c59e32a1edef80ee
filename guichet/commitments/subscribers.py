"""The clocks of the requests Guichet handles, started and stopped by the events that announce
what happened to them (`core.events`, ADR 0023), after commit — on every path, the admin's
included, since every change of status is announced.

- « message.posted »: the message centre's commitment (seed 003: « Réponse à votre demande par
  courriel — 5 jours »): a client's message starts the thread's clock (received the day it was
  sent), the ministry's answer stops it. A notice Guichet writes changes nothing.
- « dossier.* »: a kind that names a commitment (`DossierKind.clock`, data) has its requests
  measured from receipt: suspended in the statuses the rule names, dropped in those it is not
  processed in, stopped by the rule's event; a dossier deleted takes its clocks with it.
- « booking.created »: a first-steps meeting or an « S'adapter » session: was a seat offered
  within the delay (`clocks.record_offer`)? The person's choice of a later date is never a
  breach."""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from guichet.appointments.models import Booking
from guichet.core import events
from guichet.core.models import Event
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.registry import ClockRule, all_kinds, get_kind
from guichet.messaging.models import Message, Sender

from . import clocks
from .clocks import EMAIL_ANSWER
from .models import Clock, Commitment

logger = logging.getLogger(__name__)


def _day(event: Event) -> date:
    return timezone.localdate(event.occurred_at)


def on_message(event: Event) -> None:
    message = Message.objects.select_related("thread").filter(pk=event.subject_id).first()
    if message is None:
        return
    day = timezone.localdate(message.created_at)
    try:
        if message.sender == Sender.CLIENT:
            clocks.start(EMAIL_ANSWER, message.thread, received_on=day)
        elif message.sender == Sender.MINISTRY:
            clock = clocks.running(EMAIL_ANSWER, message.thread)
            if clock is not None:
                clocks.stop(clock, on=day)
    except Commitment.DoesNotExist:  # the declaration was not loaded (an emptied database)
        logger.warning("commitments: %s is not declared", EMAIL_ANSWER)


# --- The requests of the dossier engine --------------------------------------------------------


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in Montréal."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _rule(dossier: Dossier) -> ClockRule | None:
    kind = get_kind(dossier.kind)
    return kind.clock if kind is not None else None


def on_dossier(event: Event) -> None:
    """Any step of a dossier (its kind's table), its first appointment sent, its deletion."""
    if event.type == "dossier.deleted":
        Clock.objects.filter(
            target_type=ContentType.objects.get_for_model(Dossier), target_id=event.subject_id
        ).delete()
        return
    dossier = Dossier.objects.filter(pk=event.subject_id).first()
    rule = _rule(dossier) if dossier is not None else None
    if dossier is None or rule is None:
        return
    try:
        _follow(dossier, rule, event)
    except Commitment.DoesNotExist:
        logger.warning("commitments: %s is not declared", rule.commitment)


def _follow(dossier: Dossier, rule: ClockRule, event: Event) -> None:
    if dossier.submitted_at is None or dossier.status in (
        DossierStatus.DRAFT,
        DossierStatus.WITHDRAWN,
    ):
        return
    if dossier.status in rule.dropped_in:
        clocks.forget(dossier)  # not a request the ministry processes
        return
    received = timezone.localdate(dossier.submitted_at)
    clock, started = clocks.start_once(rule.commitment, dossier, received_on=received)
    if clock.stopped_on is not None:
        return
    if event.type == rule.stops_on:
        clocks.stop(clock, on=_day(event))
        return
    reason = rule.suspended_in.get(dossier.status)
    if reason and started:
        clocks.suspend(clock, on=received, reason=reason)
    elif not reason and clock.suspended_reason in rule.suspended_in.values():
        clocks.resume(clock, on=_day(event))
    if rule.keep_due is not None:
        rule.keep_due(dossier.pk, end_of_day(clock.due_on))


def on_promise_kept(event: Event) -> None:
    """An event that keeps a kind's promise about another subject (« application.file_opened »
    names its dossier in its payload): the dossier's running clock stops."""
    dossier = Dossier.objects.filter(pk=event.payload.get("dossier") or 0).first()
    rule = _rule(dossier) if dossier is not None else None
    if dossier is None or rule is None or rule.stops_on != event.type:
        return
    clock = clocks.running(rule.commitment, dossier)
    if clock is not None:
        clocks.stop(clock, on=_day(event))


# --- The appointments the declaration promises within a delay ----------------------------------


def on_booking_created(event: Event) -> None:
    """A seat offered within the delay from the day it was asked for; a rescheduled one (a new
    booking) is offered again within it, counted from the day of the change (seed 003)."""
    booking = (
        Booking.objects.select_related("session__appointment_type", "session__place")
        .filter(pk=event.subject_id)
        .first()
    )
    if booking is None:
        return
    commitment = clocks.kept_by(booking.session.appointment_type.slug)
    if commitment is not None:
        clocks.record_offer(booking, commitment)


def connect() -> None:
    """Subscribe to the events (CommitmentsConfig.ready)."""
    events.subscribe("message.posted", on_message)
    events.subscribe("dossier.*", on_dossier)
    events.subscribe("booking.created", on_booking_created)
    for kind in all_kinds():
        if kind.clock is not None and not kind.clock.stops_on.startswith("dossier."):
            events.subscribe(kind.clock.stops_on, on_promise_kept)
