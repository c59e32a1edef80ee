"""Commitment clocks (SPEC H2): start on the date of receipt, suspend while incomplete, resume,
stop, and record breaches once. Due dates come from the one business-day calendar
(`core.dates`)."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from guichet.appointments.models import Booking
from guichet.core.dates import add_days, days_between

from .models import Clock, Commitment, DelayUnit

EMAIL_ANSWER = "email-answer"  # « Réponse à votre demande par courriel »
CSQ_FILE_OPENING = "csq-file-opening"  # « Lettre confirmant l'ouverture de votre dossier »
AQ_FIRST_APPOINTMENT = "aq-first-appointment"  # seed 001: the first appointment's details


def kept_by(appointment_type_slug: str) -> Commitment | None:
    """The commitment an appointment type's sessions keep (« Rencontre sur les premières
    démarches d'installation », « S'adapter au monde du travail québécois »), if any."""
    return Commitment.objects.filter(appointment_type_slug=appointment_type_slug).first()


def _due(commitment: Commitment, received_on: date, suspended_days: int) -> date:
    if commitment.unit == DelayUnit.MINUTES:
        raise ValueError(f"{commitment.code}: a delay in minutes has no due date")
    return add_days(received_on, commitment.delay + suspended_days, commitment.unit)


def _of(code: str, target: models.Model) -> models.QuerySet[Clock]:
    return Clock.objects.filter(
        commitment__code=code,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    ).select_related("commitment")


def running(code: str, target: models.Model) -> Clock | None:
    return _of(code, target).filter(stopped_on__isnull=True).first()


def start(code: str, target: models.Model, *, received_on: date) -> Clock:
    """The request's clock for this commitment (the running one, if it has one). The
    commitment must be declared (`Commitment.DoesNotExist` otherwise)."""
    found = running(code, target)
    if found is not None:
        return found
    commitment = Commitment.objects.get(code=code)
    try:
        with transaction.atomic():
            return Clock.objects.create(
                commitment=commitment,
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                received_on=received_on,
                due_on=_due(commitment, received_on, 0),
            )
    except IntegrityError:  # started at the same moment elsewhere
        found = running(code, target)
        assert found is not None
        return found


def start_once(code: str, target: models.Model, *, received_on: date) -> tuple[Clock, bool]:
    """The request's clock for this commitment, started once in its life: (the clock, whether
    it was started now). A request saved again after its clock stopped keeps that clock."""
    found = latest(code, target)
    if found is not None:
        return found, False
    clock = start(code, target, received_on=received_on)
    return clock, True


def suspend(clock: Clock, *, on: date, reason: str = "") -> Clock:
    """The request is incomplete: the clock stops counting from `on`."""
    if clock.stopped_on is None and clock.suspended_since is None:
        clock.suspended_since, clock.suspended_reason = on, reason
        clock.save(update_fields=["suspended_since", "suspended_reason"])
    return clock


def resume(clock: Clock, *, on: date) -> Clock:
    """The missing pieces arrived on `on`: the days suspended are added back (business days
    for a business-day commitment) and the due date moves."""
    if clock.suspended_since is None:
        return clock
    clock.suspended_days += days_between(clock.suspended_since, on, clock.commitment.unit)
    clock.suspended_since, clock.suspended_reason = None, ""
    clock.due_on = _due(clock.commitment, clock.received_on, clock.suspended_days)
    clock.save(update_fields=["suspended_days", "suspended_since", "suspended_reason", "due_on"])
    return clock


def stop(clock: Clock, *, on: date, reason: str = "") -> Clock:
    """What ends the clock happened on `on`: met if on time, else the breach is recorded (once:
    a breach already recorded keeps its date)."""
    if clock.suspended_since is not None:
        resume(clock, on=on)
    clock.stopped_on = on
    fields = ["stopped_on"]
    if on > clock.due_on and clock.breached_on is None:
        clock.breached_on, clock.breach_reason = on, reason
        fields += ["breached_on", "breach_reason"]
    clock.save(update_fields=fields)
    return clock


def forget(target: models.Model) -> int:
    """A request deleted (an unpaid application after 30 days): its clocks go with it."""
    deleted, _ = Clock.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).delete()
    return deleted


def first_offered_on(booking: Booking) -> date:
    """The first day a seat of the booking's appointment type was offered to the person when
    they booked, in the city they chose: the session booked, or an earlier one with a seat
    left. What the declaration promises is an offer within the delay, not the date the person
    prefers."""
    from guichet.appointments.selectors import bookable_sessions

    session = booking.session
    chosen = timezone.localdate(session.starts_at)
    earlier = (
        bookable_sessions(session.appointment_type)
        .filter(place__locality_id=session.place.locality_id, starts_at__lt=session.starts_at)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return min(chosen, timezone.localdate(earlier)) if earlier is not None else chosen


def record_offer(booking: Booking, commitment: Commitment) -> Clock:
    """A booking of a first-steps meeting or an « S'adapter » session: its clock starts on the
    day it is asked for and stops at once on the first day a seat was offered — met if that
    day is within the delay, a breach otherwise, whatever later date the person picked."""
    clock = start(commitment.code, booking, received_on=timezone.localdate(booking.created_at))
    if clock.stopped_on is None:
        stop(clock, on=first_offered_on(booking))
    return clock


def record_breaches(*, today: date) -> int:
    """Running clocks past their due date, not suspended: their breach is recorded, once."""
    return Clock.objects.filter(
        stopped_on__isnull=True,
        suspended_since__isnull=True,
        breached_on__isnull=True,
        due_on__lt=today,
    ).update(breached_on=today)


def explain_breach(clock: Clock, *, reason: str) -> Clock:
    """Staff give the reason of a breach already recorded."""
    if clock.breached_on is not None:
        clock.breach_reason = reason
        clock.save(update_fields=["breach_reason"])
    return clock


def answer_clocks(dossier_ids: list[int]) -> dict[int, Clock]:
    """The running « Réponse à votre demande par courriel » clocks of these dossiers' message
    threads, by dossier (one query each for the threads and the clocks: the agents' queue)."""
    from guichet.messaging.models import Thread

    threads = dict(
        Thread.objects.filter(dossier_id__in=dossier_ids).values_list("pk", "dossier_id")
    )
    found = Clock.objects.filter(
        commitment__code=EMAIL_ANSWER,
        target_type=ContentType.objects.get_for_model(Thread),
        target_id__in=list(threads),
        stopped_on__isnull=True,
    )
    return {threads[clock.target_id]: clock for clock in found}


def latest(code: str, target: models.Model) -> Clock | None:
    """The request's last clock for this commitment, running or stopped."""
    return _of(code, target).order_by("-created_at", "-pk").first()


def clocks_of(
    codes: list[str], model: type[models.Model], ids: list[int]
) -> dict[tuple[str, int], Clock]:
    """The last clock of each of these records for each commitment, by (code, record id), in
    one query (a queue's due dates)."""
    found = (
        Clock.objects.filter(
            commitment__code__in=codes,
            target_type=ContentType.objects.get_for_model(model),
            target_id__in=ids,
        )
        .select_related("commitment")
        .order_by("created_at", "pk")
    )
    return {(clock.commitment.code, clock.target_id): clock for clock in found}
