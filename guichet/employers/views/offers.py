"""« Liste d'offres d'emploi » and an offer's pages (seed 004 §IV-V): the four forms, the
checklist and fees, the employer's declaration, « Transmettre et payer », « Visionner l'offre »
and its PDF, « Retirer la demande », the page for the worker. Every offer is looked up through
`selectors.offers_for(actor)`: another company's offer answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts import throttle
from guichet.accounts.access import current_user
from guichet.accounts.models import Role
from guichet.accounts.services import sign_in_question
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import Dossier
from guichet.dossiers.pdf import render_recap
from guichet.dossiers.recap import recap_context
from guichet.dossiers.registry import SectionStatus
from guichet.messaging.models import Sender
from guichet.payments import services as payments
from guichet.payments.purposes import get_purpose

from .. import noc, selectors
from ..forms import OfferSearchForm, OfferSignatureForm
from ..kinds.offer import kind as offers
from ..kinds.offer.forms import EXEMPTION_TITLES

SORTS = {
    "numero": "number",
    "travailleur": "last_name",
    "creation": "created_at",
    "soumission": "submitted_at",
    "maj": "updated_at",
}
PAGE_SIZES = (10, 25, 50, 100)
QUESTION_KEY = "offer_signature_question"


def _offer(request: HttpRequest, dossier_id: int) -> Dossier:
    found = selectors.offers_for(actor_of(request)).filter(pk=dossier_id).first()
    if found is None:
        raise Http404
    return found


def _draft(request: HttpRequest, dossier_id: int) -> Dossier:
    dossier = _offer(request, dossier_id)
    if not dossier.is_draft:
        raise Http404
    return dossier


def _listed(request: HttpRequest) -> QuerySet[Dossier]:
    unread = Q(thread__messages__read_at__isnull=True) & ~Q(thread__messages__sender=Sender.CLIENT)
    return selectors.offers_for(actor_of(request)).annotate(
        unread=Count("thread__messages", filter=unread, distinct=True),
        message_count=Count("thread__messages", distinct=True),
    )


SEARCH_KEY = "employer_offer_search"


@roles(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def offer_list(request: HttpRequest) -> HttpResponse:
    """« Liste d'offres d'emploi »: search by the worker's name or the offer's number, sort by
    any column, ten (or more) per page. The search is sent by POST and kept in the session,
    so that a worker's name never lands in an address (history, logs); sorting and pages are
    in the address, as before."""
    company = selectors.company_of(actor_of(request))
    if company is None:
        raise Http404
    if request.method == "POST":
        keep = OfferSearchForm(request.POST)
        if request.POST.get("action") == "effacer" or not keep.is_valid():
            request.session.pop(SEARCH_KEY, None)
        else:
            request.session[SEARCH_KEY] = {k: v for k, v in keep.cleaned_data.items() if v}
        query = QueryDict(mutable=True)
        for name in ("afficher", "tri"):
            if request.POST.get(name):
                query[name] = request.POST[name]
        address = reverse("employers:offers")
        return redirect(f"{address}?{query.urlencode()}" if query else address)
    terms = request.session.get(SEARCH_KEY) or {}
    form = OfferSearchForm(terms or None)
    found = _listed(request)
    if form.is_valid():
        name = form.cleaned_data.get("travailleur") or ""
        for word in name.split():
            found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        number = (form.cleaned_data.get("numero") or "").strip().upper()
        if number:
            found = found.filter(number__icontains=number)
    sort = request.GET.get("tri", "numero")
    key = sort.removeprefix("-")
    if key not in SORTS:
        sort, key = "numero", "numero"
    field = SORTS[key]
    found = found.order_by(f"-{field}" if sort.startswith("-") else field, "number")
    try:
        size = int(request.GET.get("afficher", "10"))
    except ValueError:
        size = 10
    if size not in PAGE_SIZES:
        size = 10
    page = Paginator(found, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("tri", None)
    rows = [
        {
            "offer": offer,
            "status": offers.display_status(offer),
            "days_left": (offer.deadline - timezone.localdate()).days if offer.is_draft else None,
            "can_withdraw": offer.can("withdraw"),
        }
        for offer in page.object_list
    ]
    return render(
        request,
        "employers/offers/list.html",
        {
            "company": company,
            "form": form,
            "page": page,
            "rows": rows,
            "sort": sort,
            "size": size,
            "sizes": PAGE_SIZES,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "columns": [
                ("numero", _("Numéro de l'offre d'emploi")),
                ("travailleur", _("Nom du travailleur étranger")),
                ("creation", _("Date de création")),
                ("soumission", _("Date soumise/Nombre de jours restants pour la présenter")),
                ("maj", _("Dernière mise à jour")),
            ],
        },
    )


@roles(Role.EMPLOYER)
@require_http_methods(["POST"])
def offer_new(request: HttpRequest) -> HttpResponse:
    """« Soumettre une offre d'emploi »: a new offer, numbered, in « Non soumise »."""
    try:
        dossier = offers.create(actor=actor_of(request))
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("employers:offers")
    return redirect("employers:offer", dossier_id=dossier.pk)


def _forms_table(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {"section": section, "state": state, "started": state != SectionStatus.NOT_STARTED}
        for section, state in dossiers.section_statuses(dossier)
    ]


@roles(Role.EMPLOYER)
@require_http_methods(["GET"])
def offer(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """« Offre d'emploi dispensé d'une EIMT »: the four forms, their status, Continuer."""
    dossier = _offer(request, dossier_id)
    if not dossier.is_draft:
        return redirect("employers:offer_view", dossier_id=dossier.pk)
    table = _forms_table(dossier)
    return render(
        request,
        "employers/offers/offer.html",
        {
            "dossier": dossier,
            "table": table,
            "complete": all(row["state"] == SectionStatus.COMPLETE for row in table),
            "status": offers.display_status(dossier),
        },
    )


def _section_context(dossier: Dossier, key: str) -> dict[str, Any]:
    kind = offers.OFFER
    section = kind.section(key)
    if section is None:
        raise Http404
    keys = [s.key for s in kind.sections]
    index = keys.index(key)
    company = selectors.company_of_dossier(dossier)
    return {
        "dossier": dossier,
        "section": section,
        "company": company,
        "previous_key": keys[index - 1] if index > 0 else None,
        "next_key": keys[index + 1] if index + 1 < len(keys) else None,
    }


def _hints(key: str, raw: dict[str, Any]) -> dict[str, str]:
    """What the form shows from the answers: the exemption's code, the NOC title."""
    if key != "emploi":
        return {}
    shown: dict[str, str] = {}
    code = str(raw.get("exemption") or "")
    if code in EXEMPTION_TITLES:
        shown["exemption_code"] = code
    typed = str(raw.get("noc_code") or "").strip()
    if noc.is_well_formed(typed):
        shown["noc_title"] = noc.title(typed) or _(
            "Ce code ne figure pas dans la liste des professions fournie par le Guichet : "
            "vérifiez-le dans la CNP 2021."
        )
    return shown


@roles(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def offer_section(request: HttpRequest, dossier_id: int, key: str) -> HttpResponse:
    """One of the four forms: Précédent, Annuler, Valider (kept, checked, shown again with its
    errors), Enregistrer et quitter. What was typed is always kept."""
    dossier = _draft(request, dossier_id)
    context = _section_context(dossier, key)
    section = context["section"]
    if request.method == "POST":
        action = request.POST.get("action", "validate")
        if action == "cancel":
            return redirect("employers:offer", dossier_id=dossier.pk)
        raw = section.raw_from(request.POST)
        try:
            dossier = offers.save_form(dossier=dossier, key=key, raw=raw, actor=actor_of(request))
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("employers:offer", dossier_id=dossier.pk)
        if action == "quit":
            messages.success(request, _("Le formulaire est enregistré."))
            return redirect("employers:offer", dossier_id=dossier.pk)
        if action == "previous" and context["previous_key"]:
            return redirect(
                "employers:offer_section", dossier_id=dossier.pk, key=context["previous_key"]
            )
        form = section.bind(raw)
        valid = form.is_valid()
        if valid:
            messages.success(request, _("Le formulaire est complet."))
        status = 200 if valid else 422
    else:
        raw = dossier.data.get(key) or {}
        form = section.form_class(initial=raw)
        status = 200
    context |= {"form": form, "hints": _hints(key, raw), "groups": form.grouped()}
    return render(request, "employers/offers/section.html", context, status=status)


@roles(Role.EMPLOYER)
@require_http_methods(["GET"])
def offer_checklist(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """« Votre liste de contrôle personnelle »: the documents (none) and the fees."""
    dossier = _draft(request, dossier_id)
    if dossiers.submission_errors(dossier):
        messages.error(request, _("Remplissez d'abord les quatre formulaires."))
        return redirect("employers:offer", dossier_id=dossier.pk)
    return render(request, "employers/offers/checklist.html", _fees(dossier) | {"dossier": dossier})


def _fees(dossier: Dossier) -> dict[str, Any]:
    purpose = get_purpose(offers.CODE)
    assert purpose is not None
    lines = payments.owed(purpose, str(dossier.pk))
    return {"lines": lines, "total": sum(line.total_cents for line in lines)}


@roles(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def offer_declaration(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The checklist, the fees, the privacy notice and « Déclaration de l'employeur »; J'accepte,
    the names, and the answer to one of the portal's security questions → Signer."""
    dossier = _draft(request, dossier_id)
    if dossiers.submission_errors(dossier):
        messages.error(request, _("Remplissez d'abord les quatre formulaires."))
        return redirect("employers:offer", dossier_id=dossier.pk)
    user = current_user(request)
    question = request.session.get(QUESTION_KEY) or sign_in_question(user)
    request.session[QUESTION_KEY] = question
    form = OfferSignatureForm(
        request.POST or None,
        question=question,
        initial={"first_name": user.first_name, "last_name": user.last_name},
    )
    status = 200
    if request.method == "POST":
        if locked := throttle.guarded(throttle.Scope.SIGNATURE, user, request):
            return locked
        if form.is_valid():
            try:
                offers.sign(
                    dossier=dossier,
                    actor=actor_of(request),
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    answer=form.cleaned_data["security_answer"],
                    question=question,
                )
            except Refused as refusal:
                if refusal.code == "wrong_answer" and (
                    locked := throttle.failed(throttle.Scope.SIGNATURE, user, request)
                ):
                    return locked
                form.add_error(refusal.field, refusal.message)
            else:
                throttle.reset(throttle.Scope.SIGNATURE, user_code=user.get_username())
                request.session.pop(QUESTION_KEY, None)
                return redirect("employers:offer_transmit", dossier_id=dossier.pk)
        status = 422
    return render(
        request,
        "employers/offers/declaration.html",
        _fees(dossier) | {"dossier": dossier, "form": form},
        status=status,
    )


@roles(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def offer_transmit(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The signed declaration, greyed; « Transmettre et payer » (or « Transmettre » when the
    employer is exempt from the fee)."""
    dossier = _draft(request, dossier_id)
    signed = offers.signature(dossier)
    if signed is None:
        return redirect("employers:offer_declaration", dossier_id=dossier.pk)
    exempt = offers.is_exempt(dossier)
    if request.method == "POST":
        if not exempt:
            return redirect("payments:pay", purpose=offers.CODE, object_id=str(dossier.pk))
        try:
            offers.transmit_exempt(dossier=dossier, actor=actor_of(request))
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("employers:offer", dossier_id=dossier.pk)
        messages.success(request, _("Votre offre d'emploi est transmise."))
        return redirect("employers:offer_view", dossier_id=dossier.pk)
    return render(
        request,
        "employers/offers/transmit.html",
        {
            "dossier": dossier,
            "signed": signed,
            "exempt": exempt,
            "pay_url": reverse(
                "payments:pay", kwargs={"purpose": offers.CODE, "object_id": str(dossier.pk)}
            ),
        },
    )


def _read_only(dossier: Dossier) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "company": selectors.company_of_dossier(dossier),
        "sections": recap_context(dossier)["recap_sections"],
        "status": offers.display_status(dossier),
        "receipt": offers.receipt_number(dossier),
    }


@roles(Role.EMPLOYER)
@require_http_methods(["GET"])
def offer_view(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """« Visionner l'offre »: the whole offer, read-only."""
    dossier = _offer(request, dossier_id)
    return render(request, "employers/offers/view.html", _read_only(dossier))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@roles(Role.EMPLOYER)
@require_http_methods(["GET"])
def offer_pdf(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = _offer(request, dossier_id)
    language = request.LANGUAGE_CODE
    return _pdf(render_recap(dossier, language), f"offre-{dossier.number}.pdf")


@roles(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def offer_withdraw(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """« Retirer la demande », after a confirmation; a paid fee is refunded."""
    dossier = _offer(request, dossier_id)
    if not dossier.can("withdraw"):
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") != "confirm":
            return redirect("employers:offers")
        try:
            offers.withdraw(dossier=dossier, actor=actor_of(request))
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("employers:offers")
        messages.success(
            request,
            _("L'offre d'emploi %(number)s est retirée.") % {"number": dossier.shown_number},
        )
        if offers.refund_waiting(dossier):
            messages.info(
                request,
                _(
                    "Le service de paiement ne répond pas pour le moment : le remboursement des "
                    "frais à votre carte est enregistré et sera fait dès qu'il répondra. Vous "
                    "n'avez rien d'autre à faire."
                ),
            )
        return redirect("employers:offers")
    return render(
        request,
        "employers/offers/withdraw.html",
        {"dossier": dossier, "receipt": offers.receipt_number(dossier)},
    )


def _worker_context(dossier: Dossier) -> dict[str, Any]:
    job = dossier.data.get("emploi") or {}
    code = str(job.get("noc_code") or "")
    return {
        "dossier": dossier,
        "company": selectors.company_of_dossier(dossier),
        "noc_code": code,
        "noc_title": noc.title(code),
        "job_title": job.get("job_title", ""),
        "start_date": job.get("start_date", ""),
    }


@roles(Role.EMPLOYER)
@require_http_methods(["GET"])
def offer_worker(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """« Communication des informations à votre stagiaire » (seed 004 §V): the offer number and
    the NOC code the worker needs for the work permit application."""
    dossier = _offer(request, dossier_id)
    if not dossier.submitted_at:
        raise Http404
    return render(request, "employers/offers/worker.html", _worker_context(dossier))


@roles(Role.EMPLOYER)
@require_http_methods(["GET"])
def offer_worker_pdf(request: HttpRequest, dossier_id: int) -> HttpResponse:
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML

    dossier = _offer(request, dossier_id)
    if not dossier.submitted_at:
        raise Http404
    html = render_to_string(
        "employers/offers/worker_pdf.html", _worker_context(dossier), request=request
    )
    content = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
    return _pdf(bytes(content), f"offre-{dossier.number}-travailleur.pdf")
