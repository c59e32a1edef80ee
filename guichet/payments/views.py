"""The provider's way back to Guichet: the payer's return and the signed notification."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guichet.core.access import machine, public

from . import services
from .providers import InvalidNotification, get_provider

logger = logging.getLogger(__name__)


@machine
@csrf_exempt
@require_http_methods(["POST"])
def notification(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's signed notification. Refused (400) unless its signature and timestamp
    hold; a replay is answered 200 and changes nothing."""
    try:
        found = get_provider(provider.replace("-", "_"))
    except LookupError as error:
        raise Http404 from error
    try:
        services.handle_notification(
            provider=found, headers=dict(request.headers), body=request.body
        )
    except InvalidNotification as error:
        logger.warning("Refused a %s notification: %s", found.code, error)
        return HttpResponse(status=400)
    return HttpResponse(status=200)


@public
@require_http_methods(["GET"])
def back(request: HttpRequest, token: str) -> HttpResponse:
    """Back from the provider's page. The session may have closed meanwhile (20 minutes): the
    page says where the payment stands, and nothing personal."""
    payment = services.payment_returning(token)
    if payment is None:
        raise Http404
    payment = services.handle_return(payment)
    return render(request, "payments/return.html", {"payment": payment})
