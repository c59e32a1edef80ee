"""Client records an actor may see: the person their own; staff as SPEC D1 and D5 say."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guichet.accounts.models import Role, User
from guichet.core.actor import Actor, as_actor

from .models import AccessRequestStatus, Client, PartnerAccess


def clients_for(who: Actor | User | None) -> QuerySet[Client]:
    """A client: their own record. Ministry staff: every record. Partner staff: those who
    consented to partner access (step 5, « Déclaration »), whom their organisation registered,
    or who granted their organisation access when it asked. Anyone else: none."""
    user = as_actor(who).user
    if user is None:
        return Client.objects.none()
    if user.role == Role.CLIENT:
        return Client.objects.filter(user=user).select_related("status")
    if user.role == Role.MINISTRY_STAFF:
        return Client.objects.all()
    if user.role == Role.PARTNER_STAFF and user.organisation_id is not None:
        organisation = user.organisation_id
        return Client.objects.filter(
            Q(consents_to_partner_access=True)
            | Q(registered_by_organisation_id=organisation)
            | Q(
                pk__in=PartnerAccess.objects.filter(
                    organisation_id=organisation, status=AccessRequestStatus.GRANTED
                ).values("client_id")
            )
        )
    return Client.objects.none()


def own_client(who: Actor | User | None) -> Client | None:
    """The signed-in person's own client record (None before they register)."""
    user = as_actor(who).user
    if user is None or user.role != Role.CLIENT:
        return None
    return clients_for(user).first()


def unclaimed_record(client_id: object) -> Client | None:
    """The ministry record a registration in progress claims (its id kept in the person's
    session after the identity matched): only while no profile owns it."""
    if not isinstance(client_id, int):
        return None
    return Client.objects.filter(pk=client_id, user__isnull=True).first()
