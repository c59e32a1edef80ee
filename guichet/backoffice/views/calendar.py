"""The back office (SPEC D1 to D5): partner staff work on their own organisation's calendar,
ministry staff on every organisation's, with a per-office filter. Every object is found
through the selectors scoped to the actor (`sessions_for`, `organisations_for`)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.access import current_user
from guichet.accounts.models import Role
from guichet.appointments import selectors, services
from guichet.appointments.models import (
    BookingStatus,
    Session,
    WaitlistStatus,
)
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.exports import csv_response
from guichet.core.params import parse_id, parse_ids
from guichet.core.refusals import Refused
from guichet.organisations.selectors import organisations_for

from ..forms import CapacityForm, SessionSeriesForm

STAFF = (Role.PARTNER_STAFF, Role.MINISTRY_STAFF)


def _session(request: HttpRequest, session_id: int) -> Session:
    found = (
        selectors.sessions_for(current_user(request))
        .select_related("appointment_type", "organisation", "place__locality")
        .prefetch_related("modules")
        .filter(pk=session_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@roles(*STAFF)
def calendar(request: HttpRequest) -> HttpResponse:
    """« Calendrier »: upcoming sessions of the organisation(s) in scope, with fill and waitlist."""
    user = current_user(request)
    offices = organisations_for(user)
    office = offices.filter(pk=parse_id(request.GET.get("organisme")) or 0).first()
    upcoming = (
        selectors.sessions_for(user)
        .filter(starts_at__gte=timezone.now() - timedelta(hours=12))
        .select_related("appointment_type", "organisation", "place__locality")
        .annotate(
            waiting=Count(
                "waitlist",
                filter=Q(waitlist__status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
            )
        )
        .order_by("starts_at", "pk")
    )
    if office is not None:
        upcoming = upcoming.filter(organisation=office)
    page = Paginator(upcoming, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/calendar.html",
        {
            "page": page,
            "offices": offices if user.role == Role.MINISTRY_STAFF else None,
            "office": office,
            "page_query": query.urlencode(),
        },
    )


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    """« Nouvelle séance »: one or a weekly series; statutory holidays skipped and listed."""
    user = current_user(request)
    form = SessionSeriesForm(
        request.POST or None,
        organisations=organisations_for(user),
        initial={"weeks": 1, "skip_holidays": True, "duration_minutes": 180, "capacity": 25},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.plan_series(data["first_date"], data["weeks"], data["skip_holidays"])
        if not plan.dates:
            form.add_error(
                "first_date",
                _("Le %(date)s est un jour férié au Québec : %(holiday)s.")
                % {
                    "date": date_format(plan.skipped[0][0], "DATE_FORMAT"),
                    "holiday": plan.skipped[0][1],
                },
            )
            return render(request, "backoffice/session_form.html", {"form": form}, status=422)
        created = services.create_sessions(
            actor=actor_of(request),
            appointment_type=data["appointment_type"],
            place=data["place"],
            dates=plan.dates,
            at=data["start_time"],
            duration_minutes=data["duration_minutes"],
            capacity=data["capacity"],
            modules=data.get("modules_parsed") or None,
        )
        messages.success(
            request,
            _("%(count)s séance(s) créée(s).") % {"count": len(created)},
        )
        for day, name in plan.skipped:
            messages.info(
                request,
                _("Aucune séance le %(date)s : %(holiday)s (jour férié).")
                % {"date": date_format(day, "DATE_FORMAT"), "holiday": name},
            )
        return redirect("backoffice:calendar")
    status = 422 if request.method == "POST" else 200
    return render(request, "backoffice/session_form.html", {"form": form}, status=status)


def _render_detail(
    request: HttpRequest, session: Session, form: CapacityForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "backoffice/session_detail.html",
        {
            "session": session,
            "roster": list(selectors.roster(session)),
            "started": session.starts_at <= timezone.now(),
            "capacity_form": form,
            "waiting": session.waitlist.filter(
                status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
            ).count(),
        },
        status=status,
    )


@roles(*STAFF)
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    """A session: its details, the roster (« liste des participants »), capacity, cancel."""
    session = _session(request, session_id)
    return _render_detail(request, session, CapacityForm(initial={"capacity": session.capacity}))


@roles(*STAFF)
@require_POST
def session_capacity(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            services.change_capacity(
                session=session, capacity=form.cleaned_data["capacity"], actor=actor_of(request)
            )
        except Refused as refusal:
            form.add_error("capacity", refusal.message)
        else:
            messages.success(request, _("Le nombre de places a été modifié."))
            return redirect("backoffice:session", session_id=session.pk)
    return _render_detail(request, session, form, status=422)


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    """« Annuler la séance »: a confirmation page, then every booked client is notified."""
    session = _session(request, session_id)
    if request.method == "POST":
        try:
            count = services.cancel_session(session=session, actor=actor_of(request))
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("La séance est annulée; %(count)s client(s) en ont été avisés par courriel.")
                % {"count": count},
            )
        return redirect("backoffice:session", session_id=session.pk)
    booked = session.bookings.filter(status=BookingStatus.BOOKED).count()
    return render(request, "backoffice/session_cancel.html", {"session": session, "booked": booked})


@roles(*STAFF)
@require_POST
def attendance(request: HttpRequest, session_id: int, booking_id: int) -> HttpResponse:
    """Mark one participant Complété or Manqué."""
    session = _session(request, session_id)
    booking = session.bookings.filter(pk=booking_id).select_related("session").first()
    if booking is None:
        raise Http404
    try:
        services.mark_attendance(
            booking=booking, status=request.POST.get("status", ""), actor=actor_of(request)
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect("backoffice:session", session_id=session.pk)


@roles(*STAFF)
def roster_csv(request: HttpRequest, session_id: int) -> HttpResponse:
    """The roster as CSV (UTF-8 with BOM so spreadsheet programs read the accents)."""
    session = _session(request, session_id)
    return csv_response(
        filename=f"seance-{session.pk}-{session.starts_at:%Y-%m-%d}.csv",
        header=[_("Nom"), _("Prénom"), _("Numéro de client"), _("Statut"), _("Source")],
        rows=(
            [
                booking.client.last_name,
                booking.client.first_name,
                booking.client.client_number,
                booking.get_status_display(),
                booking.get_source_display(),
            ]
            for booking in selectors.roster(session)
        ),
    )


@roles(*STAFF)
def dashboard(request: HttpRequest) -> HttpResponse:
    """« Tableau de bord » (SPEC D5): per organisation, the next 30 days' sessions and fill rate,
    people waiting, and the no-show rate of the last 90 days. Three grouped queries."""
    rows = selectors.dashboard_for(actor_of(request))
    return render(request, "backoffice/dashboard.html", {"rows": rows})


@roles(*STAFF)
def roster_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    """The roster as a tagged PDF (PDF/UA) to print, in the staff member's language."""
    from weasyprint import HTML  # imported here: Pango is only needed when a PDF is made

    session = _session(request, session_id)
    html = render_to_string(
        "backoffice/roster_pdf.html",
        {
            "session": session,
            "roster": list(selectors.roster(session)),
            "printed_at": timezone.now(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="seance-{session.pk}-{session.starts_at:%Y-%m-%d}.pdf"'
    )
    return response


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def module_attendance(request: HttpRequest, session_id: int, position: int) -> HttpResponse:
    """« Présences » of one module of a multi-module schedule: a box per participant."""
    session = _session(request, session_id)
    module = session.modules.filter(position=position).first()
    if module is None:
        raise Http404
    roster = list(
        selectors.roster(session).filter(
            status__in=[BookingStatus.BOOKED, BookingStatus.COMPLETED, BookingStatus.MISSED]
        )
    )
    if request.method == "POST":
        chosen = parse_ids(request.POST.getlist("present"))
        try:
            count = services.record_module_attendance(
                module=module, present=chosen, actor=actor_of(request)
            )
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Présences du module %(number)s enregistrées : %(count)s sur %(total)s.")
                % {"number": module.position, "count": count, "total": len(roster)},
            )
        return redirect("backoffice:session", session_id=session.pk)
    marked = dict(module.presence.values_list("booking_id", "present"))
    # (booking, present): True, False, or None when not recorded yet.
    rows = [(booking, marked.get(booking.pk)) for booking in roster]
    return render(
        request,
        "backoffice/module_attendance.html",
        {
            "session": session,
            "module": module,
            "roster": roster,
            "rows": rows,
            "started": module.starts_at <= timezone.now(),
        },
    )
