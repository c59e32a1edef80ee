"""The public « Déclaration de services à la clientèle » (seed 003, SPEC H2): the engagements,
the commitments' delays (data), how they are counted, how to reach us, and the complaints
commissioner."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guichet.core.access import public

from .models import Commitment, Section


@public
@require_GET
def declaration(request: HttpRequest) -> HttpResponse:
    order = list(Section.values)
    commitments = sorted(
        Commitment.objects.all(), key=lambda c: (order.index(c.section), c.position)
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
