"""Reads of the appointment service."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from guichet.clients.models import Client
from guichet.organisations.models import Organisation

from .models import AppointmentType, Booking


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
    """« Sélectionner un rendez-vous »: every appointment of this client, past and future."""
    return (
        Booking.objects.filter(client=client)
        .select_related(
            "session__appointment_type", "session__organisation", "session__place__locality"
        )
        .prefetch_related("session__modules")
        .order_by("-session__starts_at")
    )


def client_booking(client: Client, booking_id: int) -> Booking | None:
    """One booking, only if it is this client's (anything else answers 404)."""
    return client_bookings(client).filter(pk=booking_id).first()
