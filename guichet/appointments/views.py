from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user, public, roles
from guichet.accounts.models import Role
from guichet.clients.models import Client

from . import selectors, services


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
