"""The employers' portal in the back office (seed 004; issue 16 §4, §11): ministry staff with the
employer-files role verify portal registrations — approve, or refuse with a reason — and read
the submitted job offers, write to a company about one, and flag one for inspection. Staff
without that role find none of it (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Duty, Role
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused
from guichet.dossiers.recap import recap_context
from guichet.employers import selectors, services
from guichet.employers.forms import DecisionForm, InspectionForm, OfficerMessageForm
from guichet.employers.kinds.offer import kind as offers
from guichet.employers.models import RegistrationStatus


@roles(Role.MINISTRY_STAFF, duty=Duty.EMPLOYER_FILES)
@require_http_methods(["GET"])
def registrations(request: HttpRequest) -> HttpResponse:
    found = selectors.registrations_for(actor_of(request))
    return render(
        request,
        "backoffice/employer_registrations.html",
        {
            "pending": [r for r in found if r.status == RegistrationStatus.PENDING],
            "decided": [r for r in found if r.status != RegistrationStatus.PENDING][:50],
        },
    )


@roles(Role.MINISTRY_STAFF, duty=Duty.EMPLOYER_FILES)
@require_http_methods(["GET", "POST"])
def registration(request: HttpRequest, registration_id: int) -> HttpResponse:
    found = get_object_or_404(selectors.registrations_for(actor_of(request)), pk=registration_id)
    form = DecisionForm()
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("action") == "approve":
                    company = services.approve(actor=actor_of(request), registration_id=found.pk)
                    messages.success(
                        request,
                        _("L'inscription est acceptée : l'entreprise porte le numéro %(number)s.")
                        % {"number": company.ministry_number},
                    )
                else:
                    services.refuse(
                        actor=actor_of(request),
                        registration_id=found.pk,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(
                        request, _("L'inscription est refusée; la personne en est avisée.")
                    )
            except Refused as refusal:
                if refusal.field == "reason":
                    form.add_error("reason", refusal.message)
                else:
                    messages.error(request, refusal.message)
            else:
                return redirect("backoffice:employer_registrations")
    return render(
        request,
        "backoffice/employer_registration.html",
        {"registration": found, "form": form},
    )


@roles(Role.MINISTRY_STAFF, duty=Duty.EMPLOYER_FILES)
@require_http_methods(["GET"])
def offers_list(request: HttpRequest) -> HttpResponse:
    """The submitted job offers, newest first; search by offer number or company."""
    found = (
        offers.offers_for(actor_of(request))
        .select_related("owner_organisation", "inspection")
        .order_by("-submitted_at")
    )
    query = (request.GET.get("rechercher") or "").strip()[:100]
    if query:
        found = found.filter(
            Q(number__icontains=query) | Q(owner_organisation__name__icontains=query)
        )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/employer_offers.html",
        {"page": page, "query": query, "page_query": f"rechercher={query}" if query else ""},
    )


@roles(Role.MINISTRY_STAFF, duty=Duty.EMPLOYER_FILES)
@require_http_methods(["GET", "POST"])
def offer_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """An offer, read-only, with its company; write to the company; flag it for inspection."""
    dossier = get_object_or_404(offers.offers_for(actor_of(request)), pk=dossier_id)
    message_form = OfficerMessageForm(prefix="message")
    flag_form = InspectionForm(prefix="inspection")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "validate":
                offers.validate(dossier=dossier, actor=actor_of(request))
                messages.success(request, _("L'offre est validée par le Ministère."))
                return redirect("backoffice:employer_offer", dossier_id=dossier.pk)
            if action == "message":
                message_form = OfficerMessageForm(request.POST, prefix="message")
                if message_form.is_valid():
                    offers.message_company(
                        dossier=dossier,
                        body=message_form.cleaned_data["body"],
                        actor=actor_of(request),
                    )
                    messages.success(request, _("Votre message est envoyé à l'entreprise."))
                    return redirect("backoffice:employer_offer", dossier_id=dossier.pk)
            elif action == "inspection":
                flag_form = InspectionForm(request.POST, prefix="inspection")
                if flag_form.is_valid():
                    offers.flag_for_inspection(
                        dossier=dossier,
                        reason=flag_form.cleaned_data["reason"],
                        actor=actor_of(request),
                    )
                    messages.success(request, _("L'offre est signalée pour inspection."))
                    return redirect("backoffice:employer_offer", dossier_id=dossier.pk)
        except Refused as refusal:
            messages.error(request, refusal.message)
    thread = getattr(dossier, "thread", None)
    return render(
        request,
        "backoffice/employer_offer.html",
        {
            "dossier": dossier,
            "company": selectors.company_of_dossier(dossier),
            "sections": recap_context(dossier)["recap_sections"],
            "status": offers.display_status(dossier),
            "receipt": offers.receipt_number(dossier),
            "inspection": getattr(dossier, "inspection", None),
            "validation": getattr(dossier, "validation", None),
            "thread_messages": list(thread.messages.order_by("created_at")) if thread else [],
            "message_form": message_form,
            "flag_form": flag_form,
            "signed": dossier.data.get("signature") or {},
        },
    )
