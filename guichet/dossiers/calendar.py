"""An appointment with the integration agent as an iCalendar file (RFC 5545), for the person's
calendar program; the same UID each time, so a second download updates the event."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.utils import timezone, translation

from .models import AgentAppointment

PRODID = "-//Guichet//Accompagnement//FR"


def appointment_calendar(appointment: AgentAppointment, language: str) -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    zone = timezone.get_default_timezone()
    with translation.override(language):
        event = icalendar.Event()
        event.add("uid", f"agent-appointment-{appointment.pk}@guichet")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", appointment.starts_at.astimezone(zone))
        event.add(
            "dtend",
            (appointment.starts_at + timedelta(minutes=appointment.duration_minutes)).astimezone(
                zone
            ),
        )
        event.add(
            "summary",
            translation.gettext("Rendez-vous avec votre agente ou agent d'aide à l'intégration"),
        )
        if appointment.place is not None:
            place = appointment.place
            event.add("location", f"{place.name}, {place.address}, {place.locality.name}")
        else:
            event.add("location", str(appointment.get_mode_display()))
        if appointment.details:
            event.add("description", appointment.details)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()
