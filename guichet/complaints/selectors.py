"""Reads, scoped to the actor. Complaints are confidential (seed 003): the commissioner's
members see them all; a person sees their own; nobody else sees any — not the agents or
partners concerned, not other ministry staff."""

from __future__ import annotations

from django.core import signing
from django.db.models import QuerySet

from guichet.accounts.models import Role, User
from guichet.core.actor import Actor, as_actor

from .models import Complaint

FOLLOW_SALT = "guichet.complaints.follow"


def is_commissioner(who: Actor | User | None) -> bool:
    """Ministry staff with the « Commissaire aux plaintes et à la qualité des services » role."""
    user = as_actor(who).user
    return user is not None and user.role == Role.MINISTRY_STAFF and user.handles_complaints


def complaints_for(who: Actor | User | None) -> QuerySet[Complaint]:
    """The commissioner's members: every complaint. Anyone else: none (their own are reached
    through `own_complaints`, never through the commissioner's pages)."""
    found = Complaint.objects.select_related(
        "author", "about_booking__session__appointment_type", "about_dossier"
    )
    return found if is_commissioner(who) else found.none()


def own_complaints(who: Actor | User | None) -> QuerySet[Complaint]:
    """What this signed-in person sent."""
    user = as_actor(who).user
    if user is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(author=user).select_related(
        "about_booking__session__appointment_type", "about_dossier"
    )


def follow_key(complaint: Complaint) -> str:
    """The key of the follow-up page of a complaint sent without an account: signed, it names
    the complaint and nothing about the person."""
    return signing.Signer(salt=FOLLOW_SALT).sign_object(complaint.pk)


def followed(key: str) -> Complaint | None:
    """The complaint sent without an account that this key names, or None."""
    try:
        pk = signing.Signer(salt=FOLLOW_SALT).unsign_object(key)
    except signing.BadSignature:
        return None
    return Complaint.objects.filter(pk=pk, author__isnull=True).first()
