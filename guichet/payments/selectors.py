"""Payments an actor may see: the payer their own; ministry staff with the payments role every
one; anyone else none."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from guichet.accounts.models import Duty, Role, User
from guichet.core.actor import Actor, as_actor

from .models import OPEN_STATUSES, FeeLine, Method, Payment, PaymentStatus, Refund, RefundStatus


def handles_payments(who: Actor | User | None) -> bool:
    user = as_actor(who).user
    return user is not None and user.has_duty(Duty.PAYMENTS)


def payments_for(who: Actor | User | None) -> QuerySet[Payment]:
    user = as_actor(who).user
    if user is None:
        return Payment.objects.none()
    if handles_payments(user):
        return Payment.objects.select_related("payer")
    if user.role in (Role.CLIENT, Role.EMPLOYER):
        return Payment.objects.filter(payer=user)
    return Payment.objects.none()


def search(who: Actor | User | None, query: str) -> QuerySet[Payment]:
    """Staff search: a receipt number, a payment reference, or the payer's user code or email."""
    text = " ".join(query.split())
    found = payments_for(who)
    if not text:
        return found.none()
    return found.filter(
        Q(receipt_number__iexact=text)
        | Q(reference__iexact=text)
        | Q(payer__username__iexact=text)
        | Q(payer__email__iexact=text)
    )


def reconciliation(who: Actor | User | None, day: date) -> dict[str, Any]:
    """The daily reconciliation (payments role only): successes completed that day by provider
    and method, refunds made that day, fee lines paid, and attempts stuck past their time."""
    if not handles_payments(who):
        return {}
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time(), tzinfo=tz)
    end = start + timedelta(days=1)
    paid = Payment.objects.filter(
        status=PaymentStatus.SUCCESS, completed_at__gte=start, completed_at__lt=end
    )
    totals = [
        row | {"method_label": str(Method(row["method"]).label)}
        for row in paid.values("provider", "method")
        .annotate(count=Count("pk"), cents=Sum("amount_cents"))
        .order_by("method", "provider")
    ]
    lines = list(
        FeeLine.objects.filter(payment__in=paid)
        .values("fee__code", "label_fr", "label_en")
        .annotate(quantity=Sum("quantity"), cents=Sum("total_cents"))
        .order_by("fee__code")
    )
    refunds = Refund.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        status=RefundStatus.FAILED
    )
    stuck = (
        Payment.objects.filter(status__in=OPEN_STATUSES, expires_at__lt=timezone.now())
        .select_related("payer")
        .order_by("expires_at")
    )
    return {
        "day": day,
        "totals": totals,
        "total_cents": sum(row["cents"] or 0 for row in totals),
        "lines": lines,
        "refund_count": refunds.count(),
        "refund_cents": refunds.aggregate(cents=Sum("amount_cents"))["cents"] or 0,
        "stuck": list(stuck[:200]),
    }
