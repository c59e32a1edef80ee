"""Reads of the message centre, always scoped to the person asking."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from guichet.accounts.models import User

from .models import Message, Sender, Thread

UNREAD_FOR_CLIENT = Q(messages__read_at__isnull=True) & ~Q(messages__sender=Sender.CLIENT)


def client_threads(user: User) -> QuerySet[Thread]:
    return (
        Thread.objects.filter(owner=user)
        .select_related("dossier")
        .annotate(unread=Count("messages", filter=UNREAD_FOR_CLIENT))
        .order_by("-last_message_at", "-pk")
    )


def client_thread(user: User, thread_id: int) -> Thread | None:
    return Thread.objects.filter(owner=user, pk=thread_id).select_related("dossier").first()


def unread_count(user: User) -> int:
    """Messages from the ministry the client has not opened yet (the header's counter)."""
    return (
        Message.objects.filter(thread__owner=user, read_at__isnull=True)
        .exclude(sender=Sender.CLIENT)
        .count()
    )
