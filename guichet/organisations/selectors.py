"""Organisations an actor may act for (SPEC D1, D5)."""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.accounts.models import Role, User
from guichet.core.actor import Actor, as_actor

from .models import Organisation, OrganisationKind

# The organisations that offer services (the back office's calendars); companies do not.
SERVICE_KINDS = (OrganisationKind.MINISTRY_OFFICE, OrganisationKind.PARTNER)


def organisations_for(who: Actor | User | None) -> QuerySet[Organisation]:
    """Ministry staff: every active organisation; partner staff: their own; anyone else: none.
    Every back-office query starts from here, so another organisation's id is not found."""
    user = as_actor(who).user
    if user is None:
        return Organisation.objects.none()
    if user.role == Role.MINISTRY_STAFF:
        return Organisation.objects.filter(is_active=True, kind__in=SERVICE_KINDS).order_by("name")
    if user.role == Role.PARTNER_STAFF and user.organisation_id is not None:
        return Organisation.objects.filter(pk=user.organisation_id, kind__in=SERVICE_KINDS)
    return Organisation.objects.none()
