"""Mon projet Québec in the back office (seed 002; issue 17 §4, §11): intake officers create and
change the periods (the quota locked once open), follow the places live, list the applications
with filters, review possible duplicates and accounts whose holder changed, open the files.
Staff without the intake-officer role find none of it (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Duty, Role
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.params import parse_id
from guichet.core.refusals import Refused
from guichet.dossiers.models import DossierStatus
from guichet.dossiers.recap import recap_context
from guichet.intake import quota, selectors, services
from guichet.intake.kinds.csq import kind as csq
from guichet.intake.kinds.modification import kind as modifications
from guichet.intake.officer_forms import (
    ModificationAnswerForm,
    PeriodForm,
    RecordDocumentForm,
    RequestDocumentsForm,
    StaffReasonForm,
)

STATUS_FILTERS = [
    DossierStatus.PENDING,
    DossierStatus.SUBMITTED,
    DossierStatus.PAID,
    DossierStatus.IN_PROGRESS,
    DossierStatus.SET_ASIDE,
    DossierStatus.REFUSED,
]


@roles(Role.MINISTRY_STAFF, duty=Duty.INTAKE)
@require_http_methods(["GET"])
def periods(request: HttpRequest) -> HttpResponse:
    found = selectors.periods_for(actor_of(request))
    rows = [(period, quota.figures(period)) for period in found]
    return render(request, "backoffice/intake/periods.html", {"rows": rows})


@roles(Role.MINISTRY_STAFF, duty=Duty.INTAKE)
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, period_id: int | None = None) -> HttpResponse:
    """Create or change a period; its live figures beside it."""
    period = (
        get_object_or_404(selectors.periods_for(actor_of(request)), pk=period_id)
        if period_id is not None
        else None
    )
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data
        }
        if form.fields["quota"].disabled:
            values.pop("quota", None)
        try:
            saved = services.save_period(period=period, values=values, actor=actor_of(request))
        except Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("La période de réception est enregistrée."))
            return redirect("backoffice:intake_period", period_id=saved.pk)
    return render(
        request,
        "backoffice/intake/period.html",
        {
            "form": form,
            "period": period,
            "figures": quota.figures(period) if period is not None else None,
        },
        status=422 if form.errors else 200,
    )


@roles(Role.MINISTRY_STAFF, duty=Duty.INTAKE)
@require_http_methods(["GET"])
def applications(request: HttpRequest) -> HttpResponse:
    """The applications submitted, with filters: period, status, paid, flagged."""
    actor = actor_of(request)
    found = selectors.applications_for(actor).order_by("-dossier__submitted_at", "-pk")
    chosen = {key: request.GET.get(key, "") for key in ("periode", "etat", "payee", "signalee")}
    period_id = parse_id(chosen["periode"])
    if period_id is not None:
        found = found.filter(period_id=period_id)
    if chosen["etat"] in STATUS_FILTERS:
        found = found.filter(dossier__status=chosen["etat"])
    if chosen["payee"] == "oui":
        found = found.filter(paid_at__isnull=False)
    elif chosen["payee"] == "non":
        found = found.filter(paid_at__isnull=True)
    if chosen["signalee"] == "doublon":
        found = found.filter(possible_duplicate=True)
    elif chosen["signalee"] == "titulaire":
        found = found.filter(transfer_flagged_at__isnull=False)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/intake/applications.html",
        {
            "page": page,
            "chosen": chosen,
            "periods": selectors.periods_for(actor),
            "statuses": [(s.value, csq.CSQ.status_label(s.value)) for s in STATUS_FILTERS],
            "page_query": query.urlencode(),
        },
    )


@roles(Role.MINISTRY_STAFF, duty=Duty.INTAKE)
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    """An application, its whole form (staff see it all), and the officer's decisions."""
    actor = actor_of(request)
    found = get_object_or_404(selectors.applications_for(actor), pk=application_id)
    reason_form = StaffReasonForm()
    request_form = RequestDocumentsForm(prefix="documents")
    record_forms: dict[int, RecordDocumentForm] = {}
    answer_forms: dict[int, ModificationAnswerForm] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open_file":
                services.open_file(application=found, actor=actor)
                messages.success(request, _("La lettre d'ouverture de dossier est envoyée."))
                return redirect("backoffice:intake_application", application_id=found.pk)
            if action == "keep":
                services.keep(application=found, actor=actor)
                messages.success(request, _("La demande est conservée."))
                return redirect("backoffice:intake_application", application_id=found.pk)
            if action == "request_documents":
                request_form = RequestDocumentsForm(request.POST, prefix="documents")
                if request_form.is_valid():
                    services.request_documents(
                        application=found,
                        standard=request_form.cleaned_data["standard"],
                        others=request_form.other_lines(),
                        actor=actor,
                    )
                    messages.success(request, _("La liste des documents exigés est envoyée."))
                    return redirect("backoffice:intake_application", application_id=found.pk)
            if action and action.startswith("record:"):
                wanted = parse_id(action.split(":", 1)[1])
                document = found.required_documents.filter(pk=wanted or 0).first()
                if document is None:
                    raise Http404
                record_forms[document.pk] = form = RecordDocumentForm(
                    request.POST, prefix=f"doc-{document.pk}"
                )
                if form.is_valid():
                    services.record_document(
                        document=document,
                        received_on=form.cleaned_data["received_on"],
                        explanation=form.cleaned_data["explanation"],
                        actor=actor,
                    )
                    messages.success(request, _("La réception du document est inscrite."))
                    return redirect("backoffice:intake_application", application_id=found.pk)
            if action and action.startswith("modification:"):
                wanted = parse_id(action.split(":", 1)[1])
                change = (
                    modifications.modifications_of(found.dossier.owner)
                    .filter(pk=wanted or 0)
                    .first()
                )
                if change is None:
                    raise Http404
                answer_forms[change.pk] = answer_form = ModificationAnswerForm(
                    request.POST, prefix=f"mod-{change.pk}"
                )
                if answer_form.is_valid():
                    modifications.process(
                        dossier=change, answer=answer_form.cleaned_data["answer"], actor=actor
                    )
                    messages.success(request, _("La réponse est envoyée au candidat."))
                    return redirect("backoffice:intake_application", application_id=found.pk)
            if action == "confirm_exemption":
                services.confirm_exemption(application=found, actor=actor)
                messages.success(
                    request,
                    _("La demande est soumise hors du nombre maximal ; le candidat en est avisé."),
                )
                return redirect("backoffice:intake_application", application_id=found.pk)
            if action == "refuse_exemption":
                reason_form = StaffReasonForm(request.POST)
                if reason_form.is_valid():
                    services.refuse_exemption(
                        application=found, reason=reason_form.cleaned_data["reason"], actor=actor
                    )
                    messages.success(
                        request, _("La décision est enregistrée ; le candidat en est avisé.")
                    )
                    return redirect("backoffice:intake_application", application_id=found.pk)
            if action in ("set_aside", "refuse"):
                reason_form = StaffReasonForm(request.POST)
                if reason_form.is_valid():
                    decide = (
                        services.set_aside if action == "set_aside" else services.refuse_transferred
                    )
                    decide(
                        application=found, reason=reason_form.cleaned_data["reason"], actor=actor
                    )
                    messages.success(
                        request, _("La décision est enregistrée ; le candidat en est avisé.")
                    )
                    return redirect("backoffice:intake_application", application_id=found.pk)
        except Refused as refusal:
            messages.error(request, refusal.message)
    dossier = found.dossier
    others = (
        selectors.applications_for(actor)
        .filter(passport_key=found.passport_key)
        .exclude(pk=found.pk)
        if found.passport_key
        else selectors.applications_for(actor).none()
    ) | (
        selectors.applications_for(actor).filter(names_key=found.names_key).exclude(pk=found.pk)
        if found.names_key
        else selectors.applications_for(actor).none()
    )
    claimed = (found.exemption_claim or {}).get("offer_number") if found.exemption else ""
    return render(
        request,
        "backoffice/intake/application.html",
        {
            "offer_found": csq.offer_named(str(claimed or "")),
            "application": found,
            "dossier": dossier,
            "sections": recap_context(dossier)["recap_sections"],
            "receipt": csq.receipt_number(dossier),
            "reason_form": reason_form,
            "similar": others.distinct(),
            "events": dossier.events.select_related("actor"),
            "request_form": request_form,
            "modifications": [
                (
                    m,
                    answer_forms.get(m.pk) or ModificationAnswerForm(prefix=f"mod-{m.pk}"),
                    modifications.MODIFICATION.sections[0].recap_rows(m.data.get("modification")),
                )
                for m in modifications.modifications_of(dossier.owner)
            ],
            "required": [
                (d, record_forms.get(d.pk) or RecordDocumentForm(prefix=f"doc-{d.pk}"))
                for d in found.required_documents.all()
            ],
        },
    )
