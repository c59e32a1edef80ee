"""Reads of the appointment service."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.audit.models import AuditEvent
from guichet.clients.models import Client, Locality
from guichet.clients.selectors import clients_for
from guichet.core.actor import Actor, as_actor
from guichet.organisations.models import Organisation
from guichet.organisations.selectors import organisations_for

from .models import (
    AppointmentType,
    Booking,
    BookingStatus,
    Place,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)


def active_types() -> QuerySet[AppointmentType]:
    """Every appointment type still offered (public)."""
    return AppointmentType.objects.filter(is_active=True)


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


def _with_session(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return bookings.select_related(
        "client", "session__appointment_type", "session__organisation", "session__place__locality"
    ).prefetch_related("session__modules")


def offered_sessions() -> QuerySet[Session]:
    """The public offer, looked up by the id a client chose: the booking rules then decide
    whether that session can be taken (open, not full, eligible)."""
    return Session.objects.select_related("appointment_type", "place", "organisation")


def sessions_for(who: Actor | User | None) -> QuerySet[Session]:
    """Staff: the sessions of the organisations they act for. Clients find sessions through the
    public offer (`slots`, `bookable_sessions`), never by id."""
    return Session.objects.filter(organisation__in=organisations_for(who))


def places_for(who: Actor | User | None) -> QuerySet[Place]:
    return Place.objects.filter(organisation__in=organisations_for(who))


def bookings_for(who: Actor | User | None) -> QuerySet[Booking]:
    """A client: their own appointments. Partner staff: those in their organisation's
    sessions; ministry staff: every one. Anyone else: none. The upcoming ones come first,
    soonest first, then the past ones, most recent first (« Sélectionner un rendez-vous »)."""
    user = as_actor(who).user
    if user is None:
        return Booking.objects.none()
    if user.role == Role.CLIENT:
        found = Booking.objects.filter(client__user=user)
    elif user.role == Role.MINISTRY_STAFF:
        found = Booking.objects.all()
    else:
        found = Booking.objects.filter(session__in=sessions_for(user))
    now = timezone.now()
    return (
        _with_session(found)
        .annotate(
            past=Case(When(session__starts_at__lt=now, then=Value(1)), default=Value(0)),
            upcoming_at=Case(When(session__starts_at__gte=now, then=F("session__starts_at"))),
        )
        .order_by("past", "upcoming_at", "-session__starts_at", "pk")
    )


def waitlist_entries_for(who: Actor | User | None) -> QuerySet[WaitlistEntry]:
    """A client: their open entries (waiting or with a seat held); staff: the entries on their
    organisations' sessions."""
    user = as_actor(who).user
    if user is None:
        return WaitlistEntry.objects.none()
    if user.role == Role.CLIENT:
        entries = WaitlistEntry.objects.filter(
            client__user=user, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
        )
    else:
        entries = WaitlistEntry.objects.filter(session__in=sessions_for(user))
    return entries.select_related(
        "session__appointment_type", "session__organisation", "session__place"
    ).order_by("session__starts_at", "created_at", "pk")


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


def roster(session: Session) -> QuerySet[Booking]:
    """The people expected at a session (found through `sessions_for`), by name."""
    return (
        Booking.objects.filter(session=session)
        .exclude(status=BookingStatus.RESCHEDULED)
        .select_related("client")
        .order_by("client__last_name", "client__first_name")
    )


def dashboard_for(who: Actor | User | None) -> list[dict[str, Any]]:
    """« Tableau de bord » (SPEC D5): per organisation the actor acts for, the next 30 days'
    sessions and fill rate, people waiting, and the no-show rate of the last 90 days. Three
    grouped queries."""
    now = timezone.now()
    offices = list(organisations_for(who))
    ids = [o.pk for o in offices]
    upcoming = {
        row["organisation"]: row
        for row in Session.objects.filter(
            organisation__in=ids,
            status=SessionStatus.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=30),
        )
        .values("organisation")
        .annotate(sessions=Count("pk"), taken=Sum("seats_taken"), capacity=Sum("capacity"))
    }
    waiting = dict(
        WaitlistEntry.objects.filter(
            session__organisation__in=ids,
            status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
        )
        .values("session__organisation")
        .annotate(n=Count("pk"))
        .values_list("session__organisation", "n")
    )
    attendance = {
        row["session__organisation"]: row
        for row in Booking.objects.filter(
            session__organisation__in=ids,
            session__starts_at__gte=now - timedelta(days=90),
            session__starts_at__lt=now,
            status__in=[BookingStatus.COMPLETED, BookingStatus.MISSED],
        )
        .values("session__organisation")
        .annotate(
            missed=Count("pk", filter=Q(status=BookingStatus.MISSED)),
            total=Count("pk"),
        )
    }
    rows = []
    for office in offices:
        up = upcoming.get(office.pk, {})
        seen = attendance.get(office.pk, {})
        rows.append(
            {
                "office": office,
                "sessions": up.get("sessions", 0),
                "fill": (up["taken"] / up["capacity"]) if up.get("capacity") else None,
                "waiting": waiting.get(office.pk, 0),
                "no_show": (seen["missed"] / seen["total"]) if seen.get("total") else None,
                "seen": seen.get("total", 0),
            }
        )
    return rows


def _ids(queryset: QuerySet[Booking] | QuerySet[Session]) -> QuerySet[Booking]:
    return queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")  # type: ignore[return-value]


def audit_trail_for(
    who: Actor | User | None, data: dict[str, object]
) -> QuerySet[AuditEvent] | None:
    """« Journal d'audit » (SPEC D5 item 6), ministry staff only: the trail of a client, a
    session or an organisation, with the bookings that belong to them, filtered by date and
    source. None when the client or session asked for is not found."""
    user = as_actor(who).user
    if user is None or user.role != Role.MINISTRY_STAFF:
        return AuditEvent.objects.none()
    if data.get("client"):
        client = clients_for(user).filter(client_number=data["client"]).first()
        if client is None:
            return None
        scope = Q(object_type="clients.client", object_id=str(client.pk)) | Q(
            object_type="appointments.booking", object_id__in=_ids(client.bookings.all())
        )
    elif data.get("seance"):
        session = sessions_for(user).filter(pk=int(str(data["seance"]))).first()
        if session is None:
            return None
        scope = Q(object_type="appointments.session", object_id=str(session.pk)) | Q(
            object_type="appointments.booking", object_id__in=_ids(session.bookings.all())
        )
    else:
        organisation = data["organisme"]
        assert isinstance(organisation, Organisation)
        sessions = Session.objects.filter(organisation=organisation)
        scope = (
            Q(object_type="organisations.organisation", object_id=str(organisation.pk))
            | Q(object_type="appointments.session", object_id__in=_ids(sessions))
            | Q(
                object_type="appointments.booking",
                object_id__in=_ids(Booking.objects.filter(session__in=sessions)),
            )
        )
    events = AuditEvent.objects.filter(scope)
    tz = timezone.get_current_timezone()
    if data.get("du"):
        events = events.filter(occurred_at__gte=datetime.combine(data["du"], time(), tzinfo=tz))  # type: ignore[arg-type]
    if data.get("au"):
        end = datetime.combine(data["au"], time(), tzinfo=tz) + timedelta(days=1)  # type: ignore[arg-type]
        events = events.filter(occurred_at__lt=end)
    if data.get("source"):
        events = events.filter(source=data["source"])
    return events.order_by("-occurred_at", "-pk")
