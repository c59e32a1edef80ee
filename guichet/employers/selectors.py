"""Reads of the employers' portal, scoped to the actor: a company's users see their company
only; ministry staff with the employer-files role see the registrations; nobody else anything."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guichet.accounts.models import Duty, Role, User
from guichet.core.actor import Actor, as_actor
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.selectors import dossiers_for

from .models import OFFER_KIND, Company, CompanyPin, Registration, RegistrationStatus


def handles_employer_files(actor: Actor | User) -> bool:
    user = as_actor(actor).user
    return user is not None and user.has_duty(Duty.EMPLOYER_FILES)


def registrations_for(actor: Actor | User) -> QuerySet[Registration]:
    """Transmitted registrations (pending first), for staff with the employer-files role."""
    if not handles_employer_files(actor):
        return Registration.objects.none()
    return (
        Registration.objects.exclude(status=RegistrationStatus.DRAFT)
        .exclude(submitted_at__isnull=True)
        .select_related("user", "company", "pin__company", "decided_by")
        .order_by("status", "submitted_at")
    )


def company_of(actor: Actor | User) -> Company | None:
    """The company the actor's user belongs to."""
    user = as_actor(actor).user
    if user is None or user.role != Role.EMPLOYER or not user.organisation_id:
        return None
    return Company.objects.filter(organisation_id=user.organisation_id).first()


def company_users(actor: Actor | User) -> QuerySet[User]:
    company = company_of(actor)
    if company is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=company.organisation_id, role=Role.EMPLOYER
    ).order_by("last_name", "first_name")


def pins_for(actor: Actor | User) -> QuerySet[CompanyPin]:
    """The PINs the company's primary user issued (not their value, which is never kept)."""
    company = company_of(actor)
    user = as_actor(actor).user
    if company is None or user is None or company.primary_user_id != user.pk:
        return CompanyPin.objects.none()
    return company.pins.select_related("used_by").order_by("-issued_at")


def company_of_dossier(dossier: Any) -> Company | None:
    """The company that owns an offer (found through a scoped selector already)."""
    return Company.objects.filter(organisation_id=dossier.owner_organisation_id).first()


def offers_for(who: Actor | User | None) -> QuerySet[Dossier]:
    """The company's offers for its users; every submitted offer for ministry staff who handle
    employer files; none for anyone else."""
    user = as_actor(who).user if who is not None else None
    if user is None:
        return Dossier.objects.none()
    if user.role == Role.MINISTRY_STAFF:
        if not user.has_duty(Duty.EMPLOYER_FILES):
            return Dossier.objects.none()
        return Dossier.objects.filter(kind=OFFER_KIND).exclude(status=DossierStatus.DRAFT)
    if user.role != Role.EMPLOYER:
        return Dossier.objects.none()
    return dossiers_for(user).filter(kind=OFFER_KIND)
