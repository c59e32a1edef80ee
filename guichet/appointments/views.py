from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from guichet.accounts.access import public

from . import selectors


@public
def catalogue(request: HttpRequest) -> HttpResponse:
    """« Consulter les descriptions des types de rendez-vous » (seed 000 §2.3)."""
    return render(request, "appointments/catalogue.html", {"types": selectors.catalogue()})


@public
def type_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """« Détail du type de rendez-vous »."""
    appointment_type = get_object_or_404(selectors.catalogue(), slug=slug)
    return render(request, "appointments/type_detail.html", {"type": appointment_type})
