"""The provider's way back to Guichet: the payer's return and the signed notification."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Role
from guichet.core.access import machine, public, roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused

from . import selectors, services
from .forms import PayForm
from .models import Method, PaymentStatus
from .providers import InvalidNotification, ProviderUnavailable, get_provider
from .purposes import get_purpose

PAYERS = (Role.CLIENT, Role.EMPLOYER)
RETURN_TOKEN_SLOT = "__jeton__"  # noqa: S105 - a placeholder, replaced by each attempt's token

logger = logging.getLogger(__name__)


@machine
@csrf_exempt
@require_http_methods(["POST"])
def notification(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's signed notification. Refused (400) unless its signature and timestamp
    hold; a replay is answered 200 and changes nothing."""
    name = provider.replace("-", "_")
    if not settings.PAYMENT_PROVIDER or name != settings.PAYMENT_PROVIDER:
        raise Http404  # only the provider configured is heard (another's secret is unchecked)
    try:
        found = get_provider(name)
    except (LookupError, ProviderUnavailable) as error:
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
    purpose = get_purpose(payment.purpose)
    back_url = purpose.back_url(payment) if purpose is not None and purpose.back_url else ""
    return render(request, "payments/return.html", {"payment": payment, "back_url": back_url})


def _urls(request: HttpRequest) -> services.Urls:
    """The way back for the payer (this site, as the browser reached it) and the notification
    address the provider calls server to server (SITE_URL)."""
    back = request.build_absolute_uri(
        reverse("payments:return", kwargs={"token": RETURN_TOKEN_SLOT})
    )
    notify = reverse("payments_notify:notification", kwargs={"provider": settings.PAYMENT_PROVIDER})
    return services.Urls(
        return_url=back.replace(RETURN_TOKEN_SLOT, "{token}"),
        notify_url=f"{settings.SITE_URL}{notify}",
    )


def _to_provider_allowed(response: HttpResponse) -> HttpResponse:
    """The page's form leads, through Guichet's redirect, to the provider's hosted page: the
    Content Security Policy's form-action allows that one origin on this page only."""
    try:
        origin = get_provider().page_origin
    except ProviderUnavailable:  # none configured: paying by card is refused when asked
        return response
    response._csp_update = {"form-action": ["'self'", origin]}  # type: ignore[attr-defined]
    return response


@roles(*PAYERS)
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, purpose: str, object_id: str) -> HttpResponse:
    """« Sommaire des frais », then « Transmettre et payer »: by card on the provider's page
    (two hours), or by mail (a slip to print, 30 days)."""
    found = get_purpose(purpose)
    actor = actor_of(request)
    if found is None or not found.may_pay(actor.person, object_id):
        raise Http404
    form = PayForm(request.POST if request.method == "POST" else None)
    where = services.standing(found, object_id)
    context = {
        "purpose": found,
        "object_id": object_id,
        "form": form,
        "standing": where,
        "request_status": found.status_label(object_id) if found.status_label else "",
    }
    try:
        lines = services.owed(found, object_id)
    except Refused as refusal:
        return render(request, "payments/pay.html", context | {"refusal": refusal}, status=409)
    context |= {"lines": lines, "total": sum(line.total_cents for line in lines)}
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["method"] == Method.MAIL:
                payment = services.start_mail_payment(
                    purpose=found, object_id=object_id, actor=actor
                )
            else:
                payment = services.start_card_payment(
                    purpose=found, object_id=object_id, actor=actor, urls=_urls(request)
                )
        except Refused as refusal:
            form.add_error(None, refusal.message)
            return _to_provider_allowed(render(request, "payments/pay.html", context, status=422))
        if payment.method == Method.MAIL:
            return redirect("payments:slip", reference=payment.reference)
        return redirect(payment.redirect_url)
    return _to_provider_allowed(
        render(request, "payments/pay.html", context, status=422 if form.errors else 200)
    )


@roles(*PAYERS)
@require_http_methods(["GET"])
def slip(request: HttpRequest, reference: str) -> HttpResponse:
    """The mail-in slip to print and put in the envelope: reference, amount, address, deadline,
    the accepted means of payment."""
    payment = (
        selectors.payments_for(actor_of(request))
        .filter(reference=reference, method=Method.MAIL)
        .first()
    )
    if payment is None:
        raise Http404
    return render(
        request,
        "payments/slip.html",
        {
            "payment": payment,
            "address": settings.PAYMENT_MAIL_ADDRESS,
            "waiting": payment.status == PaymentStatus.STARTED,
        },
    )
