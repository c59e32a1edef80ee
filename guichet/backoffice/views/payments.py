"""Payments in the back office (issue 15 §7): ministry staff with the payments role search
payments, read a payment's history, record an envelope, refund, and print the daily
reconciliation. Staff without that role find none of it (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Duty, Role
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.exports import csv_response
from guichet.core.money import format_cents
from guichet.core.refusals import Refused
from guichet.payments import selectors, services
from guichet.payments.models import Envelope, Method, Payment, PaymentStatus

from ..payment_forms import EnvelopeForm, PaymentSearchForm, RefundForm, ReportForm


@roles(Role.MINISTRY_STAFF, duty=Duty.PAYMENTS)
@require_http_methods(["GET", "POST"])
def payment_search(request: HttpRequest) -> HttpResponse:
    """The search is sent by POST: a user code or an email typed never lands in an address
    (the browser's history, the proxies' and the server's logs)."""
    form = PaymentSearchForm(request.POST if request.method == "POST" else None)
    found = (
        list(selectors.search(actor_of(request), form.cleaned_data["q"])[:50])
        if form.is_valid()
        else None
    )
    return render(request, "backoffice/payments.html", {"form": form, "found": found})


def _payment(request: HttpRequest, reference: str) -> Payment:
    found = selectors.payments_for(actor_of(request)).filter(reference=reference).first()
    if found is None:
        raise Http404
    return found


def _detail(request: HttpRequest, payment: Payment, **forms: Any) -> dict[str, Any]:
    return {
        "payment": payment,
        "lines": payment.lines.all(),
        "events": payment.events.all(),
        "envelopes": payment.envelopes.select_related("recorded_by"),
        "refunds": payment.refunds.select_related("created_by"),
        "envelope_form": forms.get("envelope_form")
        or (EnvelopeForm(prefix="envelope") if payment.method == Method.MAIL else None),
        "refund_form": forms.get("refund_form")
        or (RefundForm(prefix="refund") if payment.status == PaymentStatus.SUCCESS else None),
        "refundable_cents": payment.amount_cents - payment.refunded_cents,
    }


def _invalid(request: HttpRequest, payment: Payment, **forms: Any) -> HttpResponse:
    """The page again with the form in error, what was typed kept."""
    return render(
        request, "backoffice/payment.html", _detail(request, payment, **forms), status=422
    )


@roles(Role.MINISTRY_STAFF, duty=Duty.PAYMENTS)
@require_http_methods(["GET", "POST"])
def payment_detail(request: HttpRequest, reference: str) -> HttpResponse:
    payment = _payment(request, reference)
    actor = actor_of(request)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "envelope":
                form = EnvelopeForm(request.POST, prefix="envelope")
                if not form.is_valid():
                    return _invalid(request, payment, envelope_form=form)
                envelope = services.record_envelope(
                    payment=payment,
                    method=form.cleaned_data["method"],
                    amount_cents=form.cleaned_data["amount"],
                    received_on=form.cleaned_data["received_on"],
                    actor=actor,
                )
                if envelope.return_reason:
                    messages.warning(
                        request,
                        _(
                            "L'envoi est inscrit comme retourné (%(reason)s) ; le payeur en "
                            "est avisé."
                        )
                        % {"reason": envelope.get_return_reason_display()},
                    )
                else:
                    messages.success(request, _("L'envoi est reçu : le paiement est réussi."))
            elif action == "deposit":
                envelope_obj = Envelope.objects.filter(
                    payment=payment, pk=request.POST.get("envelope") or 0
                ).first()
                if envelope_obj is None:
                    raise Http404
                services.deposit_envelope(envelope=envelope_obj, actor=actor)
                messages.success(request, _("L'envoi est déposé."))
            elif action == "refund":
                refund_form = RefundForm(request.POST, prefix="refund")
                if not refund_form.is_valid():
                    return _invalid(request, payment, refund_form=refund_form)
                services.refund(
                    payment=payment,
                    amount_cents=refund_form.cleaned_data["amount"],
                    reason=refund_form.cleaned_data["reason"],
                    actor=actor,
                )
                messages.success(request, _("Le remboursement est inscrit."))
            else:
                raise Http404
        except Refused as refusal:
            messages.error(request, refusal.message)
        return redirect("backoffice:payment", reference=payment.reference)
    return render(request, "backoffice/payment.html", _detail(request, payment))


@roles(Role.MINISTRY_STAFF, duty=Duty.PAYMENTS)
@require_http_methods(["GET"])
def payments_report(request: HttpRequest) -> HttpResponse:
    """« Conciliation quotidienne »: totals by provider and method, fee lines, refunds, and the
    payments stuck in progress; CSV with ?format=csv."""
    form = ReportForm(request.GET or None)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()
    report = selectors.reconciliation(actor_of(request), day)
    if request.GET.get("format") == "csv":
        rows: list[list[object]] = []
        for row in report["totals"]:
            rows.append(
                [
                    _("Paiements"),
                    f"{row['method_label']} {row['provider'] or '-'}",
                    row["count"],
                    format_cents(row["cents"] or 0),
                ]
            )
        for row in report["lines"]:
            rows.append([_("Frais"), row["label_fr"], row["quantity"], format_cents(row["cents"])])
        rows.append(
            [_("Remboursements"), "", report["refund_count"], format_cents(report["refund_cents"])]
        )
        for payment in report["stuck"]:
            rows.append(
                [
                    _("En suspens"),
                    payment.reference,
                    payment.status,
                    format_cents(payment.amount_cents),
                ]
            )
        return csv_response(
            filename=f"conciliation-{day.isoformat()}.csv",
            header=[_("Section"), _("Libellé"), _("Nombre"), _("Montant")],
            rows=rows,
        )
    return render(request, "backoffice/payments_report.html", {"form": form, "report": report})
