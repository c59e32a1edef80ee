"""« Journal d'audit » for ministry staff (SPEC D5 item 6): the trail of a client, a session or an
organisation, including the bookings that belong to them, filterable by date and source."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.accounts.models import Role
from guichet.appointments.selectors import audit_trail_for
from guichet.core.access import roles
from guichet.core.actor import actor_of

from ..forms import AuditFilterForm


@roles(Role.MINISTRY_STAFF)
def audit_trail(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = None
    not_found = False
    if form.is_bound and form.is_valid():
        events = audit_trail_for(actor_of(request), form.cleaned_data)
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
