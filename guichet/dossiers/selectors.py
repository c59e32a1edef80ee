"""Reads, scoped to the person asking: a client sees their own dossiers only."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from guichet.accounts.models import User
from guichet.messaging.models import Sender

from .models import Dossier, DossierNote, NoteVisibility, PlanAction


def owned_dossiers(user: User) -> QuerySet[Dossier]:
    """The person's dossiers with their thread and its unread messages (« Message » column)."""
    unread = Q(thread__messages__read_at__isnull=True) & ~Q(thread__messages__sender=Sender.CLIENT)
    return (
        Dossier.objects.filter(owner=user)
        .select_related("thread")
        .annotate(unread=Count("thread__messages", filter=unread))
        .order_by("-created_at")
    )


def owned_dossier(user: User, dossier_id: int) -> Dossier | None:
    return Dossier.objects.filter(owner=user, pk=dossier_id).select_related("assigned_to").first()


def visible_notes(dossier: Dossier) -> QuerySet[DossierNote]:
    """Only the notes the agent marked for the person (never the internal ones)."""
    return dossier.notes.filter(visibility=NoteVisibility.CLIENT)


def owned_action(user: User, dossier: Dossier, action_id: int) -> PlanAction | None:
    return PlanAction.objects.filter(pk=action_id, dossier=dossier, dossier__owner=user).first()
