"""`{% answer_clock thread as clock %}`: the running clock of the answer a message thread is
waiting for (seed 003: 5 business days), for the person's and the staff's pages."""

from __future__ import annotations

from django import template

from guichet.commitments import clocks
from guichet.commitments.clocks import EMAIL_ANSWER
from guichet.commitments.models import Clock

register = template.Library()


@register.simple_tag
def answer_clock(thread: object) -> Clock | None:
    if thread is None or getattr(thread, "pk", None) is None:
        return None
    return clocks.running(EMAIL_ANSWER, thread)  # type: ignore[arg-type]
