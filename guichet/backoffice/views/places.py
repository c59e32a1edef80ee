"""Places and the appointment types an organisation offers (SPEC D2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user, roles
from guichet.appointments.models import AppointmentType, Place
from guichet.audit.services import audit
from guichet.core.params import parse_id, parse_ids

from .. import scope
from ..forms import PlaceForm
from .calendar import STAFF


@roles(*STAFF)
def places(request: HttpRequest) -> HttpResponse:
    found = Place.objects.filter(organisation__in=scope.organisations(current_user(request)))
    return render(
        request,
        "backoffice/places.html",
        {"places": found.select_related("organisation", "locality")},
    )


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, place_id: int | None = None) -> HttpResponse:
    user = current_user(request)
    offices = scope.organisations(user)
    place = None
    if place_id is not None:
        place = Place.objects.filter(pk=place_id, organisation__in=offices).first()
        if place is None:
            raise Http404
    form = PlaceForm(request.POST or None, instance=place, organisations=offices)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        audit(
            user,
            "place.saved" if place else "place.created",
            saved,
            source=user.source,
            request=request,
        )
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
    user = current_user(request)
    offices = scope.organisations(user)
    office = (
        offices.filter(pk=parse_id(request.GET.get("organisme")) or 0).first() or offices.first()
    )
    if office is None:
        raise Http404
    kinds = AppointmentType.objects.filter(is_active=True)
    if request.method == "POST":
        chosen = parse_ids(request.POST.getlist("types"))
        office.appointment_types.set([k for k in kinds if k.pk in chosen])
        audit(
            user,
            "organisation.types_offered",
            office,
            source=user.source,
            request=request,
            details={"types": sorted(chosen)},
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
