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
    order = list(Section.values)
    commitments = sorted(
        Commitment.objects.filter(declared=True), key=lambda c: (order.index(c.section), c.position)
    )
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
    first, last, rows = cast(tuple[date, date, list[reports.Figures]], found)
    return render(
        request,
        "commitments/processing_times.html",
        {"first": first, "last": last, "rows": rows, "days": reports.PUBLIC_DAYS},
    )
