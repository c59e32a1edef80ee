"""Booking and cancelling (seed 000 §5.3, §5.4; SPEC C5, C7). Capacity is guaranteed by the
database: a conditional UPDATE takes a seat only while seats_taken < capacity, and a partial unique
index refuses a second active booking of the same client in the same session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from guichet.accounts.models import User
from guichet.audit.services import audit
from guichet.clients.models import Client
from guichet.core import events
from guichet.core.actor import Actor, Source, as_actor
from guichet.core.dates import closed_days
from guichet.core.transitions import move
from guichet.organisations.models import Organisation

from . import notifications
from .models import (
    ATTENDED,
    BOOKING_TRANSITIONS,
    COMPLEMENTARY_FIELDS,
    SESSION_TRANSITIONS,
    WAITLIST_TRANSITIONS,
    AppointmentType,
    Booking,
    BookingStatus,
    FrenchRequirement,
    ModuleAttendance,
    Place,
    Session,
    SessionModule,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from .refusals import refused


def overlapping_booking(
    client: Client, session: Session, *, replacing: Booking | None = None
) -> Booking | None:
    """The client's active appointment whose time overlaps `session`'s, any module of a
    multi-module schedule counting (issue 13: a client was booked at 09:00 in Montréal and at
    09:00 in Québec City the same morning)."""
    periods = [(start, end) for _n, start, end in session.periods()]
    last = max(end for _start, end in periods)
    candidates = (
        Booking.objects.filter(
            client=client,
            status=BookingStatus.BOOKED,
            session__status=SessionStatus.SCHEDULED,
        )
        .exclude(session=session)
        .select_related("session__appointment_type", "session__organisation")
        .prefetch_related("session__modules")
    )
    if replacing is not None:
        candidates = candidates.exclude(pk=replacing.pk)
    # A session that starts after this one ends cannot overlap it; the rest are checked module
    # by module (a client holds few active bookings).
    for booking in candidates.filter(session__starts_at__lt=last):
        for _n, start, end in booking.session.periods():
            if any(start < other_end and other_start < end for other_start, other_end in periods):
                return booking
    return None


def is_eligible(client: Client, appointment_type: AppointmentType) -> bool:
    """SPEC C2: the types offered follow the client's status and French level."""
    if not client.status.eligible:
        return False
    statuses = list(appointment_type.eligible_statuses.all())
    if statuses and client.status not in statuses:
        return False
    if appointment_type.french_requirement == FrenchRequirement.SUFFICIENT:
        return client.french_sufficient is True
    if appointment_type.french_requirement == FrenchRequirement.INSUFFICIENT:
        return client.french_sufficient is False
    return True


def missing_information(client: Client, appointment_type: AppointmentType) -> list[str]:
    """Complementary information the type requires and the client has not given (§5.3.5)."""
    return [
        name
        for name in appointment_type.required_information or []
        if name in COMPLEMENTARY_FIELDS and not getattr(client, name)
    ]


def _check_rules(
    client: Client,
    session: Session,
    *,
    staff: bool,
    replacing: Booking | None = None,
    allow_overlap: bool = False,
) -> None:
    kind = session.appointment_type
    now = timezone.now()
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now:
        raise refused("unavailable")
    if not staff:
        if not is_eligible(client, kind):
            raise refused("not_eligible")
        if session.starts_at < now + timedelta(hours=kind.min_notice_hours):
            raise refused("too_soon")
        if session.starts_at > now + timedelta(days=kind.horizon_days):
            raise refused("too_far")
        if missing_information(client, kind):
            raise refused("missing_information")
    active = Booking.objects.filter(
        client=client,
        status=BookingStatus.BOOKED,
        session__appointment_type=kind,
        session__starts_at__gt=now,
    )
    if replacing is not None:
        active = active.exclude(pk=replacing.pk)
    if kind.one_active_booking and active.exists():
        raise refused("already_booked_type")
    if not allow_overlap:
        other = overlapping_booking(client, session, replacing=replacing)
        if other is not None:
            raise refused("overlap", other=other)


def _take_seat(session: Session) -> None:
    """The conditional UPDATE that guarantees capacity: a seat is taken only while one is free
    (seats held for the waitlist excepted). Concurrent callers for the last seat: one wins."""
    taken = Session.objects.filter(
        pk=session.pk,
        status=SessionStatus.SCHEDULED,
        seats_taken__lt=F("capacity") - F("seats_held"),
    ).update(seats_taken=F("seats_taken") + 1)
    if not taken:
        raise refused("full")


def _create_booking(*, client: Client, session: Session, actor: Actor, **extra: object) -> Booking:
    now = timezone.now()
    # Booked inside the reminder window: the confirmation stands for the reminder.
    reminded = (
        now
        if session.starts_at <= now + timedelta(hours=settings.APPOINTMENT_REMINDER_HOURS)
        else None
    )
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                client=client,
                session=session,
                source=actor.source,
                created_by=actor.user,
                reminder_sent_at=reminded,
                **extra,
            )
    except IntegrityError as error:
        raise refused("already_booked") from error
    events.emit(
        "booking.created",
        booking,
        actor=actor,
        payload={"session": session.pk, "type": session.appointment_type.slug},
    )
    return booking


def _lock_client(client: Client) -> None:
    # Serialize this client's bookings so the « one active booking per type » rule holds.
    Client.objects.select_for_update().filter(pk=client.pk).first()


@transaction.atomic
def book(
    *,
    client: Client,
    session: Session,
    actor: Actor | User,
    overlap_reason: str = "",
    complement: Mapping[str, Any] | None = None,
) -> Booking:
    """Take one seat. Concurrent calls for the last seat: exactly one wins. The client's row is
    locked first, so two bookings of the same client are checked one after the other (two
    overlapping sessions booked at once: one wins). Staff may book over another appointment
    of the client by giving `overlap_reason` (audited). `complement`: the information the
    appointment type asks that the record lacked (« Renseignements complémentaires »), written
    with the booking — both or neither."""
    actor = as_actor(actor)
    _lock_client(client)
    if complement:
        unknown = set(complement) - set(COMPLEMENTARY_FIELDS)
        if unknown:
            raise ValueError(f"not complementary information: {sorted(unknown)}")
        for name, value in complement.items():
            setattr(client, name, value)
        client.save(update_fields=list(complement))
    source = actor.source
    staff = source != Source.CLIENT
    override = staff and bool(overlap_reason.strip())
    _check_rules(client, session, staff=staff, allow_overlap=override)
    _take_seat(session)
    booking = _create_booking(client=client, session=session, actor=actor)
    if override:
        _audit_overlap_override(actor, booking, overlap_reason)
    audit(actor, "booking.created", booking, details={"session": session.pk})
    notifications.booking_confirmed(booking)
    return booking


def _audit_overlap_override(actor: Actor, booking: Booking, reason: str) -> None:
    """Staff booked over another appointment of the client: which one, and why."""
    other = overlapping_booking(booking.client, booking.session, replacing=booking)
    if other is not None:
        audit(
            actor,
            "booking.overlap_override",
            booking,
            details={"other_booking": other.pk, "reason": reason.strip()},
        )


def _hold_deadline(session: Session) -> datetime:
    return min(
        timezone.now() + timedelta(hours=settings.WAITLIST_HOLD_HOURS),
        session.starts_at,
    )


def _offer_to_next(session: Session) -> WaitlistEntry | None:
    """Give a held seat to the first person waiting; None when nobody waits."""
    entry = (
        WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if entry is None:
        return None
    now, hold_until = timezone.now(), _hold_deadline(session)
    if not move(
        WaitlistEntry.objects.filter(pk=entry.pk),
        WAITLIST_TRANSITIONS,
        "offer",
        offered_at=now,
        hold_until=hold_until,
    ):  # pragma: no cover - the session row is locked by every caller
        return None
    entry.refresh_from_db()
    audit(None, "waitlist.offered", entry)
    notifications.waitlist_offer(entry)
    return entry


def _release_seat(session_id: int) -> None:
    """A booked seat frees: it goes to the first in line (held) or back to everyone."""
    session = Session.objects.select_for_update().get(pk=session_id)
    upcoming = session.status == SessionStatus.SCHEDULED and session.starts_at > timezone.now()
    if upcoming and _offer_to_next(session) is not None:
        Session.objects.filter(pk=session.pk).update(
            seats_taken=F("seats_taken") - 1, seats_held=F("seats_held") + 1
        )
        return
    Session.objects.filter(pk=session.pk, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


@transaction.atomic
def cancel(*, booking: Booking, actor: Actor | User) -> None:
    """« Annuler un rendez-vous »: the status becomes Annulé and the seat is released."""
    actor = as_actor(actor)
    source = actor.source
    kind = booking.session.appointment_type
    if source == Source.CLIENT and not booking.can_cancel_online():
        raise refused("too_late" if kind.online_cancel else "cancel_not_online")
    if not _mark_cancelled(booking, actor, timezone.now()):
        raise refused("not_active")
    _release_seat(booking.session_id)
    audit(actor, "booking.cancelled", booking)
    notifications.booking_cancelled(booking)


def _mark_cancelled(booking: Booking, actor: Actor, at: datetime) -> bool:
    """Annulé, if the booking is still active (a conditional UPDATE: a parallel change wins);
    the calendar version moves on so the client's calendar drops the event."""
    return bool(
        move(
            Booking.objects.filter(pk=booking.pk),
            BOOKING_TRANSITIONS,
            "cancel",
            actor=actor,
            changed_source=actor.source,
            changed_at=at,
            calendar_sequence=F("calendar_sequence") + 1,
        )
    )


@transaction.atomic
def reschedule(
    *,
    booking: Booking,
    session: Session,
    actor: Actor | User,
    overlap_reason: str = "",
) -> Booking:
    """« Reporter/Devancer » (seed 000 §5.5): another slot of the same type, in the same city, at
    the same organisation. The old booking becomes Reporté and the new one is created in the same
    transaction: both happen or neither does. Staff may move it over another appointment of
    the client by giving `overlap_reason` (audited), as when booking."""
    actor = as_actor(actor)
    source = actor.source
    client = booking.client
    _lock_client(client)
    old = booking.session
    if source == Source.CLIENT and not booking.can_reschedule_online():
        kind = old.appointment_type
        raise refused("too_late" if kind.online_reschedule else "reschedule_not_online")
    if (
        session.pk == old.pk
        or session.appointment_type_id != old.appointment_type_id
        or session.organisation_id != old.organisation_id
        or session.place.locality_id != old.place.locality_id
    ):
        raise refused("other_slot_only")
    staff = source != Source.CLIENT
    override = staff and bool(overlap_reason.strip())
    _check_rules(client, session, staff=staff, replacing=booking, allow_overlap=override)
    _take_seat(session)
    new = _create_booking(
        client=client,
        session=session,
        actor=actor,
        calendar_uid=booking.calendar_uid,
        calendar_sequence=booking.calendar_sequence + 1,
    )
    changed = move(
        Booking.objects.filter(pk=booking.pk),
        BOOKING_TRANSITIONS,
        "reschedule",
        actor=actor,
        payload={"replaced_by": new.pk},
        changed_source=source,
        changed_at=timezone.now(),
        replaced_by=new,
    )
    if not changed:
        # Someone changed the old booking meanwhile: undo everything (the atomic block rolls back).
        raise refused("not_active")
    _release_seat(old.pk)
    if override:
        _audit_overlap_override(actor, new, overlap_reason)
    audit(
        actor,
        "booking.rescheduled",
        booking,
        details={"from_session": old.pk, "to_session": session.pk, "new_booking": new.pk},
    )
    notifications.booking_rescheduled(booking, new)
    return new


ATTENDANCE = (BookingStatus.COMPLETED, BookingStatus.MISSED)


def attendance_refusal(booking: Booking, status: str) -> str | None:
    """Why `status` cannot be recorded as attendance on `booking` (None: it can). Staff only
    correct presence — Complété or Manqué — once the appointment has begun; cancelling and moving
    go through cancel() and reschedule(), which move the seats."""
    if status not in ATTENDANCE or booking.status not in (BookingStatus.BOOKED, *ATTENDANCE):
        return "attendance_only"
    if booking.session.starts_at > timezone.now():
        return "not_started"
    return None


# --- Waitlist (SPEC C10) --------------------------------------------------------------------


@transaction.atomic
def join_waitlist(*, client: Client, session: Session, actor: Actor | User) -> WaitlistEntry:
    """« Liste d'attente »: only for a full session the client could otherwise book."""
    actor = as_actor(actor)
    _lock_client(client)
    locked = Session.objects.select_for_update().get(pk=session.pk)
    _check_rules(client, locked, staff=False)
    if not locked.is_full:
        raise refused("not_full")
    if Booking.objects.filter(client=client, session=locked, status=BookingStatus.BOOKED).exists():
        raise refused("already_booked")
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(client=client, session=locked)
    except IntegrityError as error:
        raise refused("already_waiting") from error
    audit(actor, "waitlist.joined", entry)
    return entry


@transaction.atomic
def leave_waitlist(*, entry: WaitlistEntry, actor: Actor | User) -> None:
    """Withdraw; a seat held for this person passes to the next one in line."""
    actor = as_actor(actor)
    session = Session.objects.select_for_update().get(pk=entry.session_id)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    was_offered = entry.status == WaitlistStatus.OFFERED
    if not move(
        WaitlistEntry.objects.filter(pk=entry.pk), WAITLIST_TRANSITIONS, "withdraw", actor=actor
    ):
        raise refused("not_active")
    if was_offered:
        _pass_hold(session)
    audit(actor, "waitlist.left", entry)


def _pass_hold(session: Session) -> None:
    """A held seat was not taken: offer it to the next in line, or free it."""
    if session.starts_at <= timezone.now() or _offer_to_next(session) is None:
        Session.objects.filter(pk=session.pk, seats_held__gt=0).update(
            seats_held=F("seats_held") - 1
        )


@transaction.atomic
def claim(*, entry: WaitlistEntry, actor: Actor | User) -> Booking:
    """Take the seat held for this person: the hold becomes a booking."""
    actor = as_actor(actor)
    client = entry.client
    _lock_client(client)
    session = Session.objects.select_for_update().get(pk=entry.session_id)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != WaitlistStatus.OFFERED or entry.hold_until is None:
        raise refused("not_active")
    if entry.hold_until <= timezone.now():
        raise refused("hold_expired")
    # Eligibility and notice were checked when joining; the one-booking-per-type rule still holds.
    _check_rules(client, session, staff=True)
    if session.seats_held < 1:  # pragma: no cover - the hold and its seat move together
        raise refused("full")
    Session.objects.filter(pk=session.pk).update(
        seats_held=F("seats_held") - 1, seats_taken=F("seats_taken") + 1
    )
    booking = _create_booking(client=client, session=session, actor=actor)
    if not move(
        WaitlistEntry.objects.filter(pk=entry.pk), WAITLIST_TRANSITIONS, "claim", actor=actor
    ):
        raise refused("not_active")  # pragma: no cover - the entry row is locked
    audit(actor, "booking.created", booking)
    notifications.booking_confirmed(booking)
    return booking


# --- Periodic jobs (management command run_appointment_jobs) --------------------------------


def expire_holds() -> int:
    """Unclaimed holds past their deadline pass to the next in line. Returns how many expired."""
    expired = 0
    due = WaitlistEntry.objects.filter(
        status=WaitlistStatus.OFFERED, hold_until__lte=timezone.now()
    ).values_list("pk", "session_id")
    for entry_id, session_id in list(due):
        with transaction.atomic():
            session = Session.objects.select_for_update().get(pk=session_id)
            if move(
                WaitlistEntry.objects.filter(pk=entry_id, hold_until__lte=timezone.now()),
                WAITLIST_TRANSITIONS,
                "expire",
            ):
                expired += 1
                _pass_hold(session)
    return expired


def mark_missed() -> int:
    """« Manqué » (SPEC C9): past bookings still upcoming — not marked Complété by staff once the
    appointment (its last module) has ended. Staff may still correct the status afterwards."""
    now = timezone.now()
    candidates = (
        Booking.objects.filter(status=BookingStatus.BOOKED, session__starts_at__lt=now)
        .select_related("session")
        .prefetch_related("session__modules")
    )
    ended = [booking.pk for booking in candidates if booking.session.ends_at <= now]
    count = move(
        Booking.objects.filter(pk__in=ended),
        BOOKING_TRANSITIONS,
        "mark_missed",
        changed_source=Source.SYSTEM,
        changed_at=now,
    )
    if count:
        audit(None, "booking.marked_missed", details={"count": count})
    return count


def send_reminders() -> int:
    """Remind each upcoming booking once, APPOINTMENT_REMINDER_HOURS before. The claim is a
    conditional UPDATE, so two jobs running at once never send the same reminder twice."""
    now = timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(hours=settings.APPOINTMENT_REMINDER_HOURS),
    ).values_list("pk", flat=True)
    sent = 0
    for booking_id in list(due):
        claimed = Booking.objects.filter(pk=booking_id, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if claimed:
            notifications.booking_reminder(Booking(pk=booking_id))
            sent += 1
    return sent


# --- The calendar work of partner organisations and ministry offices (SPEC D2, D4) -----------
# Sessions one by one or as a weekly series that skips Québec statutory holidays, capacity
# changes that never go below the seats taken, cancelling a session, attendance.


@dataclass(frozen=True)
class SeriesPlan:
    dates: list[date]
    skipped: list[tuple[date, str]]


def plan_series(first: date, weeks: int, skip_holidays: bool = True) -> SeriesPlan:
    """The dates of a weekly series: `weeks` occurrences from `first`, holidays and the
    ministry's closure days skipped."""
    candidates = [first + timedelta(weeks=n) for n in range(weeks)]
    closed = closed_days(candidates[0], candidates[-1]) if skip_holidays else {}
    return SeriesPlan(
        dates=[d for d in candidates if d not in closed],
        skipped=[(d, closed[d]) for d in candidates if d in closed],
    )


@transaction.atomic
def create_sessions(
    *,
    actor: Actor | User,
    appointment_type: AppointmentType,
    place: Place,
    dates: list[date],
    at: time,
    duration_minutes: int,
    capacity: int,
    modules: list[tuple[datetime, int]] | None = None,
) -> list[Session]:
    """One session per date; with `modules` (one date only), a multi-module schedule whose first
    module is the session's own date, time and duration."""
    actor = as_actor(actor)
    if modules and len(dates) != 1:
        raise refused("modules_single")
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
        details={"type": appointment_type.pk, "place": place.pk, "count": len(created)},
    )
    return created


@transaction.atomic
def change_capacity(*, session: Session, capacity: int, actor: Actor | User) -> None:
    """Never below the seats taken (and held for the waitlist): a conditional UPDATE, so a
    booking landing at the same moment is counted."""
    actor = as_actor(actor)
    if capacity < 1:
        raise refused("capacity_positive")
    changed = Session.objects.filter(
        pk=session.pk, seats_taken__lte=capacity - F("seats_held")
    ).update(capacity=capacity)
    if not changed:
        raise refused("below_taken")
    audit(
        actor,
        "session.capacity_changed",
        session,
        details={"from": session.capacity, "to": capacity},
    )


def add_overbooked_seat(*, session: Session, actor: Actor | User, reason: str) -> None:
    """The explicit overbooking override: one more seat, only when the session is full, audited
    with the reason. Called in the booking's transaction, so the capacity constraint still holds
    (the seat is added, then taken) and a refused booking takes the seat back."""
    actor = as_actor(actor)
    added = Session.objects.filter(
        pk=session.pk, seats_taken__gte=F("capacity") - F("seats_held")
    ).update(capacity=F("capacity") + 1)
    if added:
        audit(actor, "session.overbooked", session, details={"reason": reason.strip()})


@transaction.atomic
def cancel_session(*, session: Session, actor: Actor | User) -> int:
    """« Annulé » for every booked client (source Partenaire or Ministère), each notified; the
    waitlist closes. Returns how many bookings were cancelled."""
    actor = as_actor(actor)
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status == SessionStatus.CANCELLED:
        raise refused("already_cancelled")
    bookings = list(
        Booking.objects.select_for_update()
        .filter(session=locked, status=BookingStatus.BOOKED)
        .select_related("session")
    )
    now = timezone.now()
    for booking in bookings:
        _mark_cancelled(booking, actor, now)
        notifications.booking_cancelled(booking)
    move(
        WaitlistEntry.objects.filter(session=locked), WAITLIST_TRANSITIONS, "withdraw", actor=actor
    )
    move(
        Session.objects.filter(pk=locked.pk),
        SESSION_TRANSITIONS,
        "cancel",
        actor=actor,
        payload={"bookings_cancelled": len(bookings)},
        seats_taken=0,
        seats_held=0,
    )
    audit(actor, "session.cancelled", locked, details={"bookings_cancelled": len(bookings)})
    return len(bookings)


def mark_attendance(*, booking: Booking, status: str, actor: Actor | User) -> None:
    """Complété or Manqué, once the appointment has begun (the Manqué job may have set it)."""
    actor = as_actor(actor)
    refusal = attendance_refusal(booking, status)
    if refusal:
        raise refused(refusal)
    changed = move(
        Booking.objects.filter(pk=booking.pk),
        BOOKING_TRANSITIONS,
        "attend" if status == BookingStatus.COMPLETED else "miss",
        actor=actor,
        changed_source=actor.source,
        changed_at=timezone.now(),
    )
    if not changed:
        raise refused("attendance_only")
    audit(actor, "booking.attendance", booking, details={"status": status})


@transaction.atomic
def record_module_attendance(
    *,
    module: SessionModule,
    present: set[int],
    actor: Actor | User,
) -> int:
    """Who was at one module: every active participant is recorded present or absent."""
    actor = as_actor(actor)
    if module.starts_at > timezone.now():
        raise refused("not_started")
    roster = Booking.objects.filter(session_id=module.session_id, status__in=ATTENDED)
    count = 0
    for booking in roster:
        ModuleAttendance.objects.update_or_create(
            booking=booking,
            module=module,
            defaults={"present": booking.pk in present, "marked_by": actor.user},
        )
        count += booking.pk in present
    audit(
        actor,
        "module.attendance",
        module.session,
        details={"module": module.position, "present": count},
    )
    return count


# --- Places and offered types (SPEC D2) ------------------------------------------------------


def save_place(*, place: Place, actor: Actor | User) -> Place:
    """« Lieux »: a new place or changes to one, from a validated form (its organisation is
    one the actor acts for: the form offers no other)."""
    actor = as_actor(actor)
    created = place.pk is None
    place.save()
    audit(actor, "place.created" if created else "place.saved", place)
    return place


@transaction.atomic
def offer_types(
    *, organisation: Organisation, types: list[AppointmentType], actor: Actor | User
) -> None:
    """« Types de rendez-vous offerts » by one organisation."""
    actor = as_actor(actor)
    organisation.appointment_types.set(types)
    audit(
        actor,
        "organisation.types_offered",
        organisation,
        details={"types": sorted(t.pk for t in types)},
    )
