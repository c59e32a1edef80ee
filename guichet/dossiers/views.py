"""The client's side: « Mes dossiers », the form with its four buttons, the submission steps,
« Identifier mon dossier », and the follow-up (plan, notes, agent) once submitted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts import throttle
from guichet.accounts.access import current_user
from guichet.accounts.models import Role, User
from guichet.accounts.selectors import personal_profile
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused
from guichet.documents.selectors import documents_for

from . import selectors, services
from .calendar import appointment_calendar
from .forms import LINKED, ActionStatusForm, CreateForm, LinkForm
from .kinds.accompagnement import casework
from .models import Dossier
from .recap import recap_context
from .registry import (
    DossierKind,
    Section,
    SectionStatus,
    get_kind,
    kind_of,
    listed_codes,
    row_anchor,
)

SUBMIT_STEPS = 3


def _dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    found = (
        selectors.dossiers_for(actor_of(request))
        .filter(pk=dossier_id, kind__in=listed_codes())
        .first()
    )
    if found is None:
        raise Http404
    return found


def _kind(code: str) -> DossierKind:
    kind = get_kind(code)
    if kind is None or not kind.listed:
        raise Http404
    return kind


def _person_name(user: User) -> str:
    profile = personal_profile(user)
    if profile is not None:
        return f"{profile.passport_first_name} {profile.passport_last_name}"
    return user.get_full_name()


def _frame(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    """The header table and section list every page of the form shows."""
    return {
        "dossier": dossier,
        "kind": kind_of(dossier),
        "person_name": _person_name(current_user(request)),
        "statuses": services.section_statuses(dossier),
    }


@roles(Role.CLIENT)
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    """« Mes dossiers »."""
    mine_ = selectors.dossiers_for(actor_of(request)).filter(kind__in=listed_codes())
    dossiers = list(selectors.with_unread(mine_))
    return render(request, "dossiers/mine.html", {"dossiers": dossiers})


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """« Créer un dossier »: the type, then a new dossier or one to link."""
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["kind"]
        if form.cleaned_data["mode"] == LINKED:
            return redirect("dossiers:link", kind=code)
        return redirect("dossiers:conditions", kind=code)
    return render(request, "dossiers/create.html", {"form": form})


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def conditions(request: HttpRequest, kind: str) -> HttpResponse:
    """The conditions of the type (seed 001 §2.1), checked before the dossier exists."""
    dossier_kind = _kind(kind)
    user = current_user(request)
    form = dossier_kind.conditions_form(request.POST or None)
    context: dict[str, Any] = {"form": form, "kind": dossier_kind, "reasons": []}
    if personal_profile(user) is None:
        context["needs_profile"] = True
        context["profile_url"] = reverse("accounts:personal_profile") + "?next=" + request.path
        return render(request, "dossiers/conditions.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.create(
                kind=dossier_kind, actor=actor_of(request), answers=form.cleaned_data
            )
        except Refused as refusal:
            context["reasons"] = refusal.reasons
            return render(request, "dossiers/conditions.html", context, status=422)
        messages.success(
            request,
            _("Votre dossier %(number)s a été créé. Remplissez chaque section, puis soumettez-le.")
            % {"number": dossier.number},
        )
        return redirect("dossiers:section", dossier_id=dossier.pk, key=dossier_kind.sections[0].key)
    return render(request, "dossiers/conditions.html", context)


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, kind: str) -> HttpResponse:
    """« Identifier mon dossier »: the number, with the identity read from the profile."""
    dossier_kind = _kind(kind)
    user = current_user(request)
    profile = personal_profile(user)
    form = LinkForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "kind": dossier_kind, "profile": profile}
    if profile is None:
        context["profile_url"] = reverse("accounts:personal_profile") + "?next=" + request.path
        return render(request, "dossiers/link.html", context)
    if request.method == "POST":
        if throttle.is_locked(
            throttle.Scope.DOSSIER_LINK, user_code=user.get_username(), request=request
        ):
            return throttle.locked_response(request)
        if form.is_valid():
            try:
                dossier = services.link(
                    actor=actor_of(request),
                    kind=dossier_kind,
                    number=form.cleaned_data["number"],
                )
            except services.LinkFailed:
                throttle.record_failure(
                    throttle.Scope.DOSSIER_LINK, user_code=user.get_username(), request=request
                )
                context["not_found"] = True
                return render(request, "dossiers/link.html", context, status=422)
            except Refused as refusal:
                context["reasons"] = refusal.reasons
                return render(request, "dossiers/link.html", context, status=422)
            throttle.reset(throttle.Scope.DOSSIER_LINK, user_code=user.get_username())
            messages.success(
                request,
                _("Votre dossier %(number)s a été identifié avec succès.")
                % {"number": dossier.number},
            )
            return redirect("dossiers:detail", dossier_id=dossier.pk)
    return render(request, "dossiers/link.html", context)


@roles(Role.CLIENT)
@require_http_methods(["GET"])
def detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = _dossier(request, dossier_id)
    kind = kind_of(dossier)
    if dossier.is_draft:
        return redirect("dossiers:section", dossier_id=dossier.pk, key=kind.sections[0].key)
    context = _frame(request, dossier) | {
        "actions": dossier.actions.all(),
        "notes": selectors.visible_notes(dossier),
        "appointments": dossier.appointments.select_related("place__locality"),
        "documents": documents_for(actor_of(request)).filter(dossier=dossier),
        "thread": getattr(dossier, "thread", None),
        "action_form": ActionStatusForm(),
    }
    return render(request, "dossiers/detail.html", context)


def _section(dossier: Dossier, key: str) -> Section:
    section = kind_of(dossier).section(key)
    if section is None:
        raise Http404
    return section


def _changed(section: Section, dossier: Dossier, raw: dict[str, Any]) -> bool:
    stored = dossier.data.get(section.key) or {}
    return any(
        stored.get(name, [] if isinstance(value, list) else "") != value
        for name, value in raw.items()
    )


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, dossier_id: int, key: str) -> HttpResponse:
    """One section of the form, with QUITTER, ENREGISTRER, RÉCAPITULATIF and SOUMETTRE."""
    dossier = _dossier(request, dossier_id)
    current = _section(dossier, key)
    if not dossier.is_draft:
        messages.info(request, _("Une demande soumise ne peut plus être modifiée."))
        return redirect("dossiers:recap", dossier_id=dossier.pk)
    user = current_user(request)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        raw = current.raw_from(request.POST)
        if action == "quit_discard" or (action == "quit" and not _changed(current, dossier, raw)):
            return redirect("dossiers:mine")
        if action == "quit":  # something typed is not saved: ask first
            return render(
                request,
                "dossiers/quit_confirm.html",
                _frame(request, dossier) | {"section": current, "posted": _hidden(request.POST)},
            )
        moved = current.apply_row_action(raw, action)
        if moved is not None:  # a row added, removed or moved: saved as typed, back to it
            services.save_section(dossier=dossier, section_key=current.key, raw=moved, actor=user)
            url = reverse("dossiers:section", kwargs={"dossier_id": dossier.pk, "key": current.key})
            anchor = row_anchor(action, moved)
            return redirect(f"{url}?ligne={anchor}#{anchor}")
        # Every other button saves first (ENREGISTRER, RÉCAPITULATIF, SOUMETTRE, save and quit).
        services.save_section(dossier=dossier, section_key=current.key, raw=raw, actor=user)
        if action == "recap":
            return redirect("dossiers:recap", dossier_id=dossier.pk)
        if action == "submit":
            return redirect("dossiers:submit", dossier_id=dossier.pk)
        if current.status(raw) == SectionStatus.IN_PROGRESS:
            # Saved, but not done: a warning, never the green « enregistré » beside errors.
            messages.warning(
                request,
                _(
                    "Votre formulaire a été enregistré, mais il contient des erreurs : "
                    "corrigez-les avant de soumettre votre demande."
                ),
            )
        else:
            messages.success(request, _("Votre formulaire a été enregistré."))
        if action == "quit_save":
            return redirect("dossiers:mine")
        return redirect("dossiers:section", dossier_id=dossier.pk, key=current.key)
    raw = dossier.data.get(current.key)
    if current.status(raw) == SectionStatus.NOT_STARTED:
        form = current.form_class()
    else:
        form = current.bind(raw)
        form.is_valid()  # the stored answers' errors show next to their fields
    return render(
        request,
        current.template,
        _frame(request, dossier)
        | {
            "section": current,
            "form": form,
            "row_groups": current.bound_groups(raw, focus=request.GET.get("ligne", "")[:40]),
        },
    )


def _hidden(post: QueryDict) -> list[tuple[str, str]]:
    """The typed values, carried through the « save before leaving? » question."""
    return [
        (name, value)
        for name in post
        if name not in ("csrfmiddlewaretoken", "action")
        for value in post.getlist(name)
    ]


@roles(Role.CLIENT)
@require_http_methods(["GET"])
def recap(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """RÉCAPITULATIF: everything, read-only; back to the form while it is a draft."""
    dossier = _dossier(request, dossier_id)
    return render(request, "dossiers/recap.html", _frame(request, dossier) | recap_context(dossier))


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """SOUMETTRE: errors listed and linked; else Suivant → récapitulatif → Suivant →
    confirmation → Soumettre (seed 001 §2.3)."""
    dossier = _dossier(request, dossier_id)
    if not dossier.is_draft:
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    user = current_user(request)
    errors = services.submission_errors(dossier)
    context = _frame(request, dossier) | {
        "errors": errors,
        "needs_profile": personal_profile(user) is None,
        "profile_url": reverse("accounts:personal_profile") + "?next=" + request.path,
    }
    if request.method == "POST":
        try:
            services.submit(dossier=dossier, actor=actor_of(request))
        except Refused as refusal:
            context["reasons"] = refusal.reasons
            context["step"] = 1
            return render(request, "dossiers/submit.html", context, status=422)
        messages.success(
            request,
            _(
                "Votre demande a été soumise. Un message de confirmation vous attend dans votre "
                "Centre des messages."
            ),
        )
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    step = request.GET.get("etape", "1")
    context["step"] = int(step) if step.isdigit() and 1 <= int(step) <= SUBMIT_STEPS else 1
    if errors or context["needs_profile"]:
        context["step"] = 1
    if context["step"] == 2:
        context |= recap_context(dossier)
    return render(request, "dossiers/submit.html", context)


@roles(Role.CLIENT)
@require_http_methods(["GET"])
def appointment_ics(request: HttpRequest, dossier_id: int, appointment_id: int) -> HttpResponse:
    """« Ajouter à mon agenda »: the appointment with the agent as an .ics file."""
    dossier = _dossier(request, dossier_id)
    appointment = (
        dossier.appointments.select_related("place__locality").filter(pk=appointment_id).first()
    )
    if appointment is None:
        raise Http404
    response = HttpResponse(
        appointment_calendar(appointment, current_user(request).preferred_language),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response


@roles(Role.CLIENT)
@require_http_methods(["POST"])
def action_status(request: HttpRequest, dossier_id: int, action_id: int) -> HttpResponse:
    """The client updates an action of their plan (seed 001 §1.1)."""
    dossier = _dossier(request, dossier_id)
    action = (
        selectors.plan_actions_for(actor_of(request)).filter(pk=action_id, dossier=dossier).first()
    )
    if action is None:
        raise Http404
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            casework.update_action_status(
                action=action, status=form.cleaned_data["status"], actor=current_user(request)
            )
        except Refused as refusal:
            messages.error(request, refusal.reasons[0])
        else:
            messages.success(
                request, _("L'action « %(title)s » a été mise à jour.") % {"title": action.title}
            )
    else:
        messages.error(request, _("Choisissez un statut de la liste."))
    return redirect(reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk}) + "#plan")
