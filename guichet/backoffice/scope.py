"""What a staff member may see (SPEC D1, D5): partner staff their own organisation only; ministry
staff every organisation. Every back-office query starts from these querysets, so a guessed id
of another organisation's session is simply not found (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guichet.accounts.models import Role, User
from guichet.appointments.models import Session
from guichet.clients.models import AccessRequestStatus, Client, PartnerAccess
from guichet.organisations.models import Organisation


def organisations(user: User) -> QuerySet[Organisation]:
    if user.role == Role.MINISTRY_STAFF:
        return Organisation.objects.filter(is_active=True).order_by("name")
    if user.role == Role.PARTNER_STAFF and user.organisation_id is not None:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def sessions(user: User) -> QuerySet[Session]:
    return Session.objects.filter(organisation__in=organisations(user))


def clients(user: User) -> QuerySet[Client]:
    """Clients a staff member may look up: partner staff only those who consented to partner
    access (step 5, « Déclaration »), whom their organisation registered, or who granted their
    organisation access when it asked."""
    if user.role == Role.MINISTRY_STAFF:
        return Client.objects.all()
    if user.role == Role.PARTNER_STAFF and user.organisation_id is not None:
        return Client.objects.filter(
            Q(consents_to_partner_access=True)
            | Q(registered_by_organisation_id=user.organisation_id)
            | Q(
                pk__in=PartnerAccess.objects.filter(
                    organisation_id=user.organisation_id, status=AccessRequestStatus.GRANTED
                ).values("client_id")
            )
        )
    return Client.objects.none()
