"""Reads, scoped to the actor. Complaints are confidential (seed 003): the commissioner's
members see them all; a person sees their own; nobody else sees any — not the agents or
partners concerned, not other ministry staff."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet

from guichet.accounts.models import Duty, User
from guichet.core.actor import Actor, as_actor
from guichet.core.refusals import Refused

from .models import Complaint

FOLLOW_SALT = "guichet.complaints.follow"


def is_commissioner(who: Actor | User | None) -> bool:
    """Ministry staff with the « Commissaire aux plaintes et à la qualité des services » role."""
    user = as_actor(who).user
    return user is not None and user.has_duty(Duty.COMPLAINTS)


def complaints_for(who: Actor | User | None) -> QuerySet[Complaint]:
    """The commissioner's members: every complaint that counts (sent signed in, or its email
    confirmed). Anyone else: none (their own are reached through `own_complaints`, never
    through the commissioner's pages)."""
    found = Complaint.objects.select_related(
        "author", "about_booking__session__appointment_type", "about_dossier"
    ).filter(Q(author__isnull=False) | Q(email_confirmed_at__isnull=False))
    return found if is_commissioner(who) else found.none()


def own_complaints(who: Actor | User | None) -> QuerySet[Complaint]:
    """What this signed-in person sent."""
    user = as_actor(who).user
    if user is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(author=user).select_related(
        "about_booking__session__appointment_type", "about_dossier"
    )


class LinkExpired(Refused):
    """A follow-up link that was genuine but is too old, or older than a fresh one sent since."""

    def __init__(self) -> None:
        super().__init__("link_expired")


def follow_key(complaint: Complaint) -> str:
    """The key of the follow-up page of a complaint sent without an account: signed and dated,
    it names the complaint and the link's version, nothing about the person. It works for
    COMPLAINT_LINK_DAYS days, until a fresh link is sent."""
    return signing.TimestampSigner(salt=FOLLOW_SALT).sign_object(
        {"c": complaint.pk, "v": complaint.link_version}
    )


def followed(key: str) -> Complaint | None:
    """The complaint sent without an account that this key names, or None; `LinkExpired` when
    the key is genuine but no longer works."""
    signer = signing.TimestampSigner(salt=FOLLOW_SALT)
    try:
        named = signer.unsign_object(key, max_age=timedelta(days=settings.COMPLAINT_LINK_DAYS))
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(named, dict) or not isinstance(named.get("c"), int):
        return None
    complaint = Complaint.objects.filter(pk=named["c"], author__isnull=True).first()
    if complaint is None:
        return None
    if named.get("v") != complaint.link_version:
        raise LinkExpired
    return complaint
