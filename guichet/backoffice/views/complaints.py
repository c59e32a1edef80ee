"""The « Commissaire aux plaintes et à la qualité des services » office (seed 003, SPEC H3):
the queue with its due dates and breaches, a complaint's page (every opening audited), the
acknowledgement, the answer drafted then sent, and the closing with its outcome. Confidential:
every other account, ministry staff included, gets 404 here."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.models import Duty, Role
from guichet.commitments import clocks
from guichet.complaints import selectors, services, trail
from guichet.complaints.forms import CloseForm, MessageForm
from guichet.complaints.models import Complaint, MessageKind, Status
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused

# Every signed-in account is answered the same 404 but the commissioner's members (the duty,
# enforced by the access middleware, and the selector behind it), so nobody learns that a
# complaint exists.
EVERY_ROLE = tuple(Role.values)


@roles(*EVERY_ROLE, duty=Duty.COMPLAINTS)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    shown = request.GET.get("etat", "open")
    found = selectors.complaints_for(actor)
    if shown == "open":
        found = found.exclude(status=Status.CLOSED)
    elif shown in Status.values:
        found = found.filter(status=shown)
    complaints = list(found.order_by("received_on", "pk")[:200])
    due = clocks.clocks_of(
        [services.ACKNOWLEDGEMENT, services.ANSWER], Complaint, [c.pk for c in complaints]
    )
    rows = [
        (
            c,
            due.get((services.ACKNOWLEDGEMENT, c.pk)),
            due.get((services.ANSWER, c.pk)),
        )
        for c in complaints
    ]
    return render(
        request,
        "backoffice/complaints.html",
        {"rows": rows, "shown": shown, "statuses": Status.choices},
    )


@roles(*EVERY_ROLE, duty=Duty.COMPLAINTS)
@require_http_methods(["GET", "POST"])
def complaint(request: HttpRequest, complaint_number: str) -> HttpResponse:
    actor = actor_of(request)
    found = get_object_or_404(selectors.complaints_for(actor), number=complaint_number)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    ack_form = MessageForm(
        request.POST if action == "acknowledge" else None,
        prefix="ack",
        initial={"body": services.default_text(found, MessageKind.ACKNOWLEDGEMENT)},
    )
    answer_form = MessageForm(
        request.POST if action in ("draft", "answer") else None,
        prefix="answer",
        initial={"body": found.draft_answer},
    )
    close_form = CloseForm(request.POST if action == "close" else None)
    refused = False
    if request.method == "POST":
        done = ""
        try:
            if action == "acknowledge" and ack_form.is_valid():
                services.acknowledge(
                    actor=actor, complaint=found, body=ack_form.cleaned_data["body"]
                )
                done = _("L'accusé de réception est envoyé.")
            elif action == "draft" and answer_form.is_valid():
                services.save_draft(
                    actor=actor, complaint=found, body=answer_form.cleaned_data["body"]
                )
                done = _("Le projet de réponse est enregistré.")
            elif action == "answer" and answer_form.is_valid():
                services.send_answer(
                    actor=actor, complaint=found, body=answer_form.cleaned_data["body"]
                )
                done = _("La réponse est envoyée.")
            elif action == "close" and close_form.is_valid():
                services.close(
                    actor=actor, complaint=found, outcome=close_form.cleaned_data["outcome"]
                )
                done = _("La plainte est fermée.")
        except Refused as refusal:
            form = {"acknowledge": ack_form, "close": close_form}.get(action, answer_form)
            if refusal.field in form.fields:
                form.add_error(refusal.field, refusal.message)
            else:  # the rule, not a field (the form may not even be shown now)
                messages.error(request, refusal.message)
                refused = True
        if done:
            messages.success(request, done)
            return redirect("backoffice:complaint", complaint_number=found.number)
    else:
        services.read(actor, found)
    failed = refused or any(f.errors for f in (ack_form, answer_form, close_form))
    return render(
        request,
        "backoffice/complaint.html",
        {
            **services.follow_up(found),
            "ack_form": ack_form,
            "answer_form": answer_form,
            "close_form": close_form,
            "trail": trail.events(found),
        },
        status=422 if failed else 200,
    )
