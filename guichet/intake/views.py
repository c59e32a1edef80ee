"""« Mon projet Québec », the candidate's side (seed 002): the periods and the application's
state, the sections (with their repeating groups, within the visit's hour before an opening),
« Soumettre » with the credentials typed again, the fees, « Consultation des documents ». The
candidate has one application: it is found through `applications_for(actor)`, never by an id
in the address."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts import throttle
from guichet.accounts.access import current_user
from guichet.accounts.models import Role
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.i18n import in_languages
from guichet.core.refusals import Refused
from guichet.documents.selectors import documents_for
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.registry import Section, SectionStatus, row_anchor
from guichet.payments import services as payments
from guichet.payments.purposes import get_purpose

from . import quota, selectors, services
from .documents import KINDS
from .kinds.csq import kind as csq
from .kinds.csq.forms import SubmitForm, old_tests
from .kinds.modification import kind as modifications
from .models import Application, IntakePeriod

MOBILE = re.compile(r"Mobi|Android|iPhone|iPad|Tablet|Silk|Kindle", re.IGNORECASE)


def _application(request: HttpRequest) -> Application | None:
    return (
        selectors.applications_for(actor_of(request))
        .filter(dossier__kind=csq.CODE)
        .order_by("-dossier__created_at")
        .first()
    )


def _draft(request: HttpRequest) -> Dossier:
    application = _application(request)
    if application is None:
        raise Http404
    return application.dossier


def _visit(request: HttpRequest) -> services.Visit | None:
    """Before an opening whose period limits visits: the hour runs from this sign-in."""
    minutes = services.visit_minutes()
    user = current_user(request)
    if not minutes or user.last_login is None:
        return None
    return services.Visit(started_at=user.last_login, minutes=minutes)


def _frame(dossier: Dossier, visit: services.Visit | None) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "kind": csq.CSQ,
        "statuses": dossiers.section_statuses(dossier),
        "visit": visit,
        "minutes_left": (visit.seconds_left() + 59) // 60 if visit else None,
    }


@roles(Role.CLIENT)
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """« Mon projet Québec »: the periods, the application, what to do next."""
    application = _application(request)
    dossier = application.dossier if application else None
    context: dict[str, Any] = {
        "application": application,
        "dossier": dossier,
        "current": csq.current_period(),
        "coming": csq.next_period(),
        "visit": _visit(request),
    }
    if application is not None and application.set_aside_reason:
        automatic = in_languages(lambda: csq.DUPLICATE_REASON).values()
        # The duplicate's reason, written by Guichet, in the reader's language.
        context["reason"] = (
            str(csq.DUPLICATE_REASON)
            if application.set_aside_reason in automatic
            else application.set_aside_reason
        )
    if dossier is not None:
        statuses = dossiers.section_statuses(dossier)
        context["complete_count"] = sum(1 for _s, st in statuses if st == SectionStatus.COMPLETE)
        context["section_count"] = len(statuses)
        context["first_section"] = csq.SECTIONS[0].key
        context["ready"] = dossier.is_draft and not dossiers.submission_errors(dossier)
        if dossier.is_draft:
            context["blocked"] = csq.submission_blocked(dossier)
        purpose = get_purpose(csq.CODE)
        if purpose is not None and not dossier.is_draft:
            context["standing"] = payments.standing(purpose, str(dossier.pk))
            context["can_pay"] = purpose.may_pay(current_user(request), str(dossier.pk))
        context["visit"] = _visit(request) if dossier.is_draft else None
        context["required"] = list(application.required_documents.all()) if application else []
        context["modifications"] = list(modifications.modifications_of(current_user(request)))
        context["may_modify"] = dossier.status in modifications.OPEN_TO_CHANGES
    if context["visit"] is not None:
        context["minutes_left"] = (context["visit"].seconds_left() + 59) // 60
    return render(request, "intake/home.html", context)


@roles(Role.CLIENT)
@require_http_methods(["POST"])
def start(request: HttpRequest) -> HttpResponse:
    """« Commencer ma demande »."""
    try:
        services.start(actor=actor_of(request))
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("intake:home")
    messages.success(
        request,
        _(
            "Votre demande est créée. Vous avez 90 jours pour la remplir et la soumettre ; "
            "enregistrez chaque section pour la retrouver à votre prochaine visite."
        ),
    )
    return redirect("intake:section", section_key=csq.SECTIONS[0].key)


def _section(key: str) -> Section:
    found = csq.CSQ.section(key)
    if found is None:
        raise Http404
    return found


def _neighbours(key: str) -> tuple[str | None, str | None]:
    keys = [s.key for s in csq.SECTIONS]
    index = keys.index(key)
    return (
        keys[index - 1] if index > 0 else None,
        keys[index + 1] if index < len(keys) - 1 else None,
    )


def _summary(section: Section, raw: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """The error summary: (anchor, label, message) for the fields and every row."""
    radios = {
        name
        for name, f in section.form_class.base_fields.items()
        if f.widget.__class__.__name__ == "RadioSelect"
    }
    for group in section.groups:
        radios |= {
            f"{group.key}-{i}-{name}"
            for i in range(len(group.rows_of(raw)))
            for name, f in group.form_class.base_fields.items()
            if f.widget.__class__.__name__ == "RadioSelect"
        }
    summary = []
    for name, label, message in section.errors(raw):
        anchor = name if section.group(name) else f"id_{name}{'_0' if name in radios else ''}"
        summary.append((anchor, label, message))
    return summary


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, section_key: str) -> HttpResponse:
    """One section: « Enregistrer », « Enregistrer et continuer », « Enregistrer et quitter »,
    and the rows' buttons; what was typed is kept, valid or not."""
    dossier = _draft(request)
    current = _section(section_key)
    if not dossier.is_draft:
        messages.info(request, _("Une demande soumise ne peut plus être modifiée."))
        return redirect("intake:home")
    visit = _visit(request)
    previous_key, next_key = _neighbours(section_key)
    if request.method == "POST":
        action = str(request.POST.get("action", "save"))
        raw = current.raw_from(request.POST)
        moved = current.apply_row_action(raw, action)
        try:
            services.save_section(
                dossier=dossier,
                key=current.key,
                raw=moved if moved is not None else raw,
                actor=actor_of(request),
                visit=visit,
            )
        except Refused as refusal:
            messages.error(request, refusal.message)
            form = current.bind(raw)
            form.is_valid()
            context = _frame(dossier, visit) | {
                "section": current,
                "form": form,
                "row_groups": current.bound_groups(raw),
                "summary": _summary(current, raw),
                "previous_key": previous_key,
                "next_key": next_key,
                "visit_over": True,
            }
            return render(request, "intake/section.html", context, status=409)
        url = reverse("intake:section", kwargs={"section_key": current.key})
        if moved is not None:
            anchor = row_anchor(action, moved)
            return redirect(f"{url}?ligne={anchor}#{anchor}")
        if current.status(raw) == SectionStatus.IN_PROGRESS:
            if action == "next":
                # « Enregistrer et continuer » with an error (an incomplete row): saved, and the
                # page stays, its errors beside their fields — never a silent move on.
                messages.warning(
                    request,
                    _(
                        "La section a été enregistrée, mais elle contient des erreurs : "
                        "corrigez-les avant de continuer."
                    ),
                )
                return redirect(url)
            messages.warning(
                request,
                _(
                    "La section a été enregistrée, mais elle contient des erreurs : corrigez-les "
                    "avant de soumettre votre demande."
                ),
            )
        else:
            messages.success(request, _("La section a été enregistrée."))
        if action == "quit":
            return redirect("intake:home")
        if action == "next" and next_key:
            return redirect("intake:section", section_key=next_key)
        if action == "next":
            return redirect("intake:submit")
        if action == "previous" and previous_key:
            return redirect("intake:section", section_key=previous_key)
        return redirect(url)
    raw = dossier.data.get(current.key)
    started = current.status(raw) != SectionStatus.NOT_STARTED
    form = current.bind(raw) if started else current.form_class()
    if started:
        form.is_valid()
    context = _frame(dossier, visit) | {
        "section": current,
        "form": form,
        "row_groups": current.bound_groups(raw, focus=request.GET.get("ligne", "")[:40]),
        "summary": _summary(current, raw) if started else [],
        "previous_key": previous_key,
        "next_key": next_key,
        "visit_over": visit is not None and visit.over(),
        "old_tests": old_tests(raw) if current.key == "langues" else [],
    }
    return render(request, "intake/section.html", context)


def _window(request: HttpRequest) -> dict[str, Any] | None:
    """An admitted candidate's window (the waiting room's reservation): seconds left."""
    period = csq.current_period()
    if period is None:
        return None
    live = quota.active_reservation(period=period, user=current_user(request))
    if live is None:
        return None
    left = int((live.expires_at - timezone.now()).total_seconds())
    return {"ends_at": live.expires_at, "seconds_left": max(0, left)}


def _questions(request: HttpRequest) -> list[str]:
    user = current_user(request)
    return list(user.security_answers.order_by("position").values_list("question", flat=True))


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """« Soumettre ma demande »: what is missing, why it cannot be activated, or the
    credentials again (seed 002)."""
    dossier = _draft(request)
    if not dossier.is_draft:
        return redirect("intake:home")
    errors = dossiers.submission_errors(dossier)
    consistency = csq.consistency_errors(dossier)
    blocked = csq.submission_blocked(dossier)
    signs = services.representative_signs(dossier)
    verification = csq.needs_verification(dossier)
    form = SubmitForm(
        request.POST or None,
        questions=_questions(request),
        representative=signs,
        verification=verification,
    )
    context: dict[str, Any] = _frame(dossier, None) | {
        "errors": errors,
        "consistency": consistency,
        "blocked": blocked,
        "form": form,
        "category": csq.category_of(dossier),
        "verification": verification,
        "window": _window(request),
    }
    purpose = get_purpose(csq.CODE)
    try:
        lines = payments.owed(purpose, str(dossier.pk)) if purpose is not None else []
    except Refused:  # no fee schedule for today: the payment page will say so
        lines = []
    context |= {"lines": lines, "total": sum(line.total_cents for line in lines)}
    if request.method == "POST" and not errors and not consistency and blocked is None:
        user = current_user(request)
        if throttle.is_locked(throttle.Scope.LOGIN, user_code=user.get_username(), request=request):
            return throttle.locked_response(request)
        if form.is_valid():
            try:
                row = services.submit(
                    dossier=dossier,
                    actor=actor_of(request),
                    user_code=form.cleaned_data["user_code"],
                    password=form.cleaned_data["password"],
                    answers=form.answers(),
                    representative_signature=bool(
                        form.cleaned_data.get("representative_signature")
                    ),
                    from_mobile=bool(MOBILE.search(request.headers.get("User-Agent", ""))),
                    message=form.cleaned_data.get("message") or "",
                )
            except Refused as refusal:
                if refusal.code == "credentials":
                    throttle.record_failure(
                        throttle.Scope.LOGIN, user_code=user.get_username(), request=request
                    )
                if refusal.field and refusal.field in form.fields:
                    form.add_error(refusal.field, refusal.message)
                else:
                    form.add_error(None, refusal.message)
                context["blocked"] = csq.submission_blocked(dossier)
                return render(request, "intake/submit.html", context, status=422)
            throttle.reset(throttle.Scope.LOGIN, user_code=user.get_username())
            if row.status == DossierStatus.PENDING:
                messages.info(
                    request,
                    _(
                        "Votre demande est en vérification : un agent du Ministère vérifie qu'elle "
                        "peut être soumise hors du nombre maximal de demandes. Vous serez avisé de "
                        "la décision dans vos messages."
                    ),
                )
            elif row.status == DossierStatus.SET_ASIDE:
                messages.warning(
                    request,
                    _("Votre demande a été écartée : consultez le motif dans vos messages."),
                )
            else:
                messages.success(
                    request,
                    _(
                        "Votre demande a été soumise. Vous avez 30 jours pour payer les frais ; "
                        "la confirmation se trouve dans « Consultation des documents »."
                    ),
                )
            return redirect("intake:home")
        return render(request, "intake/submit.html", context, status=422)
    return render(request, "intake/submit.html", context)


@roles(Role.CLIENT)
@require_http_methods(["GET"])
def consultation(request: HttpRequest) -> HttpResponse:
    """« Consultation des documents »: the application's documents (also in « Mes
    documents »)."""
    application = _application(request)
    found = (
        documents_for(actor_of(request)).filter(dossier=application.dossier, kind__in=KINDS)
        if application is not None
        else documents_for(actor_of(request)).none()
    )
    return render(
        request,
        "intake/documents.html",
        {"application": application, "documents": found, "now": timezone.now()},
    )


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def modification(request: HttpRequest) -> HttpResponse:
    """« Modification à une demande de certificat de sélection » (FAQ 2, 19, 24)."""
    user = current_user(request)
    application = modifications.application_to_change(user)
    if application is None:
        raise Http404
    section = modifications.MODIFICATION.sections[0]
    form = section.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            modifications.request(actor=actor_of(request), raw=section.raw_from(request.POST))
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Votre demande de modification est reçue : la réponse viendra dans vos "
                    "messages."
                ),
            )
            return redirect("intake:home")
    return render(
        request,
        "intake/modification.html",
        {"form": form, "application": application},
        status=422 if request.method == "POST" else 200,
    )


def home_opening(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's notice: a period with a waiting room open now, or opening within a
    day, shown before anything else (seed 002's opening day)."""
    now = timezone.now()
    period = (
        IntakePeriod.objects.filter(
            waiting_room=True, closes_at__gt=now, opens_at__lte=now + timedelta(days=1)
        )
        .order_by("opens_at")
        .first()
    )
    if period is None:
        return None
    return {
        "template": "intake/_home_opening.html",
        "period": period,
        "open": period.opens_at <= now,
    }
