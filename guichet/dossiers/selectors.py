"""Reads, scoped to the actor: a client sees their own dossiers only, an employer's user those
of their company; ministry agents every submitted dossier of a person (never a draft); anyone
else none."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.core.actor import Actor, as_actor
from guichet.messaging.models import Sender

from .models import (
    PROCESSING_STATUSES,
    AgentAppointment,
    Dossier,
    DossierNote,
    DossierStatus,
    NoteVisibility,
    PlanAction,
)
from .registry import listed_codes


def dossiers_for(who: Actor | User | None) -> QuerySet[Dossier]:
    user = as_actor(who).user
    if user is None:
        return Dossier.objects.none()
    if user.role == Role.CLIENT:
        return Dossier.objects.filter(owner=user).select_related("assigned_to")
    if user.role == Role.EMPLOYER:
        # A company's dossiers are shared by all its users.
        if user.organisation_id is None:
            return Dossier.objects.none()
        return Dossier.objects.filter(owner_organisation_id=user.organisation_id)
    if user.role == Role.MINISTRY_STAFF:
        # A person's dossiers of the kinds « Mes dossiers » holds; a company's (the employers'
        # job offers) and the CSQ applications are read through their own selectors, by the
        # staff of their roles.
        return (
            Dossier.objects.exclude(status=DossierStatus.DRAFT)
            .filter(owner_organisation__isnull=True, kind__in=listed_codes())
            .select_related("owner", "assigned_to", "accompaniment__city")
        )
    return Dossier.objects.none()


def with_unread(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """With their thread and its unread messages from the ministry (« Message » column)."""
    unread = Q(thread__messages__read_at__isnull=True) & ~Q(thread__messages__sender=Sender.CLIENT)
    return (
        dossiers.select_related("thread")
        .annotate(unread=Count("thread__messages", filter=unread))
        .order_by("-created_at")
    )


def plan_actions_for(who: Actor | User | None) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(dossier__in=dossiers_for(who))


def visible_notes(dossier: Dossier) -> QuerySet[DossierNote]:
    """Only the notes the agent marked for the person (never the internal ones)."""
    return dossier.notes.filter(visibility=NoteVisibility.CLIENT)


def _listed(field: str, code: str) -> Q:
    """`code` is one of the comma-separated codes of `field` (the queue facets)."""
    return (
        Q(**{field: code})
        | Q(**{f"{field}__startswith": f"{code},"})
        | Q(**{f"{field}__endswith": f",{code}"})
        | Q(**{f"{field}__contains": f",{code},"})
    )


def queue_for(who: Actor | User | None, filters: dict[str, Any]) -> QuerySet[Dossier]:
    """The agents' queue: submitted dossiers in processing (or of the status asked for), by
    city, language, availability or assigned to the agent, oldest submission first."""
    actor = as_actor(who)
    dossiers = dossiers_for(actor)
    if filters.get("status"):
        dossiers = dossiers.filter(status=filters["status"])
    else:
        dossiers = dossiers.filter(status__in=PROCESSING_STATUSES)
    if filters.get("city"):
        dossiers = dossiers.filter(accompaniment__city=filters["city"])
    if filters.get("language"):
        dossiers = dossiers.filter(_listed("accompaniment__languages", filters["language"]))
    if filters.get("availability"):
        dossiers = dossiers.filter(_listed("accompaniment__availability", filters["availability"]))
    if filters.get("mine"):
        dossiers = dossiers.filter(assigned_to=actor.user)
    return dossiers.select_related("accompaniment__city").order_by("submitted_at", "pk")


def agent_appointments_for(who: Actor | User | None) -> QuerySet[AgentAppointment]:
    """The agent's own coming meetings with people (the queue's side list)."""
    user = as_actor(who).user
    if user is None or user.role != Role.MINISTRY_STAFF:
        return AgentAppointment.objects.none()
    return (
        AgentAppointment.objects.filter(agent=user, starts_at__gte=timezone.now())
        .select_related("dossier", "place")
        .order_by("starts_at")
    )
