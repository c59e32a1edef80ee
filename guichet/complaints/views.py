"""« Vos commentaires sont précieux » (seed 003): anyone sends a complaint, a comment or a
suggestion; the person follows it (signed in: « Mes plaintes et commentaires »; otherwise the
link we email). Only its author reaches it here; the commissioner works in the office."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.models import Role
from guichet.commitments import clocks
from guichet.core.access import public, roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused

from . import selectors, services
from .forms import ComplaintForm
from .models import Complaint

SIGNED_IN = (Role.CLIENT, Role.EMPLOYER)


def _signed_in_author(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.role in SIGNED_IN


@public
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    form = ComplaintForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.submit(
                actor=actor_of(request),
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                name=data.get("name", ""),
                email=data.get("email", ""),
                language=get_language() or "fr",
                about=form.about_object(),
            )
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Nous avons reçu votre message no %(number)s. Vous recevrez un accusé de "
                    "réception dans les 2 jours ouvrables et une réponse dans les 10 jours "
                    "ouvrables."
                )
                % {"number": complaint.number},
            )
            if complaint.author_id:
                return redirect("complaints:detail", complaint_number=complaint.number)
            return redirect("complaints:follow", key=selectors.follow_key(complaint))
    return render(
        request,
        "complaints/new.html",
        {"form": form, "signed_in": _signed_in_author(request)},
        status=422 if form.errors else 200,
    )


@roles(*SIGNED_IN)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    complaints = selectors.own_complaints(actor_of(request))
    return render(request, "complaints/mine.html", {"complaints": complaints})


def _page(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "sent": list(complaint.messages.all()),
            "acknowledgement": clocks.latest(services.ACKNOWLEDGEMENT, complaint),
            "answer": clocks.latest(services.ANSWER, complaint),
        },
    )


@roles(*Role.values)  # the selector answers: 404 to everyone but the author
@require_GET
def detail(request: HttpRequest, complaint_number: str) -> HttpResponse:
    complaint = get_object_or_404(
        selectors.own_complaints(actor_of(request)), number=complaint_number
    )
    return _page(request, complaint)


@public
@require_GET
def follow(request: HttpRequest, key: str) -> HttpResponse:
    complaint = selectors.followed(key)
    if complaint is None:
        raise Http404
    return _page(request, complaint)
