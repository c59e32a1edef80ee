"""Demo data of the service commitments: a ministry closure day on the business-day clock."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from guichet.core.dates import quebec_holidays
from guichet.core.models import ClosureDay


def load_commitments() -> None:
    """A closure day about three weeks ahead (a weekday that is not a holiday), once."""
    if ClosureDay.objects.exists():
        return
    day = timezone.localdate() + timedelta(days=21)
    while day.weekday() >= 5 or quebec_holidays(day, day):
        day += timedelta(days=1)
    ClosureDay.objects.create(
        day=day,
        reason_fr="Déménagement des bureaux de Montréal",
        reason_en="Montréal offices moving",
    )
