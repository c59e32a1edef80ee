"""Reads of the appointment service."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Case, Exists, F, OuterRef, Prefetch, QuerySet, Value, When
from django.utils import timezone

from guichet.clients.models import Client, Locality
from guichet.organisations.models import Organisation

from .models import (
    AppointmentType,
    Booking,
    Place,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)


def catalogue() -> QuerySet[AppointmentType]:
    """« Quels sont les types de rendez-vous offerts? » (seed 000 §2.3): every offered type with
    the organisations that offer it, in two queries."""
    return AppointmentType.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "organisations",
            queryset=Organisation.objects.filter(is_active=True).order_by("name"),
            to_attr="offering",
        )
    )


def client_bookings(client: Client) -> QuerySet[Booking]:
    """« Sélectionner un rendez-vous »: every appointment of this client, the upcoming ones
    first, soonest first, then the past ones, most recent first."""
    now = timezone.now()
    return (
        Booking.objects.filter(client=client)
        .select_related(
            "session__appointment_type", "session__organisation", "session__place__locality"
        )
        .prefetch_related("session__modules")
        .annotate(
            past=Case(When(session__starts_at__lt=now, then=Value(1)), default=Value(0)),
            upcoming_at=Case(When(session__starts_at__gte=now, then=F("session__starts_at"))),
        )
        .order_by("past", "upcoming_at", "-session__starts_at", "pk")
    )


def client_booking(client: Client, booking_id: int) -> Booking | None:
    """One booking, only if it is this client's (anything else answers 404)."""
    return client_bookings(client).filter(pk=booking_id).first()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to a few metres at Québec's scale."""
    earth = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * earth * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Origin:
    """Where a client's distances are measured from: the centre of their postal code's forward
    sortation area when it is known, else the centre of their locality."""

    latitude: float
    longitude: float
    fsa: str = ""
    locality: str = ""


FSA = re.compile(r"^[A-Z]\d[A-Z]$")


@lru_cache(maxsize=2048)
def fsa_position(fsa: str) -> tuple[float, float] | None:
    """The centre of a Québec forward sortation area (the postal code's first three characters),
    from the Statistics Canada boundary file as shipped by `pypostalcode`; None if unknown."""
    if not FSA.match(fsa):
        return None
    from pypostalcode import PostalCodeDatabase

    found = PostalCodeDatabase().get(fsa)
    if not found or found[0].province != "Quebec":
        return None
    return (found[0].latitude, found[0].longitude)


def client_origin(client: Client) -> Origin | None:
    """The most precise position known offline, and what it is, so the page can say it."""
    fsa = (client.postal_code or "").replace(" ", "").upper()[:3]
    position = fsa_position(fsa)
    if position is not None:
        return Origin(*position, fsa=fsa)
    if client.locality is not None:
        loc = client.locality
        return Origin(loc.latitude, loc.longitude, locality=str(loc))
    return None


def open_sessions(appointment_type: AppointmentType) -> QuerySet[Session]:
    """Future scheduled sessions of a type within its notice and horizon, full or not (a full
    one offers its waitlist)."""
    now = timezone.now()
    return Session.objects.filter(
        appointment_type=appointment_type,
        status=SessionStatus.SCHEDULED,
        starts_at__gte=now + timedelta(hours=appointment_type.min_notice_hours),
        starts_at__lte=now + timedelta(days=appointment_type.horizon_days),
    )


def bookable_sessions(appointment_type: AppointmentType) -> QuerySet[Session]:
    """Open sessions with a seat left (seats held for the waitlist are not free)."""
    return open_sessions(appointment_type).filter(seats_taken__lt=F("capacity") - F("seats_held"))


def eligible_types(client: Client) -> list[AppointmentType]:
    """« Type rendez-vous »: only the types this client may book (SPEC C2)."""
    from .services import is_eligible

    kinds = AppointmentType.objects.filter(is_active=True).prefetch_related("eligible_statuses")
    return [kind for kind in kinds if is_eligible(client, kind)]


def cities_offering(appointment_type: AppointmentType) -> list[Locality]:
    """« Ville »: the cities where the type has availability."""

    def find() -> list[Locality]:
        ids = open_sessions(appointment_type).values_list("place__locality", flat=True)
        return list(Locality.objects.filter(pk__in=ids))

    # The same for every client choosing this type: kept one minute (slots stay real-time).
    cities = cache.get_or_set(f"appointments:cities:{appointment_type.pk}", find, 60)
    return cities if cities is not None else find()


def organisations_by_distance(
    appointment_type: AppointmentType, city: Locality, home: Origin | None
) -> list[tuple[Organisation, float | None]]:
    """« Organisme »: organisations with availability in the city, nearest to the client's home
    first (SPEC C3); the distance is that of the organisation's nearest place, measured from
    `client_origin`."""
    places = (
        Place.objects.filter(locality=city)
        .filter(Exists(open_sessions(appointment_type).filter(place=OuterRef("pk"))))
        .select_related("organisation")
    )
    nearest: dict[int, tuple[Organisation, float | None]] = {}
    for place in places:
        km = (
            distance_km(home.latitude, home.longitude, place.latitude, place.longitude)
            if home is not None
            else None
        )
        known = nearest.get(place.organisation_id)
        if known is None or (km is not None and (known[1] is None or km < known[1])):
            nearest[place.organisation_id] = (place.organisation, km)
    return sorted(nearest.values(), key=lambda item: (item[1] is None, item[1] or 0, item[0].name))


def slots(
    appointment_type: AppointmentType, city: Locality, organisation: Organisation | None
) -> QuerySet[Session]:
    """The slots matching a search: date, time, duration and place, with modules. Full sessions
    are included so the page can say so and offer the waitlist."""
    places = Place.objects.filter(locality=city).values("pk")
    found = open_sessions(appointment_type).filter(place__in=places)
    if organisation is not None:
        found = found.filter(organisation=organisation)
    return (
        found.select_related("place__locality", "organisation")
        .prefetch_related("modules")
        .order_by("starts_at")
    )


def reschedule_slots(booking: Booking) -> QuerySet[Session]:
    """« Reporter/Devancer »: other slots with a seat of the same type, city and organisation."""
    current = booking.session
    return (
        bookable_sessions(current.appointment_type)
        .filter(organisation=current.organisation, place__locality=current.place.locality_id)
        .exclude(pk=current.pk)
        .select_related("place__locality", "organisation")
        .prefetch_related("modules")
        .order_by("starts_at")
    )


def client_waitlist(client: Client) -> QuerySet[WaitlistEntry]:
    """The client's open waitlist entries (waiting or with a seat held)."""
    return (
        WaitlistEntry.objects.filter(
            client=client, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
        )
        .select_related("session__appointment_type", "session__organisation", "session__place")
        .order_by("session__starts_at")
    )
