"""Reads, scoped to the person asking: a client sees their own dossiers only."""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.accounts.models import User

from .models import Dossier, DossierNote, NoteVisibility, PlanAction


def owned_dossiers(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(owner=user).order_by("-created_at")


def owned_dossier(user: User, dossier_id: int) -> Dossier | None:
    return Dossier.objects.filter(owner=user, pk=dossier_id).select_related("assigned_to").first()


def visible_notes(dossier: Dossier) -> QuerySet[DossierNote]:
    """Only the notes the agent marked for the person (never the internal ones)."""
    return dossier.notes.filter(visibility=NoteVisibility.CLIENT)


def owned_action(user: User, dossier: Dossier, action_id: int) -> PlanAction | None:
    return PlanAction.objects.filter(pk=action_id, dossier=dossier, dossier__owner=user).first()
