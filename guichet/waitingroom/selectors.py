"""The waiting room's records an actor may see (issue 32): a candidate their own queue number;
the intake officers every one; the public, the rooms whose log is published (the draw's page and
its CSV). The live poll carries a signed pass naming the account: its ticket only."""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.accounts.models import Duty, Role, User
from guichet.core.actor import Actor, as_actor

from .models import Room, RoomStatus, Ticket


def tickets_for(who: Actor | User | None) -> QuerySet[Ticket]:
    user = as_actor(who).user if who is not None else None
    found = Ticket.objects.select_related("room__period")
    if user is None:
        return found.none()
    if user.role == Role.CLIENT:
        return found.filter(user=user)
    if user.has_duty(Duty.INTAKE):
        return found
    return found.none()


def ticket_of_pass(ticket_id: int, user_id: int) -> Ticket | None:
    """The ticket a (verified) poll pass names, if it is still that account's."""
    return (
        Ticket.objects.filter(pk=ticket_id, user_id=user_id).select_related("room__period").first()
    )


def waiting_rooms() -> QuerySet[Room]:
    """The rooms of periods that open with a waiting room: their draw's page is public (the
    seed's digest is published before the opening)."""
    return Room.objects.select_related("period").filter(period__waiting_room=True)


def published_rooms() -> QuerySet[Room]:
    """Rooms whose public log exists: opened at least once."""
    return waiting_rooms().exclude(status=RoomStatus.READY)
