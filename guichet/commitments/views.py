"""The public « Déclaration de services à la clientèle » (seed 003, SPEC H2): the engagements,
the commitments' delays (data), how they are counted, how to reach us, and the complaints
commissioner."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from guichet.core.access import public

from . import reports
from .models import Commitment, Section


@public
@require_GET
def declaration(request: HttpRequest) -> HttpResponse:
    commitments = declared_in_order()
    sections = [
        (label, [c for c in commitments if c.section == value])
        for value, label in Section.choices
        if value != Section.COMPLAINTS
    ]
    complaints = [c for c in commitments if c.section == Section.COMPLAINTS]
    return render(
        request,
        "commitments/declaration.html",
        {"sections": sections, "complaints": complaints},
    )


@public
@require_GET
def processing_times(request: HttpRequest) -> HttpResponse:
    """« Le délai de traitement qui a cours » (seed 003): for each commitment, the median and
    90th percentile of the requests completed in the last 90 days. Figures, never people; worked
    out at most once every 10 minutes."""
    today = timezone.localdate()
    found = cache.get_or_set(
        f"commitments:processing-times:{today.isoformat()}",
        lambda: reports.processing_times(today),
        timeout=600,
    )
    first, last, figures = cast(tuple[date, date, list[reports.Figures]], found)
    # In the declaration's order; the telephone's delay is declared but not measured here.
    by_code = {row.commitment.code: row for row in figures}
    rows = [PublicRow(c, by_code.get(c.code)) for c in declared_in_order()]
    return render(
        request,
        "commitments/processing_times.html",
        {"first": first, "last": last, "rows": rows, "days": reports.PUBLIC_DAYS},
    )


class PublicRow:
    """A line of « Délais de traitement actuels »: the commitment and its figures (None when
    Guichet does not measure it)."""

    def __init__(self, commitment: Commitment, figures: reports.Figures | None) -> None:
        self.commitment = commitment
        self.measured = figures is not None
        self.completed = figures.completed if figures else 0
        self.median = figures.median if figures else None
        self.p90 = figures.p90 if figures else None


def declared_in_order() -> list[Commitment]:
    """The declaration's commitments in its own order (sections as the seed lists them)."""
    order = list(Section.values)
    return sorted(
        Commitment.objects.filter(declared=True), key=lambda c: (order.index(c.section), c.position)
    )
