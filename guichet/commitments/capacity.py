"""The commitment drives capacity (SPEC H2 §3): « Rencontre sur les premières démarches
d'installation » within 5 business days, « S'adapter au monde du travail québécois » within
15. City by city, does the calendar offer a seat within the delay? An alert when it does not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from guichet.accounts.models import User
from guichet.appointments.models import AppointmentType, Session
from guichet.appointments.selectors import bookable_sessions, places_for
from guichet.clients.models import Locality
from guichet.core.actor import Actor
from guichet.core.dates import add_days

from .models import Commitment


@dataclass(frozen=True)
class CityOffer:
    city: Locality
    first_in_time: Session | None  # the first session with a free seat within the delay
    seats_in_time: int  # free seats within the delay, all sessions of the city together
    first_later: Session | None  # otherwise, the first free seat after the delay

    @property
    def alert(self) -> bool:
        return self.first_in_time is None


@dataclass(frozen=True)
class Capacity:
    commitment: Commitment
    appointment_type: AppointmentType | None  # None: no such type is offered
    deadline: date  # a request made today must be met by this date
    cities: list[CityOffer]

    @property
    def alerts(self) -> int:
        return sum(1 for city in self.cities if city.alert)


def capacity(who: Actor | User, today: date) -> list[Capacity]:
    """For each commitment kept by sessions, the cities where the actor's places offer its
    appointment type (every city for ministry staff, their organisation's for a partner)."""
    found = []
    for commitment in Commitment.objects.exclude(appointment_type_slug="").order_by(
        "section", "position"
    ):
        deadline = add_days(today, commitment.delay, commitment.unit)
        kind = AppointmentType.objects.filter(
            slug=commitment.appointment_type_slug, is_active=True
        ).first()
        if kind is None:
            found.append(Capacity(commitment, None, deadline, []))
            continue
        places = places_for(who).filter(organisation__in=kind.organisations.all())
        cities = Locality.objects.filter(pk__in=places.values("locality")).order_by("name")
        sessions = list(
            bookable_sessions(kind)
            .filter(place__in=places)
            .select_related("place__locality")
            .order_by("starts_at")
        )
        offers = []
        for city in cities:
            here = [s for s in sessions if s.place.locality_id == city.pk]
            in_time = [s for s in here if timezone.localdate(s.starts_at) <= deadline]
            later = [s for s in here if timezone.localdate(s.starts_at) > deadline]
            offers.append(
                CityOffer(
                    city=city,
                    first_in_time=in_time[0] if in_time else None,
                    seats_in_time=sum(s.seats_left for s in in_time),
                    first_later=later[0] if later else None,
                )
            )
        found.append(Capacity(commitment, kind, deadline, offers))
    return found
