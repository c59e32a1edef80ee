"""What a staff member may see (SPEC D1, D5): partner staff their own organisation only; ministry
staff every organisation. Every back-office query starts from these querysets, so a guessed id
of another organisation's session is simply not found (404)."""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.accounts.models import Role, User
from guichet.appointments.models import Session
from guichet.organisations.models import Organisation


def organisations(user: User) -> QuerySet[Organisation]:
    if user.role == Role.MINISTRY_STAFF:
        return Organisation.objects.filter(is_active=True).order_by("name")
    if user.role == Role.PARTNER_STAFF and user.organisation_id is not None:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def sessions(user: User) -> QuerySet[Session]:
    return Session.objects.filter(organisation__in=organisations(user))
