"""« Vos commentaires sont précieux » (seed 003): anyone sends a complaint, a comment or a
suggestion; the person follows it (signed in: « Mes plaintes et commentaires »; otherwise the
link we email). Only its author reaches it here; the commissioner works in the office."""

from __future__ import annotations

from django.conf import settings
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
from .forms import ComplaintForm, NewLinkForm, SurveyForm
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
            if complaint.author_id:
                messages.success(
                    request,
                    _(
                        "Nous avons reçu votre message no %(number)s. Vous recevrez un accusé de "
                        "réception dans les 2 jours ouvrables et une réponse dans les 10 jours "
                        "ouvrables."
                    )
                    % {"number": complaint.number},
                )
                return redirect("complaints:detail", complaint_number=complaint.number)
            # Not the follow-up page: only the email's owner may confirm it (the link sent).
            return redirect("complaints:sent")
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
def sent(request: HttpRequest) -> HttpResponse:
    """After sending without an account: the link to confirm is in the email given."""
    return render(request, "complaints/sent.html", {"days": settings.COMPLAINT_LINK_DAYS})


@public
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, key: str) -> HttpResponse:
    """The page the emailed link opens: while the email is not confirmed, « Confirmer mon
    adresse et transmettre mon message » (a button, so that a mail scanner that opens links
    confirms nothing); then the message's follow-up."""
    try:
        complaint = selectors.followed(key)
    except selectors.LinkExpired:
        return render(request, "complaints/link_expired.html", status=410)
    if complaint is None:
        raise Http404
    if not complaint.counted:
        if request.method == "POST":
            services.confirm_email(actor=actor_of(request), complaint=complaint)
            messages.success(
                request,
                _(
                    "Votre adresse est confirmée et votre message no %(number)s est transmis au "
                    "Commissaire. Vous recevrez un accusé de réception dans les 2 jours "
                    "ouvrables et une réponse dans les 10 jours ouvrables."
                )
                % {"number": complaint.number},
            )
            return redirect("complaints:follow", key=key)
        return render(request, "complaints/confirm.html", {"complaint": complaint})
    if request.method == "POST":
        return redirect("complaints:follow", key=key)
    return _page(request, complaint)


@public
@require_http_methods(["GET", "POST"])
def new_link(request: HttpRequest) -> HttpResponse:
    """« Recevoir un nouveau lien »: the email the message was sent with; the answer is the
    same whether any was (nobody learns who wrote to the commissioner)."""
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not services.send_fresh_links(actor=actor_of(request), email=form.cleaned_data["email"]):
            form.add_error(
                None,
                _("Vous avez demandé plusieurs liens en peu de temps. Réessayez dans une heure."),
            )
        else:
            messages.success(
                request,
                _(
                    "Si un message a été envoyé au Commissaire avec cette adresse, nous venons "
                    "d'y envoyer un nouveau lien. Les liens envoyés avant ne fonctionnent plus."
                ),
            )
            return redirect("complaints:new_link")
    return render(
        request,
        "complaints/new_link.html",
        {"form": form, "days": settings.COMPLAINT_LINK_DAYS},
        status=422 if form.errors else 200,
    )


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
            "is_registration": subject == SurveySubject.REGISTRATION,
        },
        status=422 if form.errors else 200,
    )
