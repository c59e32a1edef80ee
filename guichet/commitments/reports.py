"""How well the commitments are kept (SPEC H2 §4): per commitment and period, the requests
completed, the share met, the median and 90th percentile of the time taken (in the commitment's
unit, suspended days left out), the breaches, the suspended time, the requests still running;
the yearly figures for the « rapport annuel de gestion »; the public processing times."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from guichet.core.dates import Calendar, Unit

from .models import Clock, Commitment, DelayUnit, Section


@dataclass(frozen=True)
class Figures:
    commitment: Commitment
    completed: int  # clocks stopped in the period
    met: int  # of those, stopped on or before their due date
    median: float | None  # time taken, in the commitment's unit
    p90: int | None
    breaches: int  # breaches recorded in the period (late answers, and late requests still open)
    suspended: int  # completed requests that were suspended at some time
    suspended_days: int  # their days suspended, added up
    running: int  # started and not stopped at the end of the period
    running_late: int  # of those, past their due date at the end of the period

    @property
    def share_met(self) -> float | None:
        """Percent of the completed requests answered on time (None: none completed)."""
        return round(100 * self.met / self.completed, 1) if self.completed else None


def percentile(values: list[int], percent: int) -> int | None:
    """Nearest-rank percentile: the smallest value with at least `percent` % of the values at
    or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(percent / 100 * len(ordered)) - 1, 0)]


def median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def measured() -> list[Commitment]:
    """The commitments Guichet times (a delay in minutes is the telephone's, not ours), in the
    declaration's order."""
    order = list(Section.values)
    return sorted(
        Commitment.objects.exclude(unit=DelayUnit.MINUTES),
        key=lambda c: (order.index(c.section), c.position),
    )


def figures(first: date, last: date) -> list[Figures]:
    """Each measured commitment's figures for the period [first, last] (dates of Montréal)."""
    commitments = measured()
    clocks = list(
        Clock.objects.filter(commitment__in=commitments)
        .filter(
            Q(stopped_on__range=(first, last))
            | Q(breached_on__range=(first, last))
            | Q(received_on__lte=last, stopped_on__isnull=True)
            | Q(received_on__lte=last, stopped_on__gt=last)
        )
        .only(
            "commitment_id",
            "received_on",
            "due_on",
            "stopped_on",
            "breached_on",
            "suspended_days",
            "suspended_since",
        )
    )
    years = [c.received_on for c in clocks] + [first, last]
    calendar = Calendar.around(*years)
    found = []
    for commitment in commitments:
        mine = [c for c in clocks if c.commitment_id == commitment.pk]
        done = [c for c in mine if c.stopped_on is not None and first <= c.stopped_on <= last]
        taken = [_taken(calendar, c, commitment.unit) for c in done]
        open_at_end = [
            c
            for c in mine
            if c.received_on <= last and (c.stopped_on is None or c.stopped_on > last)
        ]
        found.append(
            Figures(
                commitment=commitment,
                completed=len(done),
                met=sum(1 for c in done if c.breached_on is None),
                median=median(taken),
                p90=percentile(taken, 90),
                breaches=sum(
                    1 for c in mine if c.breached_on is not None and first <= c.breached_on <= last
                ),
                suspended=sum(1 for c in done if c.suspended_days),
                suspended_days=sum(c.suspended_days for c in done),
                running=len(open_at_end),
                running_late=sum(1 for c in open_at_end if c.due_on < last),
            )
        )
    return found


def _taken(calendar: Calendar, clock: Clock, unit: str) -> int:
    """The time a completed request took, in the commitment's unit, its suspended days left
    out."""
    assert clock.stopped_on is not None
    if unit == Unit.CALENDAR_DAYS:
        elapsed = max((clock.stopped_on - clock.received_on).days, 0)
    else:
        elapsed = calendar.business_days_between(clock.received_on, clock.stopped_on)
    return max(elapsed - clock.suspended_days, 0)


def fiscal_year(year: int) -> tuple[date, date]:
    """The Québec government's fiscal year that starts on 1 April `year`."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def current_fiscal_year(today: date) -> int:
    return today.year if today.month >= 4 else today.year - 1


PUBLIC_DAYS = 90


def processing_times(today: date) -> tuple[date, date, list[Figures]]:
    """The public figures: the requests completed in the last 90 days."""
    first = today - timedelta(days=PUBLIC_DAYS)
    return first, today, figures(first, today)
