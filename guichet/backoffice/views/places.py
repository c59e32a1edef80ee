"""Places and the appointment types an organisation offers (SPEC D2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.appointments import services
from guichet.appointments.selectors import active_types, places_for
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.params import parse_id, parse_ids
from guichet.organisations.selectors import organisations_for

from ..forms import PlaceForm
from .calendar import STAFF


@roles(*STAFF)
def places(request: HttpRequest) -> HttpResponse:
    found = places_for(actor_of(request))
    return render(
        request,
        "backoffice/places.html",
        {"places": found.select_related("organisation", "locality")},
    )


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, place_id: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    offices = organisations_for(actor)
    place = None
    if place_id is not None:
        place = places_for(actor).filter(pk=place_id).first()
        if place is None:
            raise Http404
    form = PlaceForm(request.POST or None, instance=place, organisations=offices)
    if request.method == "POST" and form.is_valid():
        services.save_place(place=form.save(commit=False), actor=actor)
        messages.success(request, _("Le lieu est enregistré."))
        return redirect("backoffice:places")
    return render(
        request,
        "backoffice/place_form.html",
        {"form": form, "place": place},
        status=422 if form.errors else 200,
    )


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def offered_types(request: HttpRequest) -> HttpResponse:
    """« Types de rendez-vous offerts » by one organisation (ministry: chosen with ?organisme=)."""
    actor = actor_of(request)
    offices = organisations_for(actor)
    office = (
        offices.filter(pk=parse_id(request.GET.get("organisme")) or 0).first() or offices.first()
    )
    if office is None:
        raise Http404
    kinds = active_types()
    if request.method == "POST":
        chosen = parse_ids(request.POST.getlist("types"))
        services.offer_types(
            organisation=office, types=[k for k in kinds if k.pk in chosen], actor=actor
        )
        messages.success(request, _("Les types de rendez-vous offerts sont enregistrés."))
        return redirect(f"{request.path}?organisme={office.pk}")
    offered = set(office.appointment_types.values_list("pk", flat=True))
    return render(
        request,
        "backoffice/offered_types.html",
        {
            "office": office,
            "offices": offices if offices.count() > 1 else None,
            "kinds": kinds,
            "offered": offered,
        },
    )
