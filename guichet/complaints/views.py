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
from guichet.core.access import public, roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused

from . import selectors, services, survey
from .forms import ComplaintForm, SurveyForm
from .models import Complaint, SurveySubject

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
    return render(request, "complaints/detail.html", services.follow_up(complaint))


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


@roles(*Role.values)  # the selector answers: 404 unless it is the person's own
@require_http_methods(["GET", "POST"])
def satisfaction(request: HttpRequest, subject: str, subject_id: int) -> HttpResponse:
    """« Sondage de satisfaction » after a completed appointment or a closed dossier:
    optional, answered once."""
    actor = actor_of(request)
    item = survey.subject_for(actor, subject, subject_id)
    if item is None:
        raise Http404
    done = bool(survey.answered(actor, subject, [item.pk]))
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not done and form.is_valid():
        try:
            survey.answer(actor=actor, subject=subject, item=item, answers=form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, _("Merci ! Vos réponses nous aident à améliorer nos services.")
            )
            return redirect("complaints:satisfaction", subject=subject, subject_id=item.pk)
    return render(
        request,
        "complaints/satisfaction.html",
        {
            "form": form,
            "done": done,
            "item": item,
            "is_appointment": subject == SurveySubject.APPOINTMENT,
        },
        status=422 if form.errors else 200,
    )
