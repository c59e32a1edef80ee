"""The ministry's closure days (SPEC H1): days the offices close beyond the statutory holidays,
which the business-day clock skips. Ministry staff keep them; each change is audited."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.models import Role
from guichet.commitments import reports, services, wording
from guichet.commitments.capacity import capacity
from guichet.commitments.forms import (
    BreachReasonForm,
    ClosureDayForm,
    ReportPeriodForm,
    SuspensionForm,
)
from guichet.commitments.models import Clock
from guichet.commitments.selectors import clocks_for
from guichet.complaints import survey
from guichet.complaints.models import Complaint, Kind
from guichet.complaints.reports import outcomes
from guichet.complaints.selectors import complaints_for
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.dates import quebec_holidays
from guichet.core.exports import csv_response
from guichet.core.models import ClosureDay
from guichet.core.refusals import Refused
from guichet.dossiers.models import Dossier
from guichet.dossiers.selectors import dossiers_for
from guichet.intake.selectors import applications_for
from guichet.messaging.models import Thread


@roles(Role.MINISTRY_STAFF)
@require_http_methods(["GET", "POST"])
def closure_days(request: HttpRequest) -> HttpResponse:
    """« Jours de fermeture du Ministère »: this year's and the coming ones, the holidays
    beside them, and a form to add one."""
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_closure_day(actor=actor_of(request), **form.cleaned_data)
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("Le jour de fermeture est enregistré."))
            return redirect("backoffice:closure_days")
    today = timezone.localdate()
    first, last = date(today.year, 1, 1), date(today.year + 1, 12, 31)
    return render(
        request,
        "backoffice/closure_days.html",
        {
            "form": form,
            "closures": ClosureDay.objects.filter(day__range=(first, last)),
            "holidays": sorted(quebec_holidays(first, last).items()),
            "today": today,
        },
        status=422 if form.errors else 200,
    )


@roles(Role.MINISTRY_STAFF)
@require_POST
def closure_day_remove(request: HttpRequest, closure_id: int) -> HttpResponse:
    closure = get_object_or_404(ClosureDay, pk=closure_id)
    services.remove_closure_day(actor=actor_of(request), closure=closure)
    messages.success(request, _("Le jour de fermeture est retiré."))
    return redirect("backoffice:closure_days")


def _period(request: HttpRequest, form: ReportPeriodForm) -> tuple[date, date]:
    """The fiscal year asked (« exercice »), else the dates typed, else this fiscal year to
    date."""
    today = timezone.localdate()
    year = request.GET.get("exercice", "")
    if year.isdigit() and 2000 <= int(year) <= today.year:
        return reports.fiscal_year(int(year))
    if form.is_bound and form.is_valid():
        return form.cleaned_data["du"], form.cleaned_data["au"]
    return reports.fiscal_year(reports.current_fiscal_year(today))[0], today


@roles(Role.MINISTRY_STAFF)
@require_GET
def commitment_report(request: HttpRequest) -> HttpResponse:
    """« Résultats au regard de nos engagements »: per commitment, for a period or a fiscal
    year (the annual report's figures), as a table, a chart and CSV."""
    asked = {k: v for k, v in request.GET.items() if k in ("du", "au")}
    form = ReportPeriodForm(asked or None)
    first, last = _period(request, form)
    rows = reports.figures(first, last)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"engagements-{first:%Y%m%d}-{last:%Y%m%d}.csv",
            header=[
                _("Engagement"),
                _("Délai"),
                _("Demandes terminées"),
                _("Dans le délai"),
                _("Part respectée (%)"),
                _("Médiane"),
                _("90e centile"),
                _("Manquements"),
                _("Demandes suspendues"),
                _("Jours suspendus"),
                _("En cours à la fin"),
                _("En retard à la fin"),
            ],
            rows=(
                [
                    row.commitment.label,
                    wording.duration(row.commitment.delay, row.commitment.unit),
                    row.completed,
                    row.met,
                    "" if row.share_met is None else row.share_met,
                    "" if row.median is None else row.median,
                    "" if row.p90 is None else row.p90,
                    row.breaches,
                    row.suspended,
                    row.suspended_days,
                    row.running,
                    row.running_late,
                ]
                for row in rows
            ),
        )
    this_year = reports.current_fiscal_year(timezone.localdate())
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "backoffice/commitment_report.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "rows": rows,
            "bars": [row for row in rows if row.completed],
            "years": [(y, f"{y}-{y + 1}") for y in range(this_year, this_year - 3, -1)],
            "csv_query": query.urlencode(),
            "kinds": Kind.choices,
            "outcomes": outcomes(first, last),
            "survey": survey.results(first, last),
            "survey_minimum": survey.MINIMUM_GROUP,
        },
        status=422 if form.errors else 200,
    )


def _request_page(request: HttpRequest, clock: Clock) -> str:
    """The staff page of the clock's request (the clock was found through `clocks_for`: the
    actor may see that request)."""
    actor = actor_of(request)
    model = clock.target_type.model_class()
    if model is Complaint:
        found = complaints_for(actor).filter(pk=clock.target_id).first()
        if found is not None:
            return reverse("backoffice:complaint", kwargs={"complaint_number": found.number})
        raise Http404
    if model is Thread:  # a dossier's message thread: the dossier's page
        dossier_id = (
            Thread.objects.filter(pk=clock.target_id).values_list("dossier_id", flat=True).first()
        )
    elif model is Dossier:
        dossier_id = clock.target_id
    else:
        raise Http404
    if dossier_id is None:
        raise Http404
    if dossiers_for(actor).filter(pk=dossier_id).exists():
        return reverse("backoffice:dossier", kwargs={"dossier_id": dossier_id})
    application = applications_for(actor).filter(dossier_id=dossier_id).first()
    if application is None:
        raise Http404
    return reverse("backoffice:intake_application", kwargs={"application_id": application.pk})


@roles(Role.MINISTRY_STAFF)
@require_POST
def clock_suspension(request: HttpRequest, clock_id: int) -> HttpResponse:
    """« Suspendre le délai » while the request is incomplete, « Reprendre le délai » when the
    missing pieces arrive (the person sees why and since when)."""
    clock = get_object_or_404(clocks_for(actor_of(request)), pk=clock_id)
    page = _request_page(request, clock)
    try:
        if request.POST.get("action") == "resume":
            services.resume_clock(actor=actor_of(request), clock=clock)
            messages.success(request, _("Le délai reprend : les jours de suspension s'y ajoutent."))
        else:
            form = SuspensionForm(request.POST)
            if not form.is_valid():
                return HttpResponse(status=400)
            services.suspend_clock(
                actor=actor_of(request), clock=clock, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Le délai est suspendu."))
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect(page)


@roles(Role.MINISTRY_STAFF, Role.PARTNER_STAFF)
@require_GET
def commitment_capacity(request: HttpRequest) -> HttpResponse:
    """« Places offertes dans les délais »: city by city, a seat within the declaration's delay
    for the first-steps meeting and « S'adapter au monde du travail québécois », or an alert."""
    today = timezone.localdate()
    return render(
        request,
        "backoffice/commitment_capacity.html",
        {"today": today, "rows": capacity(actor_of(request), today)},
    )


@roles(Role.MINISTRY_STAFF)
@require_POST
def clock_breach_reason(request: HttpRequest, clock_id: int) -> HttpResponse:
    """« Motif du manquement »: why a commitment was not kept, kept with the breach (and in
    the reports' CSV of breaches)."""
    clock = get_object_or_404(clocks_for(actor_of(request)), pk=clock_id)
    page = _request_page(request, clock)
    form = BreachReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Écrivez le motif du manquement (au plus 500 caractères)."))
        return redirect(page)
    try:
        services.explain_breach(
            actor=actor_of(request), clock=clock, reason=form.cleaned_data["reason"]
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Le motif du manquement est enregistré."))
    return redirect(page)
