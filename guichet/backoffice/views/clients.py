"""Clients in the back office (SPEC D3, D4): search among the clients in scope, see their
appointments, and act on their behalf — add them to a session (an explicit, audited override may
exceed the capacity) or cancel — with the source Partenaire or Ministère recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user
from guichet.appointments import selectors as appointment_selectors
from guichet.appointments import services as appointment_services
from guichet.appointments.models import BOOKING_TRANSITIONS, Booking, BookingStatus
from guichet.appointments.refusals import for_staff
from guichet.audit.services import audit
from guichet.clients.models import Client
from guichet.clients.selectors import clients_for
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.params import parse_id
from guichet.core.refusals import Refused
from guichet.core.search import filter_folded
from guichet.organisations.selectors import organisations_for

from ..forms import AddParticipantForm, ClientSearchForm
from .calendar import STAFF, _session


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def client_search(request: HttpRequest) -> HttpResponse:
    """« Rechercher un client »: only among the clients this staff member may see. The criteria
    (a name, a date of birth) are posted, never put in the address, so they stay out of access
    logs, browser history and Referer headers."""
    form = ClientSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        found = clients_for(actor_of(request))
        if data["last_name"]:
            # « amelie » finds « Amélie » (accents and case ignored).
            found = filter_folded(found, "last_name", data["last_name"])
        if data["birth_date"]:
            found = found.filter(birth_date=data["birth_date"])
        if data["client_number"]:
            found = found.filter(client_number=data["client_number"].strip())
        if data["reference_number"]:
            found = found.filter(reference_number__iexact=data["reference_number"].strip())
        results = list(found.order_by("last_name", "first_name")[:50])
    return render(
        request,
        "backoffice/clients.html",
        {"form": form, "results": results},
        status=422 if form.is_bound and not form.is_valid() else 200,
    )


def _client(request: HttpRequest, client_id: int) -> Client:
    found = clients_for(actor_of(request)).filter(pk=client_id).first()
    if found is None:
        raise Http404
    return found


@roles(*STAFF)
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    """A client's appointments, with « Annuler » on those of the staff member's organisations."""
    actor = actor_of(request)
    client = _client(request, client_id)
    mine = set(organisations_for(actor).values_list("pk", flat=True))
    # Partner staff see the client's appointments with their own organisation only.
    bookings = list(appointment_selectors.bookings_for(actor).filter(client=client))
    # Staff cancel or move the bookings of their own organisation that are still active.
    changeable = {
        b.pk
        for b in bookings
        if BOOKING_TRANSITIONS["cancel"].allows(b.status) and b.session.organisation_id in mine
    }
    audit(actor_of(request), "client.viewed", client)
    return render(
        request,
        "backoffice/client.html",
        {"client": client, "bookings": bookings, "changeable": changeable},
    )


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def add_participant(request: HttpRequest, session_id: int) -> HttpResponse:
    """« Inscrire un client » to a session of the organisation, on the client's behalf."""
    user = current_user(request)
    session = _session(request, session_id)
    form = AddParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = clients_for(user).filter(client_number=data["client_number"].strip()).first()
        if client is None:
            form.add_error(
                "client_number",
                _(
                    "Aucun client accessible ne porte ce numéro (consentement ou inscription par "
                    "votre organisme requis)."
                ),
            )
        else:
            try:
                with transaction.atomic():
                    if data["overbook"]:
                        appointment_services.add_overbooked_seat(
                            session=session, actor=actor_of(request), reason=data["reason"]
                        )
                    appointment_services.book(
                        client=client,
                        session=session,
                        actor=actor_of(request),
                        overlap_reason=data["overlap_reason"],
                    )
            except Refused as refusal:
                form.add_error(
                    "client_number",
                    for_staff(refusal),
                )
            else:
                messages.success(request, _("Le client est inscrit à la séance."))
                return redirect("backoffice:session", session_id=session.pk)
    return render(
        request,
        "backoffice/add_participant.html",
        {"form": form, "session": session},
        status=422 if form.is_bound and not form.is_valid() else 200,
    )


def _changeable_booking(request: HttpRequest, booking_id: int, **conditions: Any) -> Booking:
    """A booking staff may cancel or move: in their organisations' sessions, of a client they
    may see (anything else answers 404)."""
    actor = actor_of(request)
    found = (
        appointment_selectors.bookings_for(actor)
        .filter(
            pk=booking_id,
            session__organisation__in=organisations_for(actor),
            client__in=clients_for(actor),
            **conditions,
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Cancel a client's appointment on their behalf (source Partenaire or Ministère)."""
    booking = _changeable_booking(request, booking_id)
    if request.method == "POST":
        try:
            appointment_services.cancel(booking=booking, actor=actor_of(request))
        except Refused:
            messages.error(request, _("Ce rendez-vous n'est plus actif."))
        else:
            messages.success(request, _("Le rendez-vous est annulé; le client en est avisé."))
        return redirect("backoffice:client", client_id=booking.client_id)
    return render(request, "backoffice/booking_cancel.html", {"booking": booking})


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def booking_reschedule(request: HttpRequest, booking_id: int) -> HttpResponse:
    """« Reporter/Devancer » on the client's behalf: same type, city and organisation."""
    booking = _changeable_booking(request, booking_id, status=BookingStatus.BOOKED)
    error = ""
    chosen = parse_id(request.POST.get("session")) if request.method == "POST" else None
    overlap_reason = str(request.POST.get("overlap_reason", "")).strip()[:300]
    if request.method == "POST":
        target = (
            appointment_selectors.sessions_for(actor_of(request)).filter(pk=chosen or 0).first()
        )
        if target is None:
            error = _("Choisissez une plage horaire.")
        else:
            try:
                appointment_services.reschedule(
                    booking=booking,
                    session=target,
                    actor=actor_of(request),
                    overlap_reason=overlap_reason,
                )
            except Refused as refusal:
                error = for_staff(refusal)
            else:
                messages.success(request, _("Le rendez-vous est déplacé; le client en est avisé."))
                return redirect("backoffice:client", client_id=booking.client_id)
    # On a refusal the page comes back with the error, the chosen slot and the reason kept.
    return render(
        request,
        "backoffice/booking_reschedule.html",
        {
            "booking": booking,
            "results": list(appointment_selectors.reschedule_slots(booking)),
            "error": error,
            "chosen": chosen,
            "overlap_reason": overlap_reason,
        },
        status=422 if error else 200,
    )
