"""Reads of the message centre, always scoped to the person asking."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from guichet.accounts.models import Role, User
from guichet.core.actor import Actor, as_actor

from .models import Message, Sender, Thread

UNREAD_FOR_CLIENT = Q(messages__read_at__isnull=True) & ~Q(messages__sender=Sender.CLIENT)


def threads_for(who: Actor | User | None) -> QuerySet[Thread]:
    """A client or an employer's user: their own threads, newest first, with unread counts.
    Ministry agents: every dossier's thread (reached through the dossier they opened). Anyone
    else: none."""
    user = as_actor(who).user
    if user is None:
        return Thread.objects.none()
    if user.role in (Role.CLIENT, Role.EMPLOYER):
        return (
            Thread.objects.filter(owner=user)
            .select_related("dossier")
            .annotate(unread=Count("messages", filter=UNREAD_FOR_CLIENT))
            .order_by("-last_message_at", "-pk")
        )
    if user.role == Role.MINISTRY_STAFF:
        return Thread.objects.filter(dossier__isnull=False)
    return Thread.objects.none()


def unread_count(user: User) -> int:
    """Messages from the ministry the client has not opened yet (the header's counter)."""
    return (
        Message.objects.filter(thread__owner=user, read_at__isnull=True)
        .exclude(sender=Sender.CLIENT)
        .count()
    )
