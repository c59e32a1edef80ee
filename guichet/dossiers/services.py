"""Dossier workflows: every write goes through here (atomic, history, audit, notices)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from guichet.accounts.models import Role, User
from guichet.accounts.selectors import personal_profile, profile_snapshot
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.i18n import Texts, in_languages
from guichet.core.refusals import Refused
from guichet.messaging import services as messaging
from guichet.messaging.models import Sender
from guichet.numbering.services import next_value

from .models import (
    OPEN_STATUSES,
    TRANSITIONS,
    ActionStatus,
    AgentAppointment,
    Dossier,
    DossierEvent,
    DossierNote,
    DossierStatus,
    PlanAction,
)
from .registry import DossierKind, SectionStatus, kind_of

REMINDER_INTRO = gettext_lazy("Rappel : votre rendez-vous avec votre agente ou agent approche.")
APPOINTMENT_INTRO = gettext_lazy(
    "Voici les détails de votre rendez-vous avec votre agente ou agent d'aide à l'intégration :"
)


def refused(code: str, *reasons: str) -> Refused:
    """A dossier rule refuses (`reasons` are shown to the person, the first one alone when a
    single message fits)."""
    return Refused(code, reasons[0], reasons=list(reasons))


@dataclass(frozen=True)
class SubmissionError:
    section_key: str
    section_title: str
    field: str
    label: str
    message: str


def allocate_number(kind: DossierKind, *, today: date | None = None) -> str:
    """Letter + two-digit year + eight digits (G2200045132): a locked counter per letter and
    year, in the caller's transaction, and a unique constraint behind it."""
    year = (today or timezone.localdate()).year % 100
    value = next_value(f"dossier-{kind.letter}{year:02d}", first=1, last=99_999_999)
    return f"{kind.letter}{year:02d}{value:08d}"


def _record(dossier: Dossier, action: str, actor: Actor, from_status: str = "") -> None:
    DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor=actor.user,
        source=actor.source,
    )


def _transition(dossier: Dossier, action: str, actor: Actor) -> None:
    transition = TRANSITIONS[action]
    if not transition.allows(dossier.status):
        raise refused(
            "not_now", _("Cette action n'est pas possible dans l'état actuel du dossier.")
        )
    previous = dossier.status
    dossier.status = transition.target
    _record(dossier, action, actor, previous)


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


# --- Client side -----------------------------------------------------------------------------


def _has_open_dossier(owner: User, kind: DossierKind) -> bool:
    return Dossier.objects.filter(owner=owner, kind=kind.code, status__in=OPEN_STATUSES).exists()


def _require_processing(dossier: Dossier) -> None:
    if not dossier.in_processing:
        raise refused(
            "not_now", _("Cette action n'est pas possible dans l'état actuel du dossier.")
        )


def creation_refusals(kind: DossierKind, *, owner: User, answers: dict[str, Any]) -> list[str]:
    reasons = kind.refusals(owner, answers)
    if _has_open_dossier(owner, kind):
        reasons.append(
            _(
                "Vous avez déjà un dossier %(kind)s en cours. Consultez-le à partir de « Mes "
                "dossiers »."
            )
            % {"kind": kind.label}
        )
    return reasons


@transaction.atomic
def create(*, kind: DossierKind, actor: Actor | User, answers: dict[str, Any]) -> Dossier:
    actor = as_actor(actor)
    owner = actor.person
    reasons = creation_refusals(kind, owner=owner, answers=answers)
    if reasons:
        raise refused("conditions", *reasons)
    User.objects.select_for_update().filter(pk=owner.pk).first()  # one creation at a time
    if _has_open_dossier(owner, kind):
        raise refused("already_open", _("Vous avez déjà un dossier de ce type en cours."))
    today = timezone.localdate()
    dossier = Dossier.objects.create(
        number=allocate_number(kind, today=today),
        kind=kind.code,
        owner=owner,
        deadline=today + timedelta(days=kind.deadline_days),
        data={"conditions": {k: str(v) for k, v in answers.items()}},
    )
    _record(dossier, "create", actor)
    audit(actor, "dossier.created", dossier, details={"kind": kind.code})
    return dossier


def section_statuses(dossier: Dossier) -> list[tuple[Any, SectionStatus]]:
    kind = kind_of(dossier)
    return [(s, s.status(dossier.data.get(s.key))) for s in kind.sections]


@transaction.atomic
def save_section(
    *, dossier: Dossier, section_key: str, raw: dict[str, Any], actor: Actor | User
) -> Dossier:
    """ENREGISTRER: keep what was typed, valid or not; only the owner, only a draft."""
    actor = as_actor(actor)
    locked = _locked(dossier)
    if locked.owner_id != actor.person.pk or not locked.is_draft:
        raise refused("submitted", _("Une demande soumise ne peut plus être modifiée."))
    kind = kind_of(locked)
    if kind.section(section_key) is None:
        raise refused("no_section", _("Cette section n'existe pas."))
    locked.data = {**locked.data, section_key: raw}
    locked.save(update_fields=["data", "updated_at"])
    _record(locked, f"save:{section_key}", actor, locked.status)
    return locked


def submission_errors(dossier: Dossier) -> list[SubmissionError]:
    errors: list[SubmissionError] = []
    for section in kind_of(dossier).sections:
        form = section.bind(dossier.data.get(section.key))
        if form.is_valid():
            continue
        for name, messages in form.errors.items():
            label = str(form.fields[name].label) if name in form.fields else ""
            errors.extend(
                SubmissionError(section.key, str(section.title), name, label, str(m))
                for m in messages
            )
    return errors


@transaction.atomic
def submit(*, dossier: Dossier, actor: Actor | User) -> Dossier:
    """SOUMETTRE: every section valid, before the deadline; then Présenté and read-only."""
    actor = as_actor(actor)
    locked = _locked(dossier)
    if locked.owner_id != actor.person.pk:
        raise refused("not_owner", _("Ce dossier ne vous appartient pas."))
    if not locked.is_draft:
        raise refused("already_submitted", _("Cette demande a déjà été soumise."))
    if locked.deadline < timezone.localdate():
        raise refused(
            "deadline_passed", _("La date limite pour soumettre cette demande est passée.")
        )
    profile = personal_profile(actor.person)
    if profile is None:
        raise refused(
            "profile_missing", _("Remplissez vos renseignements personnels avant de soumettre.")
        )
    if submission_errors(locked):
        raise refused("form_errors", _("Corrigez les erreurs du formulaire avant de soumettre."))
    kind = kind_of(locked)
    now = timezone.now()
    _transition(locked, "submit", actor)
    locked.submitted_at = now
    locked.first_appointment_due_at = now + timedelta(
        hours=settings.DOSSIER_FIRST_APPOINTMENT_HOURS
    )
    locked.first_name = profile.passport_first_name
    locked.last_name = profile.passport_last_name
    locked.sex = profile.sex
    locked.birth_date = profile.birth_date
    locked.profile_snapshot = profile_snapshot(actor.person)
    found = kind.facets(locked.data)
    locked.city_id = found.get("city_id")
    locked.languages = found.get("languages", "")
    locked.availability = found.get("availability", "")
    locked.save()
    audit(actor, "dossier.submitted", locked, details={"kind": kind.code})
    dossier_id = locked.pk
    transaction.on_commit(lambda: after_submission.enqueue(dossier_id=dossier_id))
    return locked


@task()
def after_submission(*, dossier_id: int) -> None:
    """The recap PDF in « Mes documents » and the confirmation in the message centre, made by a
    background task: the submission stands even if this has to be retried."""
    from .pdf import store_recap

    dossier = Dossier.objects.select_related("owner").get(pk=dossier_id)
    owner = dossier.owner
    if owner is None:
        return
    store_recap(dossier)
    body = in_languages(lambda: kind_of(dossier).submitted_message(dossier))
    _post_to_client(dossier, body, Actor.system(), sender=Sender.SYSTEM)


class LinkFailed(Exception):
    pass


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@transaction.atomic
def link(*, actor: Actor | User, kind: DossierKind, number: str) -> Dossier:
    """« Créer un dossier lié à une demande existante » (seed 001 §3): the number and the four
    identity fields of the profile must match a dossier nobody has claimed."""
    actor = as_actor(actor)
    user = actor.person
    profile = personal_profile(user)
    candidate = (
        Dossier.objects.select_for_update()
        .filter(number__iexact=number.strip(), kind=kind.code, owner__isnull=True)
        .exclude(status=DossierStatus.DRAFT)
        .first()
    )
    matches = (
        profile is not None
        and candidate is not None
        and _same(candidate.first_name, profile.passport_first_name)
        and _same(candidate.last_name, profile.passport_last_name)
        and candidate.sex == profile.sex
        and candidate.birth_date == profile.birth_date
    )
    if not matches or candidate is None:
        audit(actor, "dossier.link_failed", details={"kind": kind.code})
        raise LinkFailed
    if _has_open_dossier(user, kind):
        raise refused("already_open", _("Vous avez déjà un dossier de ce type en cours."))
    candidate.owner = user
    candidate.save(update_fields=["owner", "updated_at"])
    _record(candidate, "link", actor, candidate.status)
    audit(actor, "dossier.linked", candidate)
    return candidate


@transaction.atomic
def update_action_status(*, action: PlanAction, status: str, actor: Actor | User) -> PlanAction:
    """The client (or the agent) moves an action of the plan: À faire, En cours, Terminé."""
    actor = as_actor(actor)
    if status not in ActionStatus.values:
        raise refused("invalid_status", _("Choisissez un statut de la liste."))
    locked = PlanAction.objects.select_for_update().select_related("dossier").get(pk=action.pk)
    if locked.dossier.status == DossierStatus.CLOSED:
        raise refused("closed", _("Ce dossier est fermé."))
    previous = locked.status
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    _record(locked.dossier, f"action:{previous}->{status}", actor, locked.dossier.status)
    audit(actor, "dossier.action_updated", locked, details={"from": previous, "to": status})
    return locked


# --- Agent side ------------------------------------------------------------------------------


def agents() -> Any:
    return User.objects.filter(role=Role.MINISTRY_STAFF, is_active=True).order_by(
        "last_name", "first_name"
    )


@transaction.atomic
def assign(*, dossier: Dossier, agent: User, actor: Actor | User) -> Dossier:
    actor = as_actor(actor)
    if agent.role != Role.MINISTRY_STAFF or not agent.is_active:
        raise refused("invalid_agent", _("Choisissez une agente ou un agent du Ministère."))
    locked = _locked(dossier)
    _transition(locked, "assign", actor)
    locked.assigned_to = agent
    locked.save(update_fields=["status", "assigned_to", "updated_at"])
    audit(actor, "dossier.assigned", locked, details={"agent": agent.pk})
    return locked


@transaction.atomic
def close(*, dossier: Dossier, actor: Actor | User) -> Dossier:
    actor = as_actor(actor)
    locked = _locked(dossier)
    _transition(locked, "close", actor)
    locked.save(update_fields=["status", "updated_at"])
    audit(actor, "dossier.closed", locked)
    return locked


def _post_to_client(
    dossier: Dossier, body: str | Texts, actor: Actor, *, sender: Sender = Sender.MINISTRY
) -> None:
    """Post in the dossier's thread (created with its first message). What Guichet writes comes
    in every language; an agent's message as typed."""
    if dossier.owner is None:
        return
    kind = kind_of(dossier)
    subject = in_languages(lambda: _("Votre demande %(kind)s") % {"kind": kind.label})
    thread = messaging.dossier_thread(owner=dossier.owner, subject=subject, dossier=dossier)
    messaging.post(thread=thread, body=body, sender=sender, author=actor.user)


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
    locked = _locked(dossier)
    _require_processing(locked)
    appointment = AgentAppointment.objects.create(
        dossier=locked,
        starts_at=starts_at,
        mode=mode,
        place=place,
        details=details.strip(),
        agent=locked.assigned_to or actor.person,
    )
    if locked.first_appointment_sent_at is None:
        locked.first_appointment_sent_at = timezone.now()
        locked.save(update_fields=["first_appointment_sent_at", "updated_at"])
    _record(locked, "appointment", actor, locked.status)
    audit(actor, "dossier.appointment_scheduled", appointment)
    if locked.owner is not None:
        _post_to_client(locked, in_languages(lambda: appointment_message(appointment)), actor)
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
    _require_processing(dossier)
    action = PlanAction.objects.create(
        dossier=dossier,
        title=title,
        description=description,
        due_date=due_date,
        created_by=actor.user,
    )
    _record(dossier, "action:add", actor, dossier.status)
    audit(actor, "dossier.action_added", action)
    return action


@transaction.atomic
def add_note(*, dossier: Dossier, body: str, visibility: str, actor: Actor | User) -> DossierNote:
    actor = as_actor(actor)
    note = DossierNote.objects.create(
        dossier=dossier, body=body.strip(), visibility=visibility, author=actor.person
    )
    _record(dossier, f"note:{visibility}", actor, dossier.status)
    audit(actor, "dossier.note_added", note, details={"visibility": visibility})
    return note


@transaction.atomic
def message_client(*, dossier: Dossier, body: str, actor: Actor | User) -> None:
    actor = as_actor(actor)
    _post_to_client(dossier, body, actor)
    _record(dossier, "message", actor, dossier.status)


@transaction.atomic
def open_for_person(
    *,
    kind: DossierKind,
    first_name: str,
    last_name: str,
    sex: str,
    birth_date: date,
    actor: Actor | User,
) -> Dossier:
    """A dossier the ministry opened for someone it met (seed 001 §3): in processing, with no
    profile yet; the person links it with its number and their identity."""
    actor = as_actor(actor)
    now = timezone.now()
    dossier = Dossier.objects.create(
        number=allocate_number(kind),
        kind=kind.code,
        status=DossierStatus.IN_PROGRESS,
        first_name=" ".join(first_name.split()),
        last_name=" ".join(last_name.split()),
        sex=sex,
        birth_date=birth_date,
        deadline=timezone.localdate(),
        submitted_at=now,
        assigned_to=actor.user if actor.person.role == Role.MINISTRY_STAFF else None,
    )
    _record(dossier, "open", actor)
    audit(actor, "dossier.opened_for_person", dossier)
    return dossier


# --- Periodic jobs ---------------------------------------------------------------------------


def warn_drafts(*, today: date | None = None) -> int:
    """Warn each draft's owner 14 and 2 days before the deadline (message + email notice).
    The conditional update claims the warning, so parallel runs never send it twice."""
    today = today or timezone.localdate()
    sent = 0
    for days in sorted(settings.DOSSIER_DRAFT_WARNING_DAYS, reverse=True):
        due = Dossier.objects.filter(
            status=DossierStatus.DRAFT,
            owner__isnull=False,
            deadline__lte=today + timedelta(days=days),
            deadline__gte=today,
        ).filter(Q(warned_days__isnull=True) | Q(warned_days__gt=days))
        for dossier in due.select_related("owner"):
            with transaction.atomic():
                claimed = (
                    Dossier.objects.filter(pk=dossier.pk, status=DossierStatus.DRAFT)
                    .filter(Q(warned_days__isnull=True) | Q(warned_days__gt=days))
                    .update(warned_days=days)
                )
                if not claimed:
                    continue
                left = (dossier.deadline - today).days
                owner = dossier.owner
                assert owner is not None
                body = in_languages(partial(_deadline_warning, dossier, left))
                _post_to_client(dossier, body, Actor.system())
                sent += 1
    return sent


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
            _post_to_client(appointment.dossier, body, Actor.system())
            sent += 1
    return sent


def purge_expired_drafts(*, today: date | None = None) -> int:
    """Delete drafts past their deadline; the audit keeps a tombstone without personal data."""
    today = today or timezone.localdate()
    purged = 0
    for dossier in Dossier.objects.filter(status=DossierStatus.DRAFT, deadline__lt=today):
        with transaction.atomic():
            locked = (
                Dossier.objects.select_for_update()
                .filter(pk=dossier.pk, status=DossierStatus.DRAFT, deadline__lt=today)
                .first()
            )
            if locked is None:
                continue
            audit(
                None,
                "dossier.draft_purged",
                object_type="dossiers.dossier",
                object_id=locked.pk,
                details={
                    "number": locked.number,
                    "kind": locked.kind,
                    "deadline": locked.deadline.isoformat(),
                },
            )
            locked.delete()
            purged += 1
    return purged


def _deadline_warning(dossier: Dossier, left: int) -> str:
    return _(
        "Bonjour,\n\nVotre demande %(kind)s (dossier %(number)s) n'est pas encore "
        "soumise. La date limite pour la soumettre est le %(deadline)s (dans "
        "%(left)s jours). Après cette date, le formulaire sera supprimé.\n\n"
        "Ministère de l'Immigration, de la Francisation et de l'Intégration"
    ) % {
        "kind": kind_of(dossier).label,
        "number": dossier.number,
        "deadline": dossier.deadline.isoformat(),
        "left": left,
    }


def _reminder(appointment: AgentAppointment) -> str:
    return f"{REMINDER_INTRO}\n\n{appointment_message(appointment)}"
