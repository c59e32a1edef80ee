"""The quota, exact under any concurrency (seed 002; SPEC F4). A place is taken by one
conditional UPDATE of the period's counters (`taken + reserved < quota`, re-checked by the
database after any lock wait), and a CHECK refuses any row where they exceed it: never a count
followed by an insert. A reservation (an admitted candidate's window in the waiting room) takes
its place the same way when it is made, so that nobody admitted loses to the quota; their
submission turns it into a taken place without a new check.

The API the waiting room uses: `reserve`, `release`, `expire_reservations`, `active_reservation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.core.refusals import Refused
from guichet.core.transitions import move

from .models import (
    PLACE_TRANSITIONS,
    RESERVATION_TRANSITIONS,
    Application,
    IntakePeriod,
    Place,
    PlaceStatus,
    Reservation,
    ReservationStatus,
)

WINDOW = timedelta(minutes=10)


def quota_reached() -> Refused:
    return Refused(
        "quota_reached",
        _(
            "Le nombre maximal de demandes à recevoir par le Ministère est atteint : la fonction "
            "permettant de soumettre une demande ne peut pas être activée."
        ),
    )


def places_reserved() -> Refused:
    return Refused(
        "places_reserved",
        _(
            "Toutes les places libres sont réservées à des candidats admis de la salle d'attente, "
            "qui ont 10 minutes pour soumettre : le nombre maximal n'est pas atteint, une place "
            "non utilisée revient aux candidats qui attendent."
        ),
    )


def no_place_left(period: IntakePeriod) -> Refused:
    """Why no place could be taken, truly: « atteint » only when every place is taken."""
    fresh = IntakePeriod.objects.filter(pk=period.pk).values_list("taken", "quota").first()
    if fresh is not None and fresh[0] < fresh[1]:
        return places_reserved()
    return quota_reached()


# --- Reservations (the waiting room's windows) ------------------------------------------------


@transaction.atomic
def reserve(
    *, period: IntakePeriod, user: User, window: timedelta = WINDOW, now: datetime | None = None
) -> Reservation:
    """Hold a place for `user` for `window` (idempotent: the live reservation they already have
    is returned). Refused once the quota has no place left."""
    now = now or timezone.now()
    live = active_reservation(period=period, user=user, now=now)
    if live is not None:
        return live
    moved = IntakePeriod.objects.filter(pk=period.pk, taken__lt=F("quota") - F("reserved")).update(
        reserved=F("reserved") + 1
    )
    if not moved:
        raise quota_reached()
    try:
        with transaction.atomic():
            return Reservation.objects.create(
                period=period, user=user, created_at=now, expires_at=now + window
            )
    except IntegrityError:
        # An expired one not given back yet, or a parallel call that won: give back ours.
        IntakePeriod.objects.filter(pk=period.pk).update(reserved=F("reserved") - 1)
        stale = Reservation.objects.filter(
            period=period, user=user, status=ReservationStatus.ACTIVE
        ).first()
        if stale is not None and stale.expires_at > now:
            return stale
        if stale is not None:
            _end(stale.pk, now)
        return reserve(period=period, user=user, window=window, now=now)


def active_reservation(
    *, period: IntakePeriod, user: User, now: datetime | None = None
) -> Reservation | None:
    now = now or timezone.now()
    return Reservation.objects.filter(
        period=period, user=user, status=ReservationStatus.ACTIVE, expires_at__gt=now
    ).first()


def _end(reservation_id: int, now: datetime) -> bool:
    """End a live reservation (expired) and give its place back: one conditional UPDATE claims
    it, so two callers never give the same place back twice."""
    with transaction.atomic():
        row = Reservation.objects.filter(pk=reservation_id, status=ReservationStatus.ACTIVE)
        period_id = row.values_list("period_id", flat=True).first()
        if period_id is None:
            return False
        _lock_period(period_id)
        if not move(row, RESERVATION_TRANSITIONS, "expire", ended_at=now):
            return False
        IntakePeriod.objects.filter(pk=period_id).update(reserved=F("reserved") - 1)
        return True


def _lock_period(period_id: int) -> None:
    """Every write of the quota locks the period's row before any reservation's: one order for
    all (a submission, the controller's round, a release), so that none waits on another that
    waits on it. FOR NO KEY UPDATE: the inserts that only refer to the period still go on."""
    IntakePeriod.objects.select_for_update(no_key=True).filter(pk=period_id).values_list(
        "pk", flat=True
    ).first()


def release(reservation: Reservation, *, now: datetime | None = None) -> bool:
    """The window is given up (the candidate left): its place goes back to the quota."""
    return _end(reservation.pk, now or timezone.now())


def expire_reservations(*, now: datetime | None = None, period: IntakePeriod | None = None) -> int:
    """Give back the places of windows that ended unused (safe to run in parallel)."""
    now = now or timezone.now()
    ended = Reservation.objects.filter(status=ReservationStatus.ACTIVE, expires_at__lte=now)
    if period is not None:
        ended = ended.filter(period=period)
    return sum(_end(pk, now) for pk in ended.values_list("pk", flat=True))


# --- Places ------------------------------------------------------------------------------------


def take_place(*, period: IntakePeriod, user: User, application: Application) -> Place:
    """Inside the submission's transaction: the submitter's live reservation becomes the place
    (no new check: it was counted when made), else a free place is taken by the conditional
    UPDATE, else the quota is reached."""
    now = timezone.now()
    _lock_period(period.pk)
    reservation = (
        Reservation.objects.select_for_update()
        .filter(period=period, user=user, status=ReservationStatus.ACTIVE, expires_at__gt=now)
        .first()
    )
    used = reservation is not None and bool(
        move(
            Reservation.objects.filter(pk=reservation.pk),
            RESERVATION_TRANSITIONS,
            "use",
            ended_at=now,
        )
    )
    if used:
        IntakePeriod.objects.filter(pk=period.pk).update(
            taken=F("taken") + 1, reserved=F("reserved") - 1
        )
    elif not IntakePeriod.objects.filter(pk=period.pk, taken__lt=F("quota") - F("reserved")).update(
        taken=F("taken") + 1
    ):
        raise no_place_left(period)
    return Place.objects.create(
        period=period,
        application=application,
        dossier_number=application.dossier.number,
        via_reservation=used,
        taken_at=now,
    )


def mark_paid(application: Application) -> None:
    move(
        Place.objects.filter(application=application),
        PLACE_TRANSITIONS,
        "pay",
        paid_at=timezone.now(),
    )


def release_place(application: Application) -> bool:
    """The application's place goes back to its period (deleted unpaid, set aside, refused):
    claimed by one conditional UPDATE, so a parallel run never releases it twice."""
    place = Place.objects.filter(application=application).first()
    if place is None:
        return False
    with transaction.atomic():
        moved = move(
            Place.objects.filter(pk=place.pk),
            PLACE_TRANSITIONS,
            "release",
            released_at=timezone.now(),
        )
        if moved:
            IntakePeriod.objects.filter(pk=place.period_id).update(taken=F("taken") - 1)
    return bool(moved)


@dataclass(frozen=True)
class Figures:
    """A period's places, live: the intake officers' count against the quota."""

    quota: int
    submitted: int  # held: submitted, not paid yet
    paid: int
    reserved: int
    released: int
    outside_quota: int

    @property
    def places_left(self) -> int:
        return max(self.quota - self.submitted - self.paid - self.reserved, 0)


def figures(period: IntakePeriod) -> Figures:
    counts = Place.objects.filter(period=period).aggregate(
        held=Count("pk", filter=Q(status=PlaceStatus.HELD)),
        paid=Count("pk", filter=Q(status=PlaceStatus.PAID)),
        released=Count("pk", filter=Q(status=PlaceStatus.RELEASED)),
    )
    fresh = IntakePeriod.objects.get(pk=period.pk)
    outside = (
        Application.objects.filter(period=period, counted=True).exclude(category="quota").count()
    )
    return Figures(
        quota=fresh.quota,
        submitted=counts["held"],
        paid=counts["paid"],
        reserved=fresh.reserved,
        released=counts["released"],
        outside_quota=outside,
    )


def release_held(*, user: User, now: datetime | None = None) -> int:
    """The holder can no longer use their reservation (submitted outside the quota, in
    verification, set aside, refused): its place goes back at once, not at the window's end."""
    now = now or timezone.now()
    held = Reservation.objects.filter(user=user, status=ReservationStatus.ACTIVE)
    return sum(_end(pk, now) for pk in held.values_list("pk", flat=True))
