"""The bank's API (for the merchant: Guichet) and its hosted payment page (for the payer).

Magic card numbers (any future expiry, any three-digit CVC):
    4242 4242 4242 4242   paid; the payer is sent back, the notification follows at once
    4000 0000 0000 0002   declined
    4000 0000 0000 0119   no answer: « Traitement en cours… » and the payer never comes back
    4000 0000 0000 3220   paid; the payer is sent back at once, the notification comes later
Refused unless TESTBANK_ENABLED (by default only while DEBUG): never a real bank.
"""

from __future__ import annotations

import hmac
import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guichet.core.access import machine, public

from . import services
from .forms import CardForm
from .models import FINAL, BankPayment, BankRefund, BankStatus

View = Callable[..., HttpResponse]


def _enabled(view: View) -> View:
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.TESTBANK_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    guarded.__name__ = view.__name__
    guarded.__doc__ = view.__doc__
    return guarded


def _merchant(request: HttpRequest) -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return hmac.compare_digest(given.encode(), settings.TESTBANK_API_KEY.encode())


def _payment(payment_id: str) -> BankPayment:
    try:
        found = BankPayment.objects.filter(pk=uuid.UUID(str(payment_id))).first()
    except ValueError:  # not a UUID
        found = None
    if found is None:
        raise Http404
    return found


def _refused(status: int, error: str) -> JsonResponse:
    return JsonResponse({"error": error}, status=status)


@machine
@csrf_exempt
@_enabled
@require_http_methods(["POST"])
def api_create(request: HttpRequest) -> JsonResponse:
    """A merchant starts a payment; the same idempotency key gives the same payment back."""
    if not _merchant(request):
        return _refused(401, "unauthorized")
    try:
        body = json.loads(request.body)
        amount, currency = int(body["amount_cents"]), str(body["currency"])
        fields = {
            "merchant_reference": str(body["merchant_reference"])[:40],
            "description": str(body.get("description", ""))[:200],
            "amount_cents": amount,
            "currency": currency,
            "return_url": str(body["return_url"]),
            "notify_url": str(body["notify_url"]),
        }
        key = str(body["idempotency_key"])[:64]
    except (ValueError, KeyError, TypeError):
        return _refused(400, "malformed")
    urls = (fields["return_url"], fields["notify_url"])
    if amount <= 0 or len(currency) != 3 or not key:
        return _refused(400, "invalid")
    if not all(str(url).startswith(("https://", "http://")) for url in urls):
        return _refused(400, "invalid url")
    payment, _ = BankPayment.objects.get_or_create(idempotency_key=key, defaults=fields)
    language = "en" if str(body.get("language", "fr")).startswith("en") else "fr"
    with translation.override(language):
        page = reverse("testbank:pay", kwargs={"payment_id": payment.pk})
    url = request.build_absolute_uri(page)
    return JsonResponse({**payment.as_json(), "url": url}, status=201)


@machine
@csrf_exempt
@_enabled
@require_http_methods(["GET"])
def api_status(request: HttpRequest, payment_id: str) -> JsonResponse:
    if not _merchant(request):
        return _refused(401, "unauthorized")
    return JsonResponse(_payment(payment_id).as_json())


@machine
@csrf_exempt
@_enabled
@require_http_methods(["POST"])
def api_cancel(request: HttpRequest, payment_id: str) -> JsonResponse:
    """The merchant gives up a payment not finished (its time to pay is over)."""
    if not _merchant(request):
        return _refused(401, "unauthorized")
    payment = services.expire(_payment(payment_id))
    return JsonResponse(payment.as_json())


@machine
@csrf_exempt
@_enabled
@require_http_methods(["POST"])
def api_refund(request: HttpRequest, payment_id: str) -> JsonResponse:
    """Back to the card: part or all of a paid amount, never more than what is left."""
    if not _merchant(request):
        return _refused(401, "unauthorized")
    try:
        body = json.loads(request.body)
        amount, key = int(body["amount_cents"]), str(body["idempotency_key"])[:64]
    except (ValueError, KeyError, TypeError):
        return _refused(400, "malformed")
    with transaction.atomic():
        payment = BankPayment.objects.select_for_update().get(pk=_payment(payment_id).pk)
        existing = BankRefund.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return JsonResponse({"id": str(existing.pk), "amount_cents": existing.amount_cents})
        refunded = sum(r.amount_cents for r in payment.refunds.all())
        if payment.status != BankStatus.SUCCEEDED or amount <= 0:
            return _refused(409, "not refundable")
        if refunded + amount > payment.amount_cents:
            return _refused(409, "more than paid")
        refund = BankRefund.objects.create(
            payment=payment, amount_cents=amount, idempotency_key=key
        )
    return JsonResponse({"id": str(refund.pk), "amount_cents": refund.amount_cents}, status=201)


def _back(payment: BankPayment) -> HttpResponse:
    joiner = "&" if "?" in payment.return_url else "?"
    return redirect(f"{payment.return_url}{joiner}{urlencode({'paiement': str(payment.pk)})}")


def _merchant_allowed(payment: BankPayment, response: HttpResponse) -> HttpResponse:
    """The card form leads back to the merchant (a redirect to its return address): the page's
    Content Security Policy's form-action allows that origin."""
    parts = urlsplit(payment.return_url)
    response._csp_update = {  # type: ignore[attr-defined]
        "form-action": ["'self'", f"{parts.scheme}://{parts.netloc}"]
    }
    return response


@public
@_enabled
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, payment_id: str) -> HttpResponse:
    """The hosted payment page: the card is typed here, never at the merchant's."""
    payment = _payment(payment_id)
    return _merchant_allowed(payment, _pay(request, payment))


def _pay(request: HttpRequest, payment: BankPayment) -> HttpResponse:
    if payment.status in FINAL:
        return render(request, "testbank/done.html", {"payment": payment})
    if payment.status == BankStatus.PROCESSING:
        return render(request, "testbank/processing.html", {"payment": payment})
    form = CardForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        services.cancel(payment)
        return _back(payment)
    if request.method == "POST" and form.is_valid():
        decided = services.pay(payment, form.cleaned_data["number"])
        if decided is None:
            return redirect(request.path)
        locked, behaviour = decided
        if behaviour == "no_answer":
            return redirect(request.path)
        return _back(locked)
    return render(
        request,
        "testbank/pay.html",
        {"payment": payment, "form": form, "title": _("Paiement sécurisé")},
        status=422 if form.errors else 200,
    )
