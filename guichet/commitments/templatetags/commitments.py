"""`{% answer_clock thread as clock %}`: the running clock of the answer a message thread is
waiting for (seed 003: 5 business days). `{% commitment_clock "csq-file-opening" dossier as
clock %}`: a request's last clock for a commitment. For the person's and the staff's pages."""

from __future__ import annotations

from typing import Any

from django import template

from guichet.commitments import clocks, wording
from guichet.commitments.clocks import EMAIL_ANSWER
from guichet.commitments.forms import BreachReasonForm, SuspensionForm
from guichet.commitments.models import Clock, Commitment

register = template.Library()


@register.simple_tag
def answer_clock(thread: object) -> Clock | None:
    if thread is None or getattr(thread, "pk", None) is None:
        return None
    return clocks.running(EMAIL_ANSWER, thread)  # type: ignore[arg-type]


@register.simple_tag
def commitment_clock(code: str, target: object) -> Clock | None:
    if target is None or getattr(target, "pk", None) is None:
        return None
    return clocks.latest(code, target)  # type: ignore[arg-type]


@register.simple_tag
def suspension_form() -> SuspensionForm:
    """« Suspendre le délai »: the reasons staff choose from."""
    return SuspensionForm(auto_id="id_suspension_%s")


@register.simple_tag
def breach_reason_form(clock: Clock) -> BreachReasonForm:
    """« Motif du manquement », with the reason already given."""
    return BreachReasonForm(
        initial={"reason": clock.breach_reason}, auto_id=f"id_breach_{clock.pk}_%s"
    )


@register.simple_tag
def booking_clocks(bookings: Any) -> dict[int, Clock]:
    """The commitment clocks of these bookings (first-steps, « S'adapter »), in one query."""
    from guichet.appointments.models import Booking

    ids = [booking.pk for booking in bookings]
    codes = list(
        Commitment.objects.exclude(appointment_type_slug="").values_list("code", flat=True)
    )
    return {
        target: clock for (_code, target), clock in clocks.clocks_of(codes, Booking, ids).items()
    }


@register.filter
def clock_for(found: dict[int, Clock], key: int) -> Clock | None:
    return found.get(key)


@register.filter
def duration(value: float | None, unit: str) -> str:
    """« 1 jour ouvrable », « 2,5 jours ouvrables »: `value` in the commitment's `unit`."""
    return "—" if value is None else wording.duration(value, unit)
