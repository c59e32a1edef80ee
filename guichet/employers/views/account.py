"""« Le compte du portail des employeurs » (seed 004 §III end, §IV.3): the home page, the
company's users and PINs, and « Fermeture de session »."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user
from guichet.accounts.models import Role
from guichet.audit.selectors import previous_sign_in
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.params import parse_id
from guichet.core.refusals import Refused
from guichet.messaging.selectors import threads_for

from .. import selectors, services
from ..forms import IssuePinForm
from .offers import PAGE_SIZES


def _company(request: HttpRequest) -> selectors.Company:
    company = selectors.company_of(actor_of(request))
    if company is None:  # the onboarding gate sends these users elsewhere first
        raise Http404
    return company


@roles(Role.EMPLOYER)
def home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    company = _company(request)
    # « Afficher … éléments » and « Rechercher : » over the account's messages (seed 004): by
    # subject, in the words shown to this person (the subject in their language).
    size = parse_id(request.GET.get("afficher")) or 10
    if size not in PAGE_SIZES:
        size = 10
    query = (request.GET.get("rechercher") or "").strip()[:100]
    found = threads_for(actor_of(request)).annotate(read_at=Max("messages__read_at"))
    threads = list(found.order_by("-last_message_at")[:500])
    if query:
        folded = query.casefold()
        threads = [t for t in threads if folded in t.shown_subject.casefold()]
    return render(
        request,
        "employers/home.html",
        {
            "company": company,
            "previous_sign_in": previous_sign_in(user),
            "threads": threads[:size],
            "thread_count": len(threads),
            "query": query,
            "size": size,
            "sizes": PAGE_SIZES,
            "is_primary": company.primary_user_id == user.pk,
        },
    )


@roles(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest) -> HttpResponse:
    """« Utilisateurs de l'entreprise »; the primary user issues a PIN for another person."""
    user = current_user(request)
    company = _company(request)
    is_primary = company.primary_user_id == user.pk
    issued = None
    form = IssuePinForm()
    if request.method == "POST":
        if not is_primary:
            raise Http404
        form = IssuePinForm(request.POST)
        if form.is_valid():
            try:
                issued = services.issue_pin(
                    actor=actor_of(request), email=form.cleaned_data["email"]
                )
            except Refused as refusal:
                messages.error(request, refusal.message)
            else:
                form = IssuePinForm()
    return render(
        request,
        "employers/users.html",
        {
            "company": company,
            "members": selectors.company_users(actor_of(request)),
            "pins": selectors.pins_for(actor_of(request)),
            "is_primary": is_primary,
            "form": form,
            "issued": issued,
            "now": timezone.now(),
        },
    )


@roles(Role.EMPLOYER)
def logout(request: HttpRequest) -> HttpResponse:
    """« Fermeture de session »: Continuer ends the session (accounts:logout), Annuler returns."""
    return render(request, "employers/logout.html")
