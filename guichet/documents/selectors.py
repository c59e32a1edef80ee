"""Documents an actor may see: a client or an employer's user their own; ministry agents those
filed in a dossier (reached through the dossier they opened); anyone else none."""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.accounts.models import Role, User
from guichet.core.actor import Actor, as_actor

from .models import Document


def documents_for(who: Actor | User | None) -> QuerySet[Document]:
    user = as_actor(who).user
    if user is None:
        return Document.objects.none()
    if user.role in (Role.CLIENT, Role.EMPLOYER):  # their own (an employer's receipts)
        found = Document.objects.filter(owner=user)
    elif user.role == Role.MINISTRY_STAFF:
        found = Document.objects.filter(dossier__isnull=False)
    else:
        return Document.objects.none()
    return found.select_related("dossier").defer("content")
