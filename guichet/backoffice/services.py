"""Calendar work of partner organisations and ministry offices (SPEC D2, D4): sessions one by one
or as a weekly series that skips Québec statutory holidays, capacity changes that never go below
the seats taken, cancelling a session, attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone, translation

from guichet.accounts.models import User
from guichet.appointments import notifications
from guichet.appointments.models import (
    AppointmentType,
    Booking,
    BookingStatus,
    ModuleAttendance,
    Place,
    Session,
    SessionModule,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from guichet.appointments.services import ATTENDANCE, attendance_refusal
from guichet.audit.services import audit


class CalendarRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def quebec_holidays(first: date, last: date) -> dict[date, str]:
    """Statutory holidays of Québec between two dates, named in the current language."""
    years = range(first.year, last.year + 1)
    language = "en_CA" if translation.get_language() == "en" else "fr"
    return dict(holidays.Canada(subdiv="QC", years=years, language=language).items())


@dataclass(frozen=True)
class SeriesPlan:
    dates: list[date]
    skipped: list[tuple[date, str]]


def plan_series(first: date, weeks: int, skip_holidays: bool = True) -> SeriesPlan:
    """The dates of a weekly series: `weeks` occurrences from `first`, holidays skipped."""
    candidates = [first + timedelta(weeks=n) for n in range(weeks)]
    closed = quebec_holidays(candidates[0], candidates[-1]) if skip_holidays else {}
    return SeriesPlan(
        dates=[d for d in candidates if d not in closed],
        skipped=[(d, closed[d]) for d in candidates if d in closed],
    )


@transaction.atomic
def create_sessions(
    *,
    actor: User,
    appointment_type: AppointmentType,
    place: Place,
    dates: list[date],
    at: time,
    duration_minutes: int,
    capacity: int,
    modules: list[tuple[datetime, int]] | None = None,
    request: HttpRequest | None = None,
) -> list[Session]:
    """One session per date; with `modules` (one date only), a multi-module schedule whose first
    module is the session's own date, time and duration."""
    if modules and len(dates) != 1:
        raise CalendarRefused("modules_single")
    tz = timezone.get_current_timezone()
    created = Session.objects.bulk_create(
        Session(
            appointment_type=appointment_type,
            organisation=place.organisation,
            place=place,
            starts_at=datetime.combine(day, at, tzinfo=tz),
            duration_minutes=duration_minutes,
            capacity=capacity,
        )
        for day in dates
    )
    if modules:
        session = created[0]
        SessionModule.objects.bulk_create(
            SessionModule(session=session, position=n, starts_at=start, duration_minutes=minutes)
            for n, (start, minutes) in enumerate(
                [(session.starts_at, duration_minutes), *modules], start=1
            )
        )
    audit(
        actor,
        "sessions.created",
        place.organisation,
        source=actor.source,
        request=request,
        details={"type": appointment_type.pk, "place": place.pk, "count": len(created)},
    )
    return created


@transaction.atomic
def change_capacity(
    *, session: Session, capacity: int, actor: User, request: HttpRequest | None = None
) -> None:
    """Never below the seats taken (and held for the waitlist): a conditional UPDATE, so a
    booking landing at the same moment is counted."""
    if capacity < 1:
        raise CalendarRefused("capacity_positive")
    changed = Session.objects.filter(
        pk=session.pk, seats_taken__lte=capacity - F("seats_held")
    ).update(capacity=capacity)
    if not changed:
        raise CalendarRefused("below_taken")
    audit(
        actor,
        "session.capacity_changed",
        session,
        source=actor.source,
        request=request,
        details={"from": session.capacity, "to": capacity},
    )


def add_overbooked_seat(
    *, session: Session, actor: User, reason: str, request: HttpRequest | None = None
) -> None:
    """The explicit overbooking override: one more seat, only when the session is full, audited
    with the reason. Called in the booking's transaction, so the capacity constraint still holds
    (the seat is added, then taken) and a refused booking takes the seat back."""
    added = Session.objects.filter(
        pk=session.pk, seats_taken__gte=F("capacity") - F("seats_held")
    ).update(capacity=F("capacity") + 1)
    if added:
        audit(
            actor,
            "session.overbooked",
            session,
            source=actor.source,
            request=request,
            details={"reason": reason.strip()},
        )


@transaction.atomic
def cancel_session(*, session: Session, actor: User, request: HttpRequest | None = None) -> int:
    """« Annulé » for every booked client (source Partenaire or Ministère), each notified; the
    waitlist closes. Returns how many bookings were cancelled."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status == SessionStatus.CANCELLED:
        raise CalendarRefused("already_cancelled")
    bookings = list(
        Booking.objects.select_for_update()
        .filter(session=locked, status=BookingStatus.BOOKED)
        .select_related("session")
    )
    now = timezone.now()
    for booking in bookings:
        Booking.objects.filter(pk=booking.pk).update(
            status=BookingStatus.CANCELLED,
            changed_source=actor.source,
            changed_at=now,
            calendar_sequence=F("calendar_sequence") + 1,
        )
        notifications.booking_cancelled(booking)
    WaitlistEntry.objects.filter(
        session=locked, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    ).update(status=WaitlistStatus.WITHDRAWN)
    Session.objects.filter(pk=locked.pk).update(
        status=SessionStatus.CANCELLED, seats_taken=0, seats_held=0
    )
    audit(
        actor,
        "session.cancelled",
        locked,
        source=actor.source,
        request=request,
        details={"bookings_cancelled": len(bookings)},
    )
    return len(bookings)


def mark_attendance(
    *, booking: Booking, status: str, actor: User, request: HttpRequest | None = None
) -> None:
    """Complété or Manqué, once the appointment has begun (the Manqué job may have set it)."""
    refusal = attendance_refusal(booking, status)
    if refusal:
        raise CalendarRefused(refusal)
    changed = Booking.objects.filter(
        pk=booking.pk, status__in=[BookingStatus.BOOKED, *ATTENDANCE]
    ).update(status=status, changed_source=actor.source, changed_at=timezone.now())
    if not changed:
        raise CalendarRefused("attendance_only")
    audit(
        actor,
        "booking.attendance",
        booking,
        source=actor.source,
        request=request,
        details={"status": status},
    )


@transaction.atomic
def record_module_attendance(
    *,
    module: SessionModule,
    present: set[int],
    actor: User,
    request: HttpRequest | None = None,
) -> int:
    """Who was at one module: every active participant is recorded present or absent."""
    if module.starts_at > timezone.now():
        raise CalendarRefused("not_started")
    roster = Booking.objects.filter(session_id=module.session_id).filter(
        status__in=[BookingStatus.BOOKED, *ATTENDANCE]
    )
    count = 0
    for booking in roster:
        ModuleAttendance.objects.update_or_create(
            booking=booking,
            module=module,
            defaults={"present": booking.pk in present, "marked_by": actor},
        )
        count += booking.pk in present
    audit(
        actor,
        "module.attendance",
        module.session,
        source=actor.source,
        request=request,
        details={"module": module.position, "present": count},
    )
    return count
