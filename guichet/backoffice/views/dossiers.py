"""The integration agents' side of the dossiers (SPEC E8): the queue of submitted dossiers,
assignment, the first appointment, the individual action plan (PAI), notes and messages.
Dossiers belong to the ministry: partner staff have no access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Role
from guichet.commitments.clocks import answer_clocks
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused
from guichet.documents.selectors import documents_for
from guichet.documents.services import download
from guichet.dossiers import services
from guichet.dossiers.kinds.accompagnement import casework
from guichet.dossiers.models import (
    Dossier,
)
from guichet.dossiers.recap import recap_context
from guichet.dossiers.registry import get_kind, kind_of
from guichet.dossiers.selectors import agent_appointments_for, dossiers_for, queue_for
from guichet.messaging import services as messaging
from guichet.messaging.selectors import threads_for

from ..dossier_forms import (
    LANGUAGE_NAMES,
    ActionForm,
    AppointmentForm,
    AssignForm,
    MessageForm,
    NoteForm,
    OpenDossierForm,
    QueueFilterForm,
)

AGENTS = (Role.MINISTRY_STAFF,)
FORMS: dict[str, type[forms.Form]] = {
    "assign": AssignForm,
    "appointment": AppointmentForm,
    "action": ActionForm,
    "note": NoteForm,
    "message": MessageForm,
}


def _dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    found = dossiers_for(actor_of(request)).filter(pk=dossier_id).first()
    if found is None:
        raise Http404
    return found


@roles(*AGENTS)
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Submitted dossiers, oldest first, with the first-appointment due time (service level)."""
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    dossiers = queue_for(actor_of(request), data)
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    names = {code: label for code, label in LANGUAGE_NAMES}
    answers = answer_clocks([dossier.pk for dossier in page.object_list])
    for dossier in page.object_list:
        kept = getattr(dossier, "accompaniment", None)
        codes = [code for code in (kept.languages if kept else "").split(",") if code]
        dossier.language_names = ", ".join(str(names.get(c, c)) for c in codes)
        dossier.answer_clock = answers.get(dossier.pk)
    query = request.GET.copy()
    query.pop("page", None)
    meetings = agent_appointments_for(actor_of(request))[:20]
    return render(
        request,
        "backoffice/dossiers.html",
        {
            "form": form,
            "page": page,
            "page_query": query.urlencode(),
            "meetings": meetings,
        },
    )


def _context(
    request: HttpRequest, dossier: Dossier, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    kind = kind_of(dossier)
    forms_by_name = {name: form_class(prefix=name) for name, form_class in FORMS.items()}
    if dossier.assigned_to_id:
        forms_by_name["assign"] = AssignForm(
            prefix="assign", initial={"agent": dossier.assigned_to_id}
        )
    forms_by_name |= bound or {}
    thread = threads_for(actor_of(request)).filter(dossier=dossier).first()
    return {
        "dossier": dossier,
        "kind": kind,
        "forms": forms_by_name,
        "actions": dossier.actions.all(),
        "notes": dossier.notes.select_related("author"),
        "events": dossier.events.select_related("actor"),
        "appointments": dossier.appointments.select_related("place__locality", "agent"),
        "documents": dossier.documents.defer("content"),
        "thread": thread,
        "thread_messages": thread.messages.all() if thread else [],
    } | recap_context(dossier)


@roles(*AGENTS)
@require_http_methods(["GET", "POST"])
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = _dossier(request, dossier_id)
    actor = actor_of(request)
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name == "close":
            return _run(
                request,
                dossier,
                lambda: casework.close(dossier=dossier, actor=actor),
                str(SUCCESS["close"]),
            )
        if name not in FORMS:
            raise Http404
        form = FORMS[name](request.POST, prefix=name)
        if form.is_valid():
            data = form.cleaned_data
            done = {
                "assign": lambda: casework.assign(
                    dossier=dossier, agent=data["agent"], actor=actor
                ),
                "appointment": lambda: casework.schedule_appointment(
                    dossier=dossier,
                    starts_at=data["starts_at"],
                    mode=data["mode"],
                    place=data["place"],
                    details=data["details"],
                    actor=actor,
                ),
                "action": lambda: casework.add_action(
                    dossier=dossier,
                    title=data["title"],
                    description=data["description"],
                    due_date=data["due_date"],
                    actor=actor,
                ),
                "note": lambda: casework.add_note(
                    dossier=dossier, body=data["body"], visibility=data["visibility"], actor=actor
                ),
                "message": lambda: casework.message_client(
                    dossier=dossier, body=data["body"], actor=actor
                ),
            }[name]
            return _run(request, dossier, done, str(SUCCESS[name]))
        return render(
            request,
            "backoffice/dossier.html",
            _context(request, dossier, {name: form}),
            status=422,
        )
    thread = threads_for(actor_of(request)).filter(dossier=dossier).first()
    if thread is not None:
        messaging.mark_read_by_ministry(thread)
    return render(request, "backoffice/dossier.html", _context(request, dossier))


SUCCESS = {
    "close": gettext_lazy("Le dossier a été fermé."),
    "assign": gettext_lazy("Le dossier a été attribué."),
    "appointment": gettext_lazy(
        "Le rendez-vous a été envoyé dans le Centre des messages de la personne."
    ),
    "action": gettext_lazy("L'action a été ajoutée au plan."),
    "note": gettext_lazy("La note a été ajoutée."),
    "message": gettext_lazy("Le message a été envoyé."),
}


def _run(request: HttpRequest, dossier: Dossier, work: Any, success: str) -> HttpResponse:
    try:
        work()
    except Refused as refusal:
        messages.error(request, refusal.reasons[0])
    else:
        messages.success(request, success)
    return redirect("backoffice:dossier", dossier_id=dossier.pk)


@roles(*AGENTS)
@require_http_methods(["GET"])
def dossier_document(request: HttpRequest, dossier_id: int, document_id: int) -> HttpResponse:
    dossier = _dossier(request, dossier_id)
    document = documents_for(actor_of(request)).filter(pk=document_id, dossier=dossier).first()
    if document is None:
        raise Http404
    return download(document, actor=actor_of(request))


@roles(*AGENTS)
@require_http_methods(["GET", "POST"])
def dossier_open(request: HttpRequest) -> HttpResponse:
    """« Ouvrir un dossier »: for a person met by an agent, to link later with its number."""
    form = OpenDossierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = get_kind(data["kind"])
        if kind is None:
            raise Http404
        dossier = services.open_for_person(
            kind=kind,
            first_name=data["first_name"],
            last_name=data["last_name"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            actor=actor_of(request),
        )
        messages.success(
            request,
            _("Le dossier %(number)s a été ouvert. Transmettez ce numéro à la personne.")
            % {"number": dossier.number},
        )
        return redirect("backoffice:dossier", dossier_id=dossier.pk)
    return render(request, "backoffice/dossier_open.html", {"form": form})
