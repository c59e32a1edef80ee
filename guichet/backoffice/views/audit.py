"""« Journal d'audit » for ministry staff (SPEC D5 item 6): the trail of a client, a session or an
organisation, including the bookings that belong to them, filterable by date and source."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.accounts.access import roles
from guichet.accounts.models import Role
from guichet.appointments.models import Booking, Session
from guichet.audit.models import AuditEvent
from guichet.clients.models import Client
from guichet.organisations.models import Organisation

from ..forms import AuditFilterForm


def _ids(queryset: QuerySet[Booking] | QuerySet[Session]) -> QuerySet[Booking]:
    return queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")  # type: ignore[return-value]


def _trail(data: dict[str, object]) -> QuerySet[AuditEvent] | None:
    if data.get("client"):
        client = Client.objects.filter(client_number=data["client"]).first()
        if client is None:
            return None
        scope = Q(object_type="clients.client", object_id=str(client.pk)) | Q(
            object_type="appointments.booking", object_id__in=_ids(client.bookings.all())
        )
    elif data.get("seance"):
        session = Session.objects.filter(pk=int(str(data["seance"]))).first()
        if session is None:
            return None
        scope = Q(object_type="appointments.session", object_id=str(session.pk)) | Q(
            object_type="appointments.booking", object_id__in=_ids(session.bookings.all())
        )
    else:
        organisation = data["organisme"]
        assert isinstance(organisation, Organisation)
        sessions = Session.objects.filter(organisation=organisation)
        scope = (
            Q(object_type="organisations.organisation", object_id=str(organisation.pk))
            | Q(object_type="appointments.session", object_id__in=_ids(sessions))
            | Q(
                object_type="appointments.booking",
                object_id__in=_ids(Booking.objects.filter(session__in=sessions)),
            )
        )
    events = AuditEvent.objects.filter(scope)
    tz = timezone.get_current_timezone()
    if data.get("du"):
        events = events.filter(occurred_at__gte=datetime.combine(data["du"], time(), tzinfo=tz))  # type: ignore[arg-type]
    if data.get("au"):
        end = datetime.combine(data["au"], time(), tzinfo=tz) + timedelta(days=1)  # type: ignore[arg-type]
        events = events.filter(occurred_at__lt=end)
    if data.get("source"):
        events = events.filter(source=data["source"])
    return events.order_by("-occurred_at", "-pk")


@roles(Role.MINISTRY_STAFF)
def audit_trail(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = None
    not_found = False
    if form.is_bound and form.is_valid():
        events = _trail(form.cleaned_data)
        if events is None:
            not_found = True
        else:
            page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/audit.html",
        {"form": form, "page": page, "not_found": not_found, "page_query": query.urlencode()},
        status=422 if form.is_bound and not form.is_valid() else 200,
    )
