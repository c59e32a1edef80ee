"""The commissioner's trail: the one way to record what was done to a complaint (ADR 0022).

The general audit trail (`guichet.audit`) is read by administrators; a complaint's events would
tell them that it exists, who sent it and from where. They are written here instead, read on
the complaint's page by the commissioner's members only. A commitment clock that runs on a
complaint records its suspensions and breach reasons here too (`commitments.trails`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guichet.accounts.models import User
from guichet.audit.services import event_fields
from guichet.core.actor import Actor

from .models import Complaint, ComplaintEvent


def record(
    actor: Actor | User | None,
    action: str,
    complaint: Complaint,
    *,
    details: dict[str, Any] | None = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint_id=complaint.pk, **event_fields(actor, action, details)
    )


def record_by_id(
    actor: Actor | User | None, action: str, complaint_id: int, details: dict[str, Any]
) -> None:
    """For a commitment clock on a complaint (registered in `commitments.trails`)."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is not None:
        record(actor, action, complaint, details=details)


def events(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The complaint's history, oldest first (the caller has the commissioner's selector)."""
    return ComplaintEvent.objects.filter(complaint_id=complaint.pk).order_by("occurred_at", "pk")
