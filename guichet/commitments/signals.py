"""The message centre's commitment (seed 003: « Réponse à votre demande par courriel — 5
jours »): a client's message starts the thread's clock (the date of receipt is the day it was
sent), the ministry's answer stops it. A notice Guichet writes (`system`) changes nothing."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from guichet.messaging.models import Message, Sender

from . import clocks
from .clocks import EMAIL_ANSWER
from .models import Commitment

logger = logging.getLogger(__name__)


def on_message(sender: type[Message], instance: Message, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    day = timezone.localdate(instance.created_at)
    try:
        if instance.sender == Sender.CLIENT:
            clocks.start(EMAIL_ANSWER, instance.thread, received_on=day)
        elif instance.sender == Sender.MINISTRY:
            clock = clocks.running(EMAIL_ANSWER, instance.thread)
            if clock is not None:
                clocks.stop(clock, on=day)
    except Commitment.DoesNotExist:  # the declaration was not loaded (an emptied database)
        logger.warning("commitments: %s is not declared", EMAIL_ANSWER)
