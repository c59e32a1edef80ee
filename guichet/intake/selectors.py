"""Reads, scoped to the actor: a candidate sees their own application; the intake officers
every submitted one (never a draft) and the periods; anyone else none."""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.accounts.models import Duty, Role, User
from guichet.core.actor import Actor, as_actor
from guichet.dossiers.models import DossierStatus

from .models import Application, IntakePeriod


def handles_intake(who: Actor | User | None) -> bool:
    """Ministry staff with the intake-officer role."""
    user = as_actor(who).user
    return user is not None and user.has_duty(Duty.INTAKE)


def applications_for(who: Actor | User | None) -> QuerySet[Application]:
    user = as_actor(who).user
    found = Application.objects.select_related("dossier", "period")
    if user is None:
        return found.none()
    if user.role == Role.CLIENT:
        return found.filter(dossier__owner=user)
    if handles_intake(user):
        return found.exclude(dossier__status=DossierStatus.DRAFT).select_related("dossier__owner")
    return found.none()


def periods_for(who: Actor | User | None) -> QuerySet[IntakePeriod]:
    if handles_intake(who):
        return IntakePeriod.objects.all()
    return IntakePeriod.objects.none()
