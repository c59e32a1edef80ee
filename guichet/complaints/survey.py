"""The satisfaction survey (seed 003 « Nous vous consultons périodiquement sur vos attentes et
sur votre satisfaction »): after a completed appointment or a closed dossier, optional, four
questions. A person answers once per appointment or dossier; the answers keep only the kind of
service and the month, and are reported in aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Role, User
from guichet.appointments.models import AppointmentType, Booking, BookingStatus
from guichet.appointments.selectors import bookings_for
from guichet.core.actor import Actor, as_actor
from guichet.core.refusals import Refused
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.registry import get_kind
from guichet.dossiers.selectors import dossiers_for

from .models import SurveyParticipation, SurveyResponse, SurveySubject

QUESTIONS = ("overall", "courtesy", "information", "delay")
# Fewer answers than this in a group are not shown: a small group could point to a person.
MINIMUM_GROUP = 5


def subject_for(who: Actor | User, subject: str, subject_id: int) -> Any:
    """The person's own completed appointment or closed dossier, or an employer's user's own
    transmitted portal registration; None otherwise (staff see others' through their
    selectors: never theirs to answer about)."""
    user = as_actor(who).user
    if user is not None and user.role == Role.EMPLOYER and subject == SurveySubject.REGISTRATION:
        from guichet.employers.models import Registration

        return Registration.objects.filter(
            pk=subject_id, user=user, submitted_at__isnull=False
        ).first()
    if user is None or user.role != Role.CLIENT:
        return None
    if subject == SurveySubject.APPOINTMENT:
        return (
            bookings_for(user)
            .filter(pk=subject_id, status=BookingStatus.COMPLETED, client__user=user)
            .select_related("session__appointment_type")
            .first()
        )
    if subject == SurveySubject.DOSSIER:
        return (
            dossiers_for(user)
            .filter(pk=subject_id, status=DossierStatus.CLOSED, owner=user)
            .first()
        )
    return None


def answered(who: Actor | User, subject: str, subject_ids: list[int] | None = None) -> set[int]:
    user = as_actor(who).user
    if user is None:
        return set()
    found = SurveyParticipation.objects.filter(user=user, subject=subject)
    if subject_ids is not None:
        found = found.filter(subject_id__in=subject_ids)
    return set(found.values_list("subject_id", flat=True))


REGISTRATION_SERVICE = "inscription-portail-employeurs"


def service_of(item: Any) -> str:
    if isinstance(item, Booking):
        return item.session.appointment_type.slug
    if isinstance(item, Dossier):
        return item.kind
    return REGISTRATION_SERVICE


def answer(
    *, actor: Actor | User, subject: str, item: Any, answers: dict[str, Any]
) -> SurveyResponse:
    """That the person answered, then what they answered: two rows with random keys, written
    in two transactions, neither audited with its author (nothing lines one up with the other)."""
    actor = as_actor(actor)
    assert actor.user is not None
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(user=actor.user, subject=subject, subject_id=item.pk)
    except IntegrityError:
        raise Refused("already_answered", _("Vous avez déjà répondu à ce sondage.")) from None
    today = timezone.localdate()
    response = SurveyResponse.objects.create(
        subject=subject,
        service=service_of(item),
        month=today.replace(day=1),
        **{name: answers.get(name) for name in QUESTIONS},
    )
    return response


@dataclass(frozen=True)
class Result:
    label: str
    responses: int
    # Per question: (answers, share satisfied — 4 or 5 — in percent), None below MINIMUM_GROUP.
    questions: list[tuple[int, float | None]]


def _label(subject: str, service: str) -> str:
    if subject == SurveySubject.REGISTRATION:
        return str(SurveySubject.REGISTRATION.label)
    if subject == SurveySubject.APPOINTMENT:
        kind = AppointmentType.objects.filter(slug=service).first()
        return kind.title if kind is not None else service
    found = get_kind(service)
    return str(found.label) if found is not None else service


def results(first: date, last: date) -> list[Result]:
    """Per kind of service, the answers of the months in [first, last]."""
    aggregates: dict[str, Any] = {"n": Count("pk")}
    for name in QUESTIONS:
        aggregates[f"{name}_n"] = Count("pk", filter=Q(**{f"{name}__isnull": False}))
        aggregates[f"{name}_ok"] = Count("pk", filter=Q(**{f"{name}__gte": 4}))
    rows = (
        SurveyResponse.objects.filter(month__range=(first.replace(day=1), last))
        .values("subject", "service")
        .annotate(**aggregates)
        .order_by("subject", "service")
    )
    found = []
    for row in rows:
        questions = []
        for name in QUESTIONS:
            count, satisfied = row[f"{name}_n"], row[f"{name}_ok"]
            share = round(100 * satisfied / count, 1) if count >= MINIMUM_GROUP else None
            questions.append((count, share))
        found.append(Result(_label(row["subject"], row["service"]), row["n"], questions))
    return found
