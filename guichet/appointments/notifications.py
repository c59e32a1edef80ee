"""Appointment notices (SPEC C10): confirmation, cancellation, reschedule, reminder and waitlist
offer, in the client's language, with an iCalendar (.ics) attachment.

The calendar identity is stable: every VEVENT's UID derives from Booking.calendar_uid, which a
rescheduled booking inherits, and SEQUENCE is Booking.calendar_sequence, incremented on each
change, so calendar programs update or remove the event they already hold. A multi-module schedule
has one VEVENT per module. Bodies carry what the seed's screens show (type, date, organisation,
place) and no identity data: no name, no client number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, cast

import icalendar
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from guichet.accounts.models import User
from guichet.core.email import render_email, send_templated_email, site_url
from guichet.core.i18n import LANGUAGES, Texts, in_languages
from guichet.messaging.services import keep_copy

from .models import Booking, Session, WaitlistEntry

Method = Literal["REQUEST", "CANCEL"]
PRODID = "-//Guichet//Rendez-vous//FR"


def _language(client_user_language: str | None) -> str:
    return client_user_language if client_user_language in ("fr", "en") else "fr"


def _recipient(booking_or_entry: Booking | WaitlistEntry) -> tuple[str, str]:
    client = booking_or_entry.client
    user = client.user
    email = client.email or (user.email if user is not None else "")
    return email, _language(user.preferred_language if user is not None else client.language)


def event_uid(booking: Booking, module: int) -> str:
    suffix = f"-{module}" if module else ""
    return f"{booking.calendar_uid}{suffix}@guichet"


def calendar(booking: Booking, method: Method, language: str) -> str:
    """The .ics text for a booking: one VEVENT per module (or one for a single session)."""
    session: Session = booking.session
    place = session.place
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    with translation.override(language):
        title = session.appointment_type.title
        location = ", ".join(
            part
            for part in (
                place.address,
                place.locality.name,
                place.province,
                place.postal_code,
            )
            if part
        )
        stamp = timezone.now()
        periods = session.periods()
        for number, start, end in periods:
            event = icalendar.Event()
            event.add("uid", event_uid(booking, number if len(periods) > 1 else 0))
            event.add("sequence", booking.calendar_sequence)
            event.add("dtstamp", stamp)
            event.add("dtstart", start.astimezone(timezone.get_default_timezone()))
            event.add("dtend", end.astimezone(timezone.get_default_timezone()))
            summary = title
            if len(periods) > 1:
                summary = translation.gettext("%(title)s — module %(number)s de %(total)s") % {
                    "title": title,
                    "number": number,
                    "total": len(periods),
                }
            event.add("summary", summary)
            event.add("location", location)
            event.add(
                "description",
                f"{session.organisation.name}\n{site_url('appointments:mine', language)}",
            )
            event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
            cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE for America/Montreal, for every calendar program
    return cal.to_ical().decode()


def _context(booking: Booking, language: str) -> dict[str, object]:
    session = booking.session
    with translation.override(language):
        return {
            "type_title": session.appointment_type.title,
            "starts_at": timezone.localtime(session.starts_at),
            "modules": [
                (number, timezone.localtime(start), timezone.localtime(end))
                for number, start, end in session.periods()
            ]
            if session.modules.exists()
            else [],
            "organisation": session.organisation.name,
            "place": session.place,
            "documents": session.appointment_type.documents,
            "url": site_url("appointments:mine", language),
        }


def _send(booking: Booking, template: str, method: Method | None, extra: dict[str, object]) -> None:
    email, language = _recipient(booking)
    if not email:
        return
    context = {**_context(booking, language), **extra}
    attachments = []
    if method is not None:
        attachments.append(
            ("rendez-vous.ics", calendar(booking, method, language), "text/calendar")
        )
    subject, text = send_templated_email(
        to=email,
        template=template,
        context=context,
        language=language,
        attachments=attachments,
    )
    subjects, texts = {language: subject}, {language: text}
    for other in LANGUAGES:
        if other != language:  # the copy is kept in every language
            subjects[other], texts[other], _html = render_email(
                template, {**_context(booking, other), **extra}, other
            )
    _keep_copy(booking.client.user, subjects, texts)


def _keep_copy(user: User | None, subject: Texts, text: Texts) -> None:
    """The notice is also stored in the person's « Centre des messages » (SPEC X3)."""
    if user is None:
        return
    thread_subject = in_languages(lambda: translation.gettext("Mes rendez-vous"))
    keep_copy(
        owner=user, topic="appointments", thread_subject=thread_subject, subject=subject, text=text
    )


def _fresh(booking_id: int) -> Booking:
    return (
        Booking.objects.select_related(
            "client__user",
            "session__appointment_type",
            "session__organisation",
            "session__place__locality",
        )
        .prefetch_related("session__modules")
        .get(pk=booking_id)
    )


@task()
def send_booking_notice(
    *,
    booking_id: int,
    template: str,
    method: str | None,
    sequence: int,
    previous_starts_at: str | None = None,
) -> None:
    """Render and send one notice in the background: the request only queues it. `sequence` is
    the calendar version at the time of the change, whatever happened since."""
    booking = _fresh(booking_id)
    booking.calendar_sequence = sequence
    extra: dict[str, object] = {}
    if previous_starts_at:
        extra["previous_starts_at"] = timezone.localtime(datetime.fromisoformat(previous_starts_at))
    _send(booking, template, cast("Method | None", method), extra)


def _queue(booking: Booking, template: str, method: Method | None, **extra: Any) -> None:
    values = {
        "booking_id": booking.pk,
        "template": template,
        "method": method,
        "sequence": booking.calendar_sequence,
        **extra,
    }
    transaction.on_commit(lambda: send_booking_notice.enqueue(**values))


def booking_confirmed(booking: Booking) -> None:
    _queue(booking, "appointment_confirmed", "REQUEST")


def booking_cancelled(booking: Booking) -> None:
    """`booking` as loaded before the cancellation: the notice is one calendar version later."""
    booking.calendar_sequence += 1
    _queue(booking, "appointment_cancelled", "CANCEL")


def booking_rescheduled(old: Booking, new: Booking) -> None:
    _queue(
        new,
        "appointment_rescheduled",
        "REQUEST",
        previous_starts_at=old.session.starts_at.isoformat(),
    )


def booking_reminder(booking: Booking) -> None:
    _send(_fresh(booking.pk), "appointment_reminder", None, {})


@task()
def send_waitlist_offer(*, entry_id: int) -> None:
    fresh = WaitlistEntry.objects.select_related(
        "client__user",
        "session__appointment_type",
        "session__organisation",
        "session__place__locality",
    ).get(pk=entry_id)
    email, language = _recipient(fresh)
    if not email:
        return
    session = fresh.session
    hold_until: datetime | None = fresh.hold_until

    def context(language: str) -> dict[str, object]:
        with translation.override(language):
            return {
                "type_title": session.appointment_type.title,
                "starts_at": timezone.localtime(session.starts_at),
                "organisation": session.organisation.name,
                "place": session.place,
                "hold_until": timezone.localtime(hold_until) if hold_until else None,
                "url": site_url("appointments:mine", language),
            }

    subject, text = send_templated_email(
        to=email, template="waitlist_offer", context=context(language), language=language
    )
    subjects, texts = {language: subject}, {language: text}
    for other in LANGUAGES:
        if other != language:
            subjects[other], texts[other], _html = render_email(
                "waitlist_offer", context(other), other
            )
    _keep_copy(fresh.client.user, subjects, texts)


def waitlist_offer(entry: WaitlistEntry) -> None:
    entry_id = entry.pk
    transaction.on_commit(lambda: send_waitlist_offer.enqueue(entry_id=entry_id))
