"""Accompagnement Québec's case work (seed 001, SPEC E): the agent is assigned, sends the first
appointment within the service level, keeps the action plan and notes, writes to the person,
and closes the dossier; the person moves the plan's actions. Every write is audited and kept
in the dossier's history through the engine."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import Role, User
from guichet.audit.services import audit
from guichet.core import events
from guichet.core.actor import Actor, as_actor
from guichet.core.i18n import in_languages
from guichet.core.transitions import step
from guichet.dossiers import services
from guichet.dossiers.models import Dossier, DossierStatus

from .models import (
    ACTION_TRANSITIONS,
    Accompaniment,
    ActionStatus,
    AgentAppointment,
    DossierNote,
    PlanAction,
)

REMINDER_INTRO = gettext_lazy("Rappel : votre rendez-vous avec votre agente ou agent approche.")


APPOINTMENT_INTRO = gettext_lazy(
    "Voici les détails de votre rendez-vous avec votre agente ou agent d'aide à l'intégration :"
)


@transaction.atomic
def update_action_status(*, action: PlanAction, status: str, actor: Actor | User) -> PlanAction:
    """The client (or the agent) moves an action of the plan: À faire, En cours, Terminé."""
    actor = as_actor(actor)
    if status not in ActionStatus.values:
        raise services.refused("invalid_status", _("Choisissez un statut de la liste."))
    locked = PlanAction.objects.select_for_update().select_related("dossier").get(pk=action.pk)
    if locked.dossier.status == DossierStatus.CLOSED:
        raise services.refused("closed", _("Ce dossier est fermé."))
    previous = (
        step(
            locked, ACTION_TRANSITIONS, status, actor=actor, payload={"dossier": locked.dossier_id}
        )
        if status != locked.status
        else locked.status
    )
    services.record(locked.dossier, f"action:{previous}->{status}", actor, locked.dossier.status)
    audit(actor, "dossier.action_updated", locked, details={"from": previous, "to": status})
    return locked


def agents() -> Any:
    return User.objects.filter(role=Role.MINISTRY_STAFF, is_active=True).order_by(
        "last_name", "first_name"
    )


@transaction.atomic
def assign(*, dossier: Dossier, agent: User, actor: Actor | User) -> Dossier:
    actor = as_actor(actor)
    if agent.role != Role.MINISTRY_STAFF or not agent.is_active:
        raise services.refused(
            "invalid_agent", _("Choisissez une agente ou un agent du Ministère.")
        )
    locked = services.locked(dossier)
    services.transition(locked, "assign", actor)
    locked.assigned_to = agent
    locked.save(update_fields=["status", "assigned_to", "updated_at"])
    audit(actor, "dossier.assigned", locked, details={"agent": agent.pk})
    return locked


@transaction.atomic
def close(*, dossier: Dossier, actor: Actor | User) -> Dossier:
    actor = as_actor(actor)
    locked = services.locked(dossier)
    services.transition(locked, "close", actor)
    locked.save(update_fields=["status", "updated_at"])
    audit(actor, "dossier.closed", locked)
    return locked


@transaction.atomic
def schedule_appointment(
    *,
    dossier: Dossier,
    starts_at: datetime,
    mode: str,
    place: Any,
    details: str,
    actor: Actor | User,
) -> AgentAppointment:
    """A meeting with the agent; the first one's details go to the client's message centre
    (seed 001: « dans les 24h suivant votre demande »)."""
    actor = as_actor(actor)
    locked = services.locked(dossier)
    services.require_processing(locked)
    appointment = AgentAppointment.objects.create(
        dossier=locked,
        starts_at=starts_at,
        mode=mode,
        place=place,
        details=details.strip(),
        agent=locked.assigned_to or actor.person,
    )
    kept, _created = Accompaniment.objects.select_for_update().get_or_create(dossier=locked)
    if kept.first_appointment_sent_at is None:
        kept.first_appointment_sent_at = timezone.now()
        kept.save(update_fields=["first_appointment_sent_at"])
        events.emit(
            "dossier.first_appointment_sent",
            locked,
            actor=actor,
            payload={"kind": locked.kind, "appointment": appointment.pk},
        )
    services.record(locked, "appointment", actor, locked.status)
    audit(actor, "dossier.appointment_scheduled", appointment)
    if locked.owner is not None:
        services.post_to_owner(
            locked, in_languages(lambda: appointment_message(appointment)), actor
        )
    return appointment


def appointment_message(appointment: AgentAppointment) -> str:
    when = timezone.localtime(appointment.starts_at)
    lines = [
        _("Bonjour,"),
        "",
        str(APPOINTMENT_INTRO),
        _("Date et heure : %(when)s (heure de l'Est - Québec)")
        % {"when": when.strftime("%Y-%m-%d %H:%M")},
        _("Durée : %(minutes)s minutes") % {"minutes": appointment.duration_minutes},
        _("Type de rendez-vous : %(mode)s") % {"mode": appointment.get_mode_display()},
    ]
    if appointment.place is not None:
        place = appointment.place
        lines.append(
            _("Lieu : %(name)s, %(address)s, %(city)s")
            % {"name": place.name, "address": place.address, "city": place.locality.name}
        )
    if appointment.details:
        lines.extend(["", appointment.details])
    return "\n".join(lines)


@transaction.atomic
def add_action(
    *, dossier: Dossier, title: str, description: str, due_date: date | None, actor: Actor | User
) -> PlanAction:
    actor = as_actor(actor)
    services.require_processing(dossier)
    action = PlanAction.objects.create(
        dossier=dossier,
        title=title,
        description=description,
        due_date=due_date,
        created_by=actor.user,
    )
    services.record(dossier, "action:add", actor, dossier.status)
    audit(actor, "dossier.action_added", action)
    return action


@transaction.atomic
def add_note(*, dossier: Dossier, body: str, visibility: str, actor: Actor | User) -> DossierNote:
    actor = as_actor(actor)
    note = DossierNote.objects.create(
        dossier=dossier, body=body.strip(), visibility=visibility, author=actor.person
    )
    services.record(dossier, f"note:{visibility}", actor, dossier.status)
    audit(actor, "dossier.note_added", note, details={"visibility": visibility})
    return note


@transaction.atomic
def message_client(*, dossier: Dossier, body: str, actor: Actor | User) -> None:
    actor = as_actor(actor)
    services.post_to_owner(dossier, body, actor)
    services.record(dossier, "message", actor, dossier.status)


def remind_agent_appointments(*, now: datetime | None = None) -> int:
    """The appointments module's reminder rule for meetings with the agent: a message (and its
    email notice) `APPOINTMENT_REMINDER_HOURS` before, claimed by a conditional update so that
    parallel runs never send it twice."""
    now = now or timezone.now()
    due = AgentAppointment.objects.filter(
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=settings.APPOINTMENT_REMINDER_HOURS),
        dossier__owner__isnull=False,
    ).select_related("dossier__owner", "place__locality")
    sent = 0
    for appointment in due:
        with transaction.atomic():
            claimed = AgentAppointment.objects.filter(
                pk=appointment.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            owner = appointment.dossier.owner
            assert owner is not None
            body = in_languages(partial(_reminder, appointment))
            services.post_to_owner(appointment.dossier, body, Actor.system())
            sent += 1
    return sent


def _reminder(appointment: AgentAppointment) -> str:
    return f"{REMINDER_INTRO}\n\n{appointment_message(appointment)}"
