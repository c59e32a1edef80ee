"""Dossier workflows: every write goes through here (atomic, history, audit, notices)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from guichet.accounts.models import Role, User
from guichet.accounts.selectors import personal_profile
from guichet.audit.services import audit
from guichet.core import events
from guichet.core.actor import Actor, as_actor
from guichet.core.i18n import Texts, in_languages
from guichet.core.identity import same_name
from guichet.core.refusals import Refused
from guichet.core.transitions import step
from guichet.messaging import services as messaging
from guichet.messaging.models import Sender
from guichet.numbering.services import next_value

from .models import (
    OPEN_STATUSES,
    Dossier,
    DossierEvent,
    DossierStatus,
)
from .registry import DossierKind, Owner, Section, SectionState, kind_of


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
    anchor: str = ""  # the id the summary's link goes to, after « id_ » (a group's first choice)


def numbered(
    kind: DossierKind, *, today: date | None = None, draft: bool = False
) -> dict[str, Any]:
    """The number fields of a dossier of `kind`: the next number in the kind's format
    (G2600045132, A0000123) from a locked counter per prefix (and year, for a yearly format),
    in the caller's transaction, with a unique constraint and the database's format check
    behind it — for a new draft, in the kind's draft series when it has one."""
    numbers = (draft and kind.draft_number_format) or kind.number_format
    today = today or timezone.localdate()
    return {
        "number": numbers.format(
            next_value(numbers.counter(today), first=1, last=numbers.last), today
        ),
        "number_prefix": numbers.prefix,
        "number_digits": numbers.digits,
    }


def record(dossier: Dossier, action: str, actor: Actor, from_status: str = "") -> None:
    """One line of the dossier's history."""
    DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor=actor.user,
        source=actor.source,
    )


def transition(dossier: Dossier, action: str, actor: Actor) -> None:
    """Move a (locked) dossier along its kind's lifecycle (`core.transitions.step`: announced as
    « dossier.<action> »), in its history; refused when the kind's table does not allow `action`
    from the current status. The caller saves the row with its own changes."""
    previous = step(
        dossier,
        kind_of(dossier).transitions,
        action,
        actor=actor,
        refusal=_("Cette action n'est pas possible dans l'état actuel du dossier."),
        payload={"kind": dossier.kind},
        save=False,
    )
    record(dossier, action, actor, previous)


def locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def require_processing(dossier: Dossier) -> None:
    if not dossier.in_processing:
        raise refused(
            "not_now", _("Cette action n'est pas possible dans l'état actuel du dossier.")
        )


# --- The owner's side ------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """Who a new dossier belongs to: the person, or the organisation they act for."""

    user: User | None = None
    organisation_id: int | None = None

    @classmethod
    def for_kind(cls, kind: DossierKind, user: User) -> Party:
        if kind.owner == Owner.ORGANISATION:
            if user.organisation_id is None:
                raise refused(
                    "no_organisation",
                    _(
                        "Votre profil n'est rattaché à aucune entreprise : ce dossier lui "
                        "appartient."
                    ),
                )
            return cls(organisation_id=user.organisation_id)
        return cls(user=user)


def _has_open_dossier(user: User, kind: DossierKind) -> bool:
    """A person has one open dossier of a person's kind at a time (an organisation may have
    many job offers open)."""
    if kind.owner != Owner.PERSON:
        return False
    return Dossier.objects.filter(owner=user, kind=kind.code, status__in=OPEN_STATUSES).exists()


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
    user = actor.person
    reasons = creation_refusals(kind, owner=user, answers=answers)
    if reasons:
        raise refused("conditions", *reasons)
    party = Party.for_kind(kind, user)
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time
    if _has_open_dossier(user, kind):
        raise refused("already_open", _("Vous avez déjà un dossier de ce type en cours."))
    today = timezone.localdate()
    dossier = Dossier.objects.create(
        **numbered(kind, today=today, draft=True),
        kind=kind.code,
        owner=party.user,
        owner_organisation_id=party.organisation_id,
        deadline=today + timedelta(days=kind.deadline_days),
        data={"conditions": {k: str(v) for k, v in answers.items()}},
    )
    record(dossier, "create", actor)
    audit(actor, "dossier.created", dossier, details={"kind": kind.code})
    return dossier


def section_statuses(dossier: Dossier) -> list[tuple[Section, SectionState]]:
    """Each section with its status in the kind's words (« Conforme », « Terminé »)."""
    kind = kind_of(dossier)
    return [(s, kind.section_state(s.status(dossier.data.get(s.key)))) for s in kind.sections]


@transaction.atomic
def save_section(
    *, dossier: Dossier, section_key: str, raw: dict[str, Any], actor: Actor | User
) -> Dossier:
    """ENREGISTRER: keep what was typed, valid or not; only the owner, only a draft."""
    actor = as_actor(actor)
    row = locked(dossier)
    if not row.belongs_to(actor.person) or not row.is_draft:
        raise refused("submitted", _("Une demande soumise ne peut plus être modifiée."))
    kind = kind_of(row)
    if kind.section(section_key) is None:
        raise refused("no_section", _("Cette section n'existe pas."))
    row.data = {**row.data, section_key: raw}
    row.save(update_fields=["data", "updated_at"])
    record(row, f"save:{section_key}", actor, row.status)
    return row


def submission_errors(dossier: Dossier) -> list[SubmissionError]:
    """Every field in error, section by section, rows included (« Enfant 2 : Prénom »)."""
    return [
        SubmissionError(section.key, str(section.title), name, label, message, section.anchor(name))
        for section in kind_of(dossier).sections
        for name, label, message in section.errors(dossier.data.get(section.key))
    ]


@transaction.atomic
def submit(*, dossier: Dossier, actor: Actor | User) -> Dossier:
    """SOUMETTRE: by its owner, every section valid, before the deadline, and whatever the
    kind's `before_submit` checks; then the kind's « submit » transition (read-only from
    then on), and its `on_submit` keeps what it needs from that moment."""
    actor = as_actor(actor)
    user = actor.person
    row = locked(dossier)
    if not row.belongs_to(user):
        raise refused("not_owner", _("Ce dossier ne vous appartient pas."))
    if not row.is_draft:
        raise refused("already_submitted", _("Cette demande a déjà été soumise."))
    if row.deadline < timezone.localdate():
        raise refused(
            "deadline_passed", _("La date limite pour soumettre cette demande est passée.")
        )
    kind = kind_of(row)
    kind.before_submit(row, user)
    if submission_errors(row):
        raise refused("form_errors", _("Corrigez les erreurs du formulaire avant de soumettre."))
    transition(row, "submit", actor)
    row.submitted_at = timezone.now()
    if kind.draft_number_format is not None:
        # Its number only now, in this transaction: a refused or abandoned draft used none.
        for name, value in numbered(kind).items():
            setattr(row, name, value)
    kind.on_submit(row, user)
    row.save()
    audit(actor, "dossier.submitted", row, details={"kind": kind.code})
    dossier_id, recipient_id = row.pk, user.pk
    transaction.on_commit(
        lambda: after_submission.enqueue(dossier_id=dossier_id, recipient_id=recipient_id)
    )
    return row


@task()
def after_submission(*, dossier_id: int, recipient_id: int | None = None) -> None:
    """The recap PDF in « Mes documents » and the confirmation in the message centre of the
    person who submitted it (the owner, or the member of the owning organisation), made by a
    background task: the submission stands even if this has to be retried."""
    from .pdf import store_recap

    dossier = Dossier.objects.select_related("owner").get(pk=dossier_id)
    recipient = dossier.owner or User.objects.filter(pk=recipient_id or 0).first()
    if recipient is None:
        return
    if kind_of(dossier).stores_recap:
        store_recap(dossier, recipient)
    body = in_languages(lambda: kind_of(dossier).submitted_message(dossier))
    post_to_owner(dossier, body, Actor.system(), sender=Sender.SYSTEM, recipient=recipient)


class LinkFailed(Refused):
    """No dossier of that kind and number in the person's name (the page says nothing more:
    whether the number exists is not told)."""

    def __init__(self) -> None:
        super().__init__("link_failed", field="number")


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
        and same_name(candidate.first_name, profile.passport_first_name)
        and same_name(candidate.last_name, profile.passport_last_name)
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
    record(candidate, "link", actor, candidate.status)
    audit(actor, "dossier.linked", candidate)
    return candidate


# --- Agent side ------------------------------------------------------------------------------


def post_to_owner(
    dossier: Dossier,
    body: str | Texts,
    actor: Actor,
    *,
    sender: Sender = Sender.MINISTRY,
    recipient: User | None = None,
) -> None:
    """Post in the dossier's thread (created with its first message, for the owner, or for
    `recipient`, the member of the owning organisation who acted). What Guichet writes comes in
    every language; an agent's message as typed."""
    owner = dossier.owner or recipient
    if owner is None:
        return
    kind = kind_of(dossier)
    named = kind.thread_subject
    subject = in_languages(
        (lambda: named(dossier))
        if named is not None
        else (lambda: _("Votre demande %(kind)s") % {"kind": kind.label})
    )
    thread = messaging.dossier_thread(owner=owner, subject=subject, dossier=dossier)
    messaging.post(thread=thread, body=body, sender=sender, author=actor.user)


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
    if kind.owner != Owner.PERSON:
        raise refused("not_a_person", _("Ce type de dossier n'appartient pas à une personne."))
    dossier = Dossier.objects.create(
        **numbered(kind),
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
    record(dossier, "open", actor)
    events.emit(
        "dossier.opened",
        dossier,
        actor=actor,
        payload={"kind": kind.code, "from": "", "to": DossierStatus.IN_PROGRESS},
    )
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
                post_to_owner(dossier, body, Actor.system())
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
            events.emit(
                "dossier.deleted",
                (events.label(Dossier), locked.pk),
                payload={"kind": locked.kind, "why": "draft_expired"},
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
