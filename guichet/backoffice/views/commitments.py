"""The ministry's closure days (SPEC H1): days the offices close beyond the statutory holidays,
which the business-day clock skips. Ministry staff keep them; each change is audited."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.models import Role
from guichet.commitments import services
from guichet.commitments.forms import ClosureDayForm
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.dates import quebec_holidays
from guichet.core.models import ClosureDay
from guichet.core.refusals import Refused


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
