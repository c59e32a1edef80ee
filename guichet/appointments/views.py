from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Role
from guichet.clients.models import Client
from guichet.clients.selectors import own_client
from guichet.core.access import public, roles
from guichet.core.actor import actor_of
from guichet.core.params import parse_id
from guichet.core.refusals import Refused

from . import selectors, services
from .forms import complementary_information_form
from .models import Session, WaitlistEntry, WaitlistStatus


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
    return own_client(actor_of(request))


@roles(Role.CLIENT)
def my_appointments(request: HttpRequest) -> HttpResponse:
    """« Sélectionner un rendez-vous » (seed 000 §5.2)."""
    client = _client_of(request)
    if client is None:
        return redirect("clients:registration_start")
    bookings = list(selectors.bookings_for(actor_of(request)))
    return render(
        request,
        "appointments/my_appointments.html",
        {"bookings": bookings, "waitlist": list(selectors.waitlist_entries_for(actor_of(request)))},
    )


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """« Annuler un rendez-vous » (seed 000 §5.4): a confirmation page, then the cancellation."""
    booking = selectors.bookings_for(actor_of(request)).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    if not booking.can_cancel_online():
        messages.error(request, _("Ce rendez-vous ne peut pas être annulé en ligne."))
        return redirect("appointments:mine")
    if request.method == "POST":
        services.cancel(booking=booking, actor=actor_of(request))
        messages.success(request, _("Votre rendez-vous a été annulé."))
        return redirect("appointments:mine")
    return render(request, "appointments/cancel_confirm.html", {"booking": booking})


SLOTS_PER_PAGE = 20


def _pick(options: list[Any], value: str | None) -> Any:
    return next((o for o in options if str(o.pk) == value), None)


def _chosen_session(request: HttpRequest, field: str = "session") -> Session | None:
    pk = parse_id(request.POST.get(field, ""))
    if pk is None:
        return None
    return selectors.offered_sessions().filter(pk=pk).first()


def _save_booking(request: HttpRequest, client: Client) -> HttpResponse:
    """SAUVEGARDER, or « liste d'attente » for a full session; asks for the complementary
    information first when the type needs some the client has not given (§5.3.5)."""
    waitlist = _chosen_session(request, "waitlist")
    if waitlist is not None:
        try:
            services.join_waitlist(client=client, session=waitlist, actor=actor_of(request))
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(request.get_full_path())
        messages.success(
            request,
            _(
                "Vous êtes inscrit sur la liste d'attente. Si une place se libère, nous vous "
                "l'offrirons par courriel et vous aurez un temps limité pour la confirmer."
            ),
        )
        return redirect("appointments:mine")
    session = _chosen_session(request)
    if session is None:
        messages.error(request, _("Choisissez une plage horaire."))
        return redirect(request.get_full_path())
    missing = services.missing_information(client, session.appointment_type)
    complement = None
    if missing:
        form = complementary_information_form(
            missing, request.POST if request.POST.get("complement") else None
        )
        if not form.is_valid():
            return render(
                request,
                "appointments/complementary.html",
                {"form": form, "session": session},
                status=200 if not form.is_bound else 422,
            )
        complement = form.cleaned_data
    try:
        services.book(
            client=client,
            session=session,
            actor=actor_of(request),
            complement=complement,
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(request.get_full_path())
    messages.success(
        request,
        _("Votre rendez-vous est enregistré. Une confirmation vous est envoyée par courriel."),
    )
    return redirect("appointments:mine")


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """« Prendre un rendez-vous » (seed 000 §5.3): Type rendez-vous → Ville → Organisme (nearest
    first) → RECHERCHER → a slot → SAUVEGARDER. Plain GET forms: works without JavaScript."""
    client = _client_of(request)
    if client is None:
        return redirect("clients:registration_start")
    if request.method == "POST":
        return _save_booking(request, client)

    kinds = selectors.eligible_types(client)
    kind = _pick(kinds, request.GET.get("type"))
    cities = selectors.cities_offering(kind) if kind else []
    city = _pick(cities, request.GET.get("ville"))
    origin = selectors.client_origin(client)
    organisations = selectors.organisations_by_distance(kind, city, origin) if kind and city else []
    organisation = _pick([o for o, _km in organisations], request.GET.get("organisme"))
    results = None
    if kind and city and request.GET.get("rechercher"):
        results = Paginator(selectors.slots(kind, city, organisation), SLOTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    query = request.GET.copy()
    query.pop("page", None)
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
            "origin": origin,
            "results": results,
            "page_query": query.urlencode(),
            "city_missing": bool(kind and cities and not city and request.GET.get("rechercher")),
        },
    )


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, booking_id: int) -> HttpResponse:
    """« Reporter/Devancer un rendez-vous » (seed 000 §5.5): Type, Ville and Organisme are fixed;
    another slot replaces this one (the old one becomes Reporté)."""
    booking = selectors.bookings_for(actor_of(request)).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    if not booking.can_reschedule_online():
        messages.error(request, _("Ce rendez-vous ne peut pas être reporté ou devancé en ligne."))
        return redirect("appointments:mine")
    if request.method == "POST":
        session = _chosen_session(request)
        if session is None:
            messages.error(request, _("Choisissez une plage horaire."))
            return redirect(request.path)
        try:
            services.reschedule(booking=booking, session=session, actor=actor_of(request))
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(request.path)
        messages.success(
            request,
            _("Votre rendez-vous a été déplacé. Une confirmation vous est envoyée par courriel."),
        )
        return redirect("appointments:mine")
    return render(
        request,
        "appointments/reschedule.html",
        {"booking": booking, "results": list(selectors.reschedule_slots(booking))},
    )


def _client_entry(request: HttpRequest, entry_id: int) -> tuple[Client, WaitlistEntry]:
    client = _client_of(request)
    entry = selectors.waitlist_entries_for(actor_of(request)).filter(pk=entry_id).first()
    if client is None or entry is None:
        raise Http404
    return client, entry


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def waitlist_claim(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Confirm the seat held for this client (a page, then the booking)."""
    _client, entry = _client_entry(request, entry_id)
    if entry.status != WaitlistStatus.OFFERED:
        messages.error(request, _("Aucune place ne vous est offerte pour le moment."))
        return redirect("appointments:mine")
    if request.method == "POST":
        try:
            services.claim(entry=entry, actor=actor_of(request))
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("appointments:mine")
        messages.success(
            request,
            _("Votre rendez-vous est enregistré. Une confirmation vous est envoyée par courriel."),
        )
        return redirect("appointments:mine")
    return render(request, "appointments/waitlist_claim.html", {"entry": entry})


@roles(Role.CLIENT)
@require_http_methods(["POST"])
def waitlist_leave(request: HttpRequest, entry_id: int) -> HttpResponse:
    """« Quitter la liste d'attente »."""
    _client, entry = _client_entry(request, entry_id)
    try:
        services.leave_waitlist(entry=entry, actor=actor_of(request))
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Vous avez quitté la liste d'attente."))
    return redirect("appointments:mine")
