"""Booking and cancelling (seed 000 §5.3, §5.4; SPEC C5, C7). Capacity is guaranteed by the
database: a conditional UPDATE takes a seat only while seats_taken < capacity, and a partial unique
index refuses a second active booking of the same client in the same session."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.models import Source, User
from guichet.audit.services import audit
from guichet.clients.models import Client

from .models import (
    AppointmentType,
    Booking,
    BookingStatus,
    FrenchRequirement,
    Session,
    SessionStatus,
)


class BookingRefused(Exception):
    """A rule refuses the booking; `reason` is a code the view turns into a message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


def _check_rules(client: Client, session: Session, *, staff: bool) -> None:
    kind = session.appointment_type
    now = timezone.now()
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now:
        raise BookingRefused("unavailable")
    if not staff:
        if not is_eligible(client, kind):
            raise BookingRefused("not_eligible")
        if session.starts_at < now + timedelta(hours=kind.min_notice_hours):
            raise BookingRefused("too_soon")
        if session.starts_at > now + timedelta(days=kind.horizon_days):
            raise BookingRefused("too_far")
    if (
        kind.one_active_booking
        and Booking.objects.filter(
            client=client,
            status=BookingStatus.BOOKED,
            session__appointment_type=kind,
            session__starts_at__gt=now,
        ).exists()
    ):
        raise BookingRefused("already_booked_type")


@transaction.atomic
def book(
    *,
    client: Client,
    session: Session,
    actor: User,
    source: str | None = None,
    request: HttpRequest | None = None,
) -> Booking:
    """Take one seat. Concurrent calls for the last seat: exactly one wins."""
    # Serialize this client's bookings so the « one active booking per type » rule holds.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    source = source or actor.source
    _check_rules(client, session, staff=source != Source.CLIENT)
    taken = Session.objects.filter(
        pk=session.pk, status=SessionStatus.SCHEDULED, seats_taken__lt=F("capacity")
    ).update(seats_taken=F("seats_taken") + 1)
    if not taken:
        raise BookingRefused("full")
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                client=client, session=session, source=source, created_by=actor
            )
    except IntegrityError as error:
        raise BookingRefused("already_booked") from error
    audit(
        actor,
        "booking.created",
        booking,
        source=source,
        request=request,
        details={"session": session.pk},
    )
    return booking


def can_cancel_online(booking: Booking) -> bool:
    """Whether « Annuler » is offered to the client for this booking."""
    kind = booking.session.appointment_type
    return (
        booking.status == BookingStatus.BOOKED
        and kind.online_cancel
        and booking.session.starts_at >= timezone.now() + timedelta(hours=kind.change_cutoff_hours)
    )


@transaction.atomic
def cancel(
    *, booking: Booking, actor: User, source: str | None = None, request: HttpRequest | None = None
) -> None:
    """« Annuler un rendez-vous »: the status becomes Annulé and the seat is released."""
    source = source or actor.source
    kind = booking.session.appointment_type
    if source == Source.CLIENT and not can_cancel_online(booking):
        raise BookingRefused("too_late" if kind.online_cancel else "cancel_not_online")
    changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
        status=BookingStatus.CANCELLED, changed_source=source, changed_at=timezone.now()
    )
    if not changed:
        raise BookingRefused("not_active")
    Session.objects.filter(pk=booking.session_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )
    audit(actor, "booking.cancelled", booking, source=source, request=request)
