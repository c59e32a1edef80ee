"""The waiting room's control page for intake officers (issue 18 §9): open it (a typed
confirmation, so that it cannot fire by accident), pause and resume the admissions, set the
sign-in capacity (the admission rate), follow the live figures. Every action is audited by the
services. Staff without the intake-officer role find none of it (404)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Duty, Role
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused
from guichet.intake import selectors
from guichet.waitingroom import services
from guichet.waitingroom.forms import CapacityForm, OpenRoomForm, PreQueueForm
from guichet.waitingroom.models import RoomStatus

DONE = {
    "open": gettext_lazy("La salle d'attente est ouverte : les admissions commencent."),
    "pause": gettext_lazy("Les admissions sont suspendues."),
    "resume": gettext_lazy("Les admissions reprennent."),
}


@roles(Role.MINISTRY_STAFF, duty=Duty.INTAKE)
@require_http_methods(["GET", "POST"])
def room(request: HttpRequest, period_id: int) -> HttpResponse:
    actor = actor_of(request)
    period = get_object_or_404(selectors.periods_for(actor), pk=period_id)
    if not period.waiting_room:
        raise Http404
    found = services.room_of(period)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    open_form = OpenRoomForm(
        request.POST if action == "open" else None, quota=period.quota, prefix="open"
    )
    capacity_form = CapacityForm(
        request.POST if action == "capacity" else None,
        initial={"capacity": found.capacity},
        prefix="capacity",
    )
    pre_queue_form = PreQueueForm(
        request.POST if action == "pre_queue" else None,
        initial={"pre_queue_opens_at": found.pre_queue_opens_at},
        prefix="pre_queue",
    )
    if request.method == "POST":
        try:
            if action in DONE and (action != "open" or open_form.is_valid()):
                services.change_room(actor=actor, period=period, action=action)
                messages.success(request, str(DONE[action]))
                return redirect("backoffice:waiting_room", period_id=period.pk)
            if action == "capacity" and capacity_form.is_valid():
                services.set_capacity(
                    actor=actor, period=period, capacity=capacity_form.cleaned_data["capacity"]
                )
                messages.success(request, _("La capacité de connexion est enregistrée."))
                return redirect("backoffice:waiting_room", period_id=period.pk)
            if action == "pre_queue" and pre_queue_form.is_valid():
                services.set_pre_queue(
                    actor=actor,
                    period=period,
                    opens_at=pre_queue_form.cleaned_data["pre_queue_opens_at"],
                )
                messages.success(request, _("L'ouverture de la file préalable est enregistrée."))
                return redirect("backoffice:waiting_room", period_id=period.pk)
        except Refused as refusal:
            forms = {"open": open_form, "capacity": capacity_form, "pre_queue": pre_queue_form}
            if action in forms:
                target = refusal.field if refusal.field in forms[action].fields else None
                forms[action].add_error(target, refusal.message)
            else:
                messages.error(request, refusal.message)
        found.refresh_from_db()
    return render(
        request,
        "backoffice/intake/waiting_room.html",
        {
            "period": period,
            "room": found,
            "figures": services.figures(found),
            "open_form": open_form,
            "capacity_form": capacity_form,
            "pre_queue_form": pre_queue_form,
            "lottery": services.is_lottery(found),
            "statuses": RoomStatus,
        },
        status=422 if open_form.errors or capacity_form.errors or pre_queue_form.errors else 200,
    )
