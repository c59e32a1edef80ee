from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user, public, roles
from guichet.accounts.models import Role
from guichet.clients.models import Client

from . import selectors, services
from .models import Session


@public
def catalogue(request: HttpRequest) -> HttpResponse:
    """« Consulter les descriptions des types de rendez-vous » (seed 000 §2.3)."""
    return render(request, "appointments/catalogue.html", {"types": selectors.catalogue()})


@public
def type_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """« Détail du type de rendez-vous »."""
    appointment_type = get_object_or_404(selectors.catalogue(), slug=slug)
    return render(request, "appointments/type_detail.html", {"type": appointment_type})


def _client_of(request: HttpRequest) -> Client | None:
    return Client.objects.filter(user=current_user(request)).select_related("status").first()


@roles(Role.CLIENT)
def my_appointments(request: HttpRequest) -> HttpResponse:
    """« Sélectionner un rendez-vous » (seed 000 §5.2)."""
    client = _client_of(request)
    if client is None:
        return redirect("clients:registration_start")
    bookings = list(selectors.client_bookings(client))
    for booking in bookings:
        booking.cancellable = services.can_cancel_online(booking)  # type: ignore[attr-defined]
    return render(request, "appointments/my_appointments.html", {"bookings": bookings})


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """« Annuler un rendez-vous » (seed 000 §5.4): a confirmation page, then the cancellation."""
    client = _client_of(request)
    booking = selectors.client_booking(client, booking_id) if client else None
    if booking is None:
        raise Http404
    if not services.can_cancel_online(booking):
        messages.error(request, _("Ce rendez-vous ne peut pas être annulé en ligne."))
        return redirect("appointments:mine")
    if request.method == "POST":
        services.cancel(booking=booking, actor=current_user(request), request=request)
        messages.success(request, _("Votre rendez-vous a été annulé."))
        return redirect("appointments:mine")
    return render(request, "appointments/cancel_confirm.html", {"booking": booking})


REFUSALS = {
    "full": gettext_lazy(
        "Cette séance est complète. Choisissez une autre date ou un autre organisme."
    ),
    "already_booked": gettext_lazy("Vous êtes déjà inscrit à cette séance."),
    "already_booked_type": gettext_lazy(
        "Vous avez déjà un rendez-vous à venir de ce type. Annulez-le avant d'en prendre un autre."
    ),
    "not_eligible": gettext_lazy(
        "Selon votre statut, permis ou certificat et votre connaissance du français, ce type de "
        "rendez-vous ne vous est pas offert."
    ),
    "too_soon": gettext_lazy("Ce rendez-vous est trop proche pour être pris en ligne."),
    "too_far": gettext_lazy("Ce rendez-vous ne peut pas encore être pris."),
    "unavailable": gettext_lazy("Cette séance n'est plus offerte."),
}


def _pick(options: list[Any], value: str | None) -> Any:
    return next((o for o in options if str(o.pk) == value), None)


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """« Prendre un rendez-vous » (seed 000 §5.3): Type rendez-vous → Ville → Organisme (nearest
    first) → RECHERCHER → a slot → SAUVEGARDER. Plain GET forms: works without JavaScript."""
    client = _client_of(request)
    if client is None:
        return redirect("clients:registration_start")
    if request.method == "POST":
        session = (
            Session.objects.select_related("appointment_type")
            .filter(pk=request.POST.get("session") or 0)
            .first()
        )
        if session is None:
            messages.error(request, _("Choisissez une plage horaire."))
            return redirect(request.get_full_path())
        try:
            services.book(
                client=client, session=session, actor=current_user(request), request=request
            )
        except services.BookingRefused as refused:
            messages.error(request, REFUSALS.get(refused.reason, REFUSALS["unavailable"]))
            return redirect(request.get_full_path())
        messages.success(request, _("Votre rendez-vous est enregistré."))
        return redirect("appointments:mine")

    kinds = selectors.eligible_types(client)
    kind = _pick(kinds, request.GET.get("type"))
    cities = selectors.cities_offering(kind) if kind else []
    city = _pick(cities, request.GET.get("ville"))
    organisations = (
        selectors.organisations_by_distance(kind, city, client.locality) if kind and city else []
    )
    organisation = _pick([o for o, _km in organisations], request.GET.get("organisme"))
    results = (
        list(selectors.slots(kind, city, organisation))
        if kind and city and request.GET.get("rechercher")
        else None
    )
    return render(
        request,
        "appointments/book.html",
        {
            "kinds": kinds,
            "kind": kind,
            "cities": cities,
            "city": city,
            "organisations": organisations,
            "organisation": organisation,
            "results": results,
        },
    )
