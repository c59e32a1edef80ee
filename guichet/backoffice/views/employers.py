"""The employers' portal in the back office (seed 004; issue 16 §4): ministry staff with the
employer-files role verify portal registrations — approve, or refuse with a reason. Staff
without that role find none of it (404)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Role
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused
from guichet.employers import selectors, services
from guichet.employers.forms import DecisionForm
from guichet.employers.models import RegistrationStatus


def _officer(request: HttpRequest) -> None:
    if not selectors.handles_employer_files(actor_of(request)):
        raise Http404


@roles(Role.MINISTRY_STAFF)
@require_http_methods(["GET"])
def registrations(request: HttpRequest) -> HttpResponse:
    _officer(request)
    found = selectors.registrations_for(actor_of(request))
    return render(
        request,
        "backoffice/employer_registrations.html",
        {
            "pending": [r for r in found if r.status == RegistrationStatus.PENDING],
            "decided": [r for r in found if r.status != RegistrationStatus.PENDING][:50],
        },
    )


@roles(Role.MINISTRY_STAFF)
@require_http_methods(["GET", "POST"])
def registration(request: HttpRequest, registration_id: int) -> HttpResponse:
    _officer(request)
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
