"""The intake's writes: an application prepared, saved within the visit's hour, submitted with
the credentials typed again; the intake officers' periods and decisions; the periodic jobs
(unpaid applications deleted on day 31, possible duplicates found, windows expired)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.accounts.services import check_security_answer
from guichet.audit.services import audit
from guichet.core import events
from guichet.core.actor import Actor, as_actor
from guichet.core.i18n import in_languages
from guichet.core.refusals import Refused
from guichet.core.transitions import move
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.messaging import services as messaging
from guichet.messaging.models import Sender
from guichet.payments import services as payments
from guichet.payments.models import OPEN_STATUSES as OPEN_PAYMENT_STATUSES
from guichet.payments.models import Payment, PaymentStatus

from . import eligibility, quota
from .kinds.csq import kind as csq
from .models import STANDARD_DOCUMENTS, Application, Category, Exemption, IntakePeriod
from .selectors import handles_intake

# A save posted a little after the visit's hour ended is still kept (what was typed in time is
# never lost); after that, the page says the visit is over.
VISIT_GRACE = timedelta(minutes=10)


def _officer(actor: Actor) -> User:
    if not handles_intake(actor):
        raise Refused(
            "not_allowed", _("Cette action est réservée aux agents de réception des demandes.")
        )
    return actor.person


# --- The candidate's side --------------------------------------------------------------------


@transaction.atomic
def start(*, actor: Actor | User) -> Dossier:
    """« Commencer ma demande »: one application per account (seed 002 FAQ 15, 16); its 90 days
    run from this first save."""
    actor = as_actor(actor)
    user = actor.person
    User.objects.select_for_update().filter(pk=user.pk).first()
    if Dossier.objects.filter(owner=user, kind=csq.CODE).exists():
        raise Refused(
            "already_started",
            _("Vous avez déjà une demande de certificat de sélection dans Mon projet Québec."),
        )
    dossier = dossiers.create(kind=csq.CSQ, actor=actor, answers={})
    Application.objects.create(dossier=dossier)
    audit(actor, "intake.application_started", dossier)
    return dossier


@dataclass(frozen=True)
class Visit:
    """A visit's editing time before an opening (seed 002: « à chaque fois qu'ils auront accès
    à leur compte MPQ, 1 heure pour compléter et mettre à jour leur demande »)."""

    started_at: datetime
    minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.started_at + timedelta(minutes=self.minutes)

    def seconds_left(self, now: datetime | None = None) -> int:
        return max(int((self.ends_at - (now or timezone.now())).total_seconds()), 0)

    def over(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def accepts_save(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) < self.ends_at + VISIT_GRACE


def visit_minutes(*, now: datetime | None = None) -> int | None:
    """The limit of a visit, when the coming period sets one and has not opened yet."""
    now = now or timezone.now()
    if csq.current_period(now=now) is not None:
        return None
    coming = csq.next_period(now=now)
    return coming.visit_minutes if coming is not None else None


def save_section(
    *,
    dossier: Dossier,
    key: str,
    raw: dict[str, Any],
    actor: Actor | User,
    visit: Visit | None = None,
) -> Dossier:
    if visit is not None and not visit.accepts_save():
        raise Refused(
            "visit_over",
            _(
                "Le temps alloué pour cette visite est écoulé. Reconnectez-vous pour continuer à "
                "compléter et mettre à jour votre demande."
            ),
        )
    with transaction.atomic():
        row = dossiers.save_section(dossier=dossier, section_key=key, raw=raw, actor=actor)
        eligibility.refresh(row)
    return row


def credentials_match(
    user: User, *, user_code: str, password: str, answers: dict[str, str]
) -> bool:
    """The user code, the password and every security answer, as at sign-in."""
    return (
        user_code.strip().casefold() == user.get_username().casefold()
        and check_password(password, user.password)
        and bool(answers)
        and all(check_security_answer(user, q, a) for q, a in answers.items())
    )


def submit(
    *,
    dossier: Dossier,
    actor: Actor | User,
    user_code: str,
    password: str,
    answers: dict[str, str],
    representative_signature: bool = False,
    from_mobile: bool = False,
    message: str = "",
) -> Dossier:
    """« Soumettre »: the credentials again, the representative's box when they sign, the
    period's device rule, then the engine's submission (the quota's place, or set aside as a
    duplicate, inside the same transaction)."""
    actor = as_actor(actor)
    user = actor.person
    if not credentials_match(user, user_code=user_code, password=password, answers=answers):
        audit(actor, "intake.reauthentication_failed", dossier)
        raise Refused(
            "credentials",
            _(
                "Le code d'utilisateur, le mot de passe ou les réponses aux questions de sécurité "
                "ne sont pas exacts."
            ),
        )
    signs = representative_signs(dossier)
    if signs and not representative_signature:
        raise Refused(
            "representative_signature",
            _("Cochez la case de signature du représentant."),
            field="representative_signature",
        )
    period = csq.period_for(csq.category_of(dossier))
    if from_mobile and period is not None and period.refuse_mobile:
        raise Refused(
            "mobile_refused",
            _(
                "Pour cette période, seules les demandes faites à partir d'un ordinateur "
                "personnel sont reçues : les demandes à partir d'une tablette ou d'un téléphone "
                "sont refusées."
            ),
        )
    if csq.needs_verification(dossier):
        return request_verification(
            dossier=dossier, actor=actor, message=message, representative_signed=signs
        )
    with transaction.atomic():
        Application.objects.filter(dossier=dossier).update(representative_signed=signs)
        row = dossiers.submit(dossier=dossier, actor=actor)
    audit(actor, "intake.application_submitted", row, details={"status": row.status})
    return row


def _claim(dossier: Dossier, message: str) -> dict[str, Any]:
    """The evidence as the candidate typed it, for the officer (never trusted by itself)."""
    category = csq.claimed_category(dossier)
    claim: dict[str, Any] = {"category": category, "message": message.strip()[:2000]}
    if category == Category.JOB_OFFER:
        offer = csq.section_data(dossier, "offre")
        for name in ("offer_number", "employer", "job_title", "city"):
            claim[name] = str(offer.get(name) or "")[:150]
    else:
        quebec = csq.section_data(dossier, "quebec")
        for name in ("permit_number", "permit_expiry"):
            claim[name] = str(quebec.get(name) or "")[:40]
    return claim


@transaction.atomic
def request_verification(
    *, dossier: Dossier, actor: Actor, message: str = "", representative_signed: bool = False
) -> Dossier:
    """« Soumettre » with a claim outside the quota that no record confirms: the application
    goes to « En vérification ». It holds no place, is not « Soumise », and a reservation its
    holder had goes back; an intake officer confirms or refuses the claim."""
    user = actor.person
    row = dossiers.locked(dossier)
    if not row.belongs_to(user):
        raise Refused("not_owner", _("Ce dossier ne vous appartient pas."))
    if not row.is_draft:
        raise Refused("already_submitted", _("Cette demande a déjà été soumise."))
    if dossiers.submission_errors(row):
        raise Refused("form_errors", _("Corrigez les erreurs du formulaire avant de soumettre."))
    errors = csq.consistency_errors(row)
    if errors:
        raise Refused("inconsistent", errors[0], reasons=errors)
    category = csq.claimed_category(row)
    if csq.period_for(category) is None:
        raise Refused(
            "category_not_accepted",
            _("Les demandes de votre catégorie ne sont pas reçues en ce moment."),
        )
    dossiers.transition(row, "verify", actor)
    row.submitted_at = timezone.now()  # when the verification was asked
    row.save(update_fields=["status", "submitted_at", "updated_at"])
    Application.objects.filter(dossier=row).update(
        exemption=Exemption.PENDING,
        exemption_claim=_claim(row, message),
        exemption_reason="",
        exemption_decided_by=None,
        exemption_decided_at=None,
        representative_signed=representative_signed,
        queue_ready=False,
    )
    quota.release_held(user=user)
    audit(actor, "intake.exemption_requested", row, details={"category": category})
    _tell(
        row,
        lambda: (
            _(
                "Votre demande %(number)s est en vérification : un agent du Ministère vérifie "
                "qu'elle peut être soumise hors du nombre maximal de demandes (offre d'emploi "
                "validée ou résident temporaire autorisé). Elle n'est pas encore soumise et "
                "n'occupe pas de place. Vous serez avisé de la décision."
            )
            % {"number": row.number}
        ),
    )
    return row


@transaction.atomic
def confirm_exemption(*, application: Application, actor: Actor | User) -> Application:
    """The officer confirmed the claim: the application is submitted outside the quota, as
    the candidate asked (their credentials were checked when they asked)."""
    actor = as_actor(actor)
    row = _application_for_officer(actor, application)
    dossier = dossiers.locked(row.dossier)
    if dossier.status != DossierStatus.PENDING or dossier.owner is None:
        raise Refused("not_pending", _("Cette demande n'est pas en vérification."))
    dossiers.transition(dossier, "reopen", actor)
    dossier.submitted_at = None
    dossier.save(update_fields=["status", "submitted_at", "updated_at"])
    row.exemption = Exemption.CONFIRMED
    row.exemption_decided_by = actor.user
    row.exemption_decided_at = timezone.now()
    row.save(update_fields=["exemption", "exemption_decided_by", "exemption_decided_at"])
    audit(actor, "intake.exemption_confirmed", dossier)
    submitted_row = dossiers.submit(dossier=dossier, actor=Actor.of(dossier.owner))
    audit(actor, "intake.application_submitted", submitted_row, details={"by": "officer"})
    return Application.objects.get(pk=row.pk)


@transaction.atomic
def refuse_exemption(*, application: Application, reason: str, actor: Actor | User) -> Application:
    """The officer refused the claim: the application is a draft again, within the quota; the
    candidate is told why and may queue like everyone else."""
    actor = as_actor(actor)
    row = _application_for_officer(actor, application)
    if not reason.strip():
        raise Refused("reason_required", _("Indiquez le motif."), field="reason")
    dossier = dossiers.locked(row.dossier)
    if dossier.status != DossierStatus.PENDING:
        raise Refused("not_pending", _("Cette demande n'est pas en vérification."))
    dossiers.transition(dossier, "reopen", actor)
    dossier.submitted_at = None
    dossier.save(update_fields=["status", "submitted_at", "updated_at"])
    row.exemption = Exemption.REFUSED
    row.exemption_reason = reason.strip()
    row.exemption_decided_by = actor.user
    row.exemption_decided_at = timezone.now()
    row.save(
        update_fields=[
            "exemption",
            "exemption_reason",
            "exemption_decided_by",
            "exemption_decided_at",
        ]
    )
    eligibility.refresh(dossier)
    audit(actor, "intake.exemption_refused", dossier)
    text = reason.strip()
    _tell(
        dossier,
        lambda: (
            _(
                "Votre demande %(number)s ne peut pas être soumise hors du nombre maximal de "
                "demandes. Motif : %(reason)s Elle n'est pas soumise : vous pouvez la soumettre "
                "dans le nombre maximal de demandes, comme les autres candidats (à partir de la "
                "salle d'attente virtuelle pendant une période de réception)."
            )
            % {"number": dossier.number, "reason": text}
        ),
    )
    return row


def representative_signs(dossier: Dossier) -> bool:
    """The form names a representative who signs at submission (seed 002: « L'avocat au
    dossier peut signer la demande au moment de la soumission au nom du client »)."""
    raw = csq.section_data(dossier, "representant") or {}
    return raw.get("kind") not in (None, "", "aucun") and raw.get("signs") == "oui"


# --- Intake officers -------------------------------------------------------------------------


@transaction.atomic
def save_period(
    *, period: IntakePeriod | None, values: dict[str, Any], actor: Actor | User
) -> IntakePeriod:
    """Create a period, or change one: its quota only until it opens (then locked); every
    change audited with the quota before and after."""
    actor = as_actor(actor)
    officer = _officer(actor)
    if period is None:
        created = IntakePeriod.objects.create(**values, created_by=officer)
        audit(actor, "intake.period_created", created, details={"quota": created.quota})
        return created
    row = IntakePeriod.objects.select_for_update().get(pk=period.pk)
    before = row.quota
    if "quota" in values and values["quota"] != before:
        if row.has_opened:
            raise Refused(
                "quota_locked",
                _(
                    "La période est ouverte : le nombre maximal de demandes ne peut plus être "
                    "modifié."
                ),
                field="quota",
            )
        if values["quota"] < row.taken + row.reserved:
            raise Refused(
                "quota_below_taken",
                _("Le nombre maximal ne peut pas être inférieur aux places déjà prises."),
                field="quota",
            )
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    audit(
        actor,
        "intake.period_changed",
        row,
        details={"quota_before": before, "quota_after": row.quota},
    )
    return row


def _application_for_officer(actor: Actor, application: Application) -> Application:
    _officer(actor)
    return Application.objects.select_for_update().select_related("dossier").get(pk=application.pk)


def _tell(dossier: Dossier, build: Any) -> None:
    dossiers.post_to_owner(dossier, in_languages(build), Actor.system(), sender=Sender.MINISTRY)


@transaction.atomic
def set_aside(*, application: Application, reason: str, actor: Actor | User) -> Application:
    """A duplicate found after submission: set aside, its place released, the reason told;
    a fee already paid is refunded."""
    actor = as_actor(actor)
    row = _application_for_officer(actor, application)
    if not reason.strip():
        raise Refused("reason_required", _("Indiquez le motif."), field="reason")
    dossier = dossiers.locked(row.dossier)
    dossiers.transition(dossier, "set_aside", actor)
    dossier.save(update_fields=["status", "updated_at"])
    row.counted, row.possible_duplicate, row.set_aside_reason = False, False, reason.strip()
    row.save(update_fields=["counted", "possible_duplicate", "set_aside_reason"])
    quota.release_place(row)
    if dossier.owner is not None:
        quota.release_held(user=dossier.owner)
    _refund(dossier, actor, _("Demande %(number)s écartée") % {"number": dossier.number})
    _tell(
        dossier,
        lambda: (
            _("Votre demande %(number)s a été écartée. Motif : %(reason)s")
            % {"number": dossier.number, "reason": reason.strip()}
        ),
    )
    audit(actor, "intake.application_set_aside", dossier)
    return row


@transaction.atomic
def refuse_transferred(
    *, application: Application, reason: str, actor: Actor | User
) -> Application:
    """« Les comptes cédés ou vendus seront refusés »."""
    actor = as_actor(actor)
    row = _application_for_officer(actor, application)
    if not reason.strip():
        raise Refused("reason_required", _("Indiquez le motif."), field="reason")
    dossier = dossiers.locked(row.dossier)
    dossiers.transition(dossier, "refuse", actor)
    dossier.save(update_fields=["status", "updated_at"])
    row.counted, row.set_aside_reason = False, reason.strip()
    row.save(update_fields=["counted", "set_aside_reason"])
    quota.release_place(row)
    if dossier.owner is not None:
        quota.release_held(user=dossier.owner)
    _refund(dossier, actor, _("Demande %(number)s refusée") % {"number": dossier.number})
    _tell(
        dossier,
        lambda: (
            _("Votre demande %(number)s est refusée. Motif : %(reason)s")
            % {"number": dossier.number, "reason": reason.strip()}
        ),
    )
    audit(actor, "intake.application_refused", dossier)
    return row


@transaction.atomic
def keep(*, application: Application, actor: Actor | User) -> Application:
    """A possible duplicate or an identity change reviewed and kept."""
    actor = as_actor(actor)
    row = _application_for_officer(actor, application)
    row.possible_duplicate = False
    row.transfer_flagged_at = None
    row.save(update_fields=["possible_duplicate", "transfer_flagged_at"])
    audit(actor, "intake.application_kept", row.dossier)
    return row


def _refund(dossier: Dossier, actor: Actor, reason: str) -> None:
    """The fee paid, given back once the decision is recorded (outside its transaction)."""
    payments.refund_rest_when_committed(
        purpose=csq.CODE, object_id=str(dossier.pk), reason=reason, actor=actor
    )


@transaction.atomic
def open_file(*, application: Application, actor: Actor | User) -> Application:
    """« Lettre d'ouverture de dossier » (the service declaration promises it within 30 days):
    a paid application, once."""
    actor = as_actor(actor)
    row = _application_for_officer(actor, application)
    if row.dossier.status != DossierStatus.PAID:
        raise Refused("not_paid", _("Seule une demande payée peut être ouverte."))
    if row.file_opened_at is not None:
        raise Refused("already_opened", _("La lettre d'ouverture de dossier a déjà été envoyée."))
    row.file_opened_at = timezone.now()
    row.save(update_fields=["file_opened_at"])
    events.emit("application.file_opened", row, actor=actor, payload={"dossier": row.dossier_id})
    dossiers.record(row.dossier, "file_opened", actor, row.dossier.status)
    audit(actor, "intake.file_opened", row.dossier)
    return row  # its letter follows the event (`subscribers`)


# --- The personalised list of required documents (seed 002 FAQ 1) -------------------------

DOCUMENTS_WITHIN = timedelta(days=90)


@transaction.atomic
def request_documents(
    *,
    application: Application,
    standard: list[str],
    others: list[str],
    actor: Actor | User,
) -> Application:
    """The ministry is ready to process a paid application: the personalised list goes to the
    candidate's account, with 90 days to mail the documents."""
    from .models import RequiredDocument

    actor = as_actor(actor)
    row = _application_for_officer(actor, application)
    if row.dossier.status != DossierStatus.PAID:
        raise Refused(
            "not_paid", _("Seule une demande payée peut recevoir la liste des documents.")
        )
    if row.documents_requested_at is not None:
        raise Refused("already_requested", _("La liste des documents exigés a déjà été envoyée."))
    chosen = [(fr, en) for code, fr, en in STANDARD_DOCUMENTS if code in standard]
    chosen += [(" ".join(line.split())[:200], "") for line in others if line.strip()]
    if not chosen:
        raise Refused("no_documents", _("Choisissez au moins un document exigé."), field="standard")
    RequiredDocument.objects.bulk_create(
        RequiredDocument(application=row, position=n, label_fr=fr, label_en=en)
        for n, (fr, en) in enumerate(chosen, start=1)
    )
    now = timezone.now()
    row.documents_requested_at = now
    row.documents_due = timezone.localdate() + DOCUMENTS_WITHIN
    row.save(update_fields=["documents_requested_at", "documents_due"])
    dossiers.record(row.dossier, "documents_requested", actor, row.dossier.status)
    audit(actor, "intake.documents_requested", row.dossier, details={"count": len(chosen)})
    due = row.documents_due

    def notice() -> str:
        from django.utils import translation

        english = translation.get_language() == "en"
        lines = [
            _(
                "Le Ministère est prêt à traiter votre demande %(number)s. Faites parvenir par la "
                "poste, d'ici le %(due)s (90 jours), les documents suivants :"
            )
            % {"number": row.dossier.number, "due": due.isoformat()},
            "",
            *(f"- {en if english and en else fr}" for fr, en in chosen),
            "",
            _(
                "Si vous êtes dans l'impossibilité de soumettre un document dans le format exigé, "
                "fournissez des explications par écrit au Ministère. Le traitement de votre "
                "demande débutera une fois ces documents reçus."
            ),
        ]
        return "\n".join(lines)

    _tell(row.dossier, notice)
    return row


@transaction.atomic
def record_document(
    *,
    document: Any,
    received_on: Any,
    explanation: str = "",
    actor: Actor | User,
) -> Any:
    """A document received (or the candidate's written explanation): recorded once; when the
    last one is in, processing starts and the candidate is told."""
    from .models import DOCUMENT_TRANSITIONS, DocumentStatus, RequiredDocument

    actor = as_actor(actor)
    row = _application_for_officer(actor, document.application)
    action = "explain" if explanation.strip() else "receive"
    status = DOCUMENT_TRANSITIONS[action].target
    if received_on is None:
        raise Refused("date_required", _("Indiquez la date de réception."), field="received_on")
    moved = move(
        RequiredDocument.objects.filter(pk=document.pk, application=row),
        DOCUMENT_TRANSITIONS,
        action,
        actor=actor,
        payload={"dossier": row.dossier_id},
        received_on=received_on,
        explanation=explanation.strip(),
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    if not moved:
        raise Refused("already_recorded", _("Ce document est déjà inscrit comme reçu."))
    audit(actor, "intake.document_recorded", row.dossier, details={"status": str(status)})
    waiting = RequiredDocument.objects.filter(application=row, status=DocumentStatus.REQUESTED)
    if not waiting.exists() and row.dossier.status == DossierStatus.PAID:
        dossier = dossiers.locked(row.dossier)
        dossiers.transition(dossier, "start", actor)
        dossier.save(update_fields=["status", "updated_at"])
        row.processing_started_at = timezone.now()
        row.save(update_fields=["processing_started_at"])
        _tell(
            dossier,
            lambda: (
                _(
                    "Le Ministère a reçu tous les documents exigés pour votre demande %(number)s : "
                    "son traitement débute."
                )
                % {"number": dossier.number}
            ),
        )
    return RequiredDocument.objects.get(pk=document.pk)


# --- Receivers and periodic jobs -------------------------------------------------------------


def flag_transfer(user: User) -> int:
    """The account holder's identity changed: their submitted application is flagged for the
    officers (« comptes cédés ou vendus »)."""
    flagged = Application.objects.filter(
        dossier__owner=user,
        dossier__status__in=[
            DossierStatus.SUBMITTED,
            DossierStatus.PAID,
            DossierStatus.IN_PROGRESS,
        ],
        transfer_flagged_at__isnull=True,
    ).update(transfer_flagged_at=timezone.now())
    if flagged:
        audit(None, "intake.identity_changed_after_submission", user)
    return flagged


def delete_unpaid(*, now: datetime | None = None) -> int:
    """Day 31: an application submitted and not paid within 30 days is deleted and its place
    released (seed 002 FAQ 18, 21). Each is claimed under a row lock, so parallel runs delete
    it once; a tombstone without personal data stays in the audit trail, the place in the
    counts, and the person is told in their messages."""
    now = now or timezone.now()
    due = Application.objects.filter(
        dossier__status=DossierStatus.SUBMITTED, pay_by__lt=now
    ).values_list("pk", flat=True)
    deleted = 0
    for application_id in list(due):
        with transaction.atomic():
            row = (
                Application.objects.select_for_update(of=("self",))
                .select_related("dossier")
                .filter(pk=application_id, dossier__status=DossierStatus.SUBMITTED, pay_by__lt=now)
                .first()
            )
            if row is None:
                continue
            dossier = Dossier.objects.select_for_update().get(pk=row.dossier_id)
            # A payment still under way (or succeeded) is settled first: the next run decides.
            if (
                dossier.status != DossierStatus.SUBMITTED
                or Payment.objects.filter(
                    purpose=csq.CODE,
                    object_id=str(dossier.pk),
                    status__in=[PaymentStatus.SUCCESS, *OPEN_PAYMENT_STATUSES],
                ).exists()
            ):
                continue
            quota.release_place(row)
            owner, number = dossier.owner, dossier.number
            audit(
                None,
                "intake.unpaid_deleted",
                object_type="dossiers.dossier",
                object_id=dossier.pk,
                details={"number": number, "pay_by": row.pay_by.isoformat() if row.pay_by else ""},
            )
            events.emit(
                "dossier.deleted",
                (events.label(Dossier), dossier.pk),
                payload={"kind": dossier.kind, "why": "unpaid"},
            )
            dossier.delete()
            if owner is not None:
                _tell_deleted(owner, number)
            deleted += 1
    return deleted


def _deleted_notice(number: str) -> str:
    return _(
        "Votre demande de certificat de sélection %(number)s a été supprimée : les frais n'ont "
        "pas été payés dans les 30 jours suivant sa soumission. Sa place dans le nombre maximal "
        "de demandes a été libérée."
    ) % {"number": number}


def _tell_deleted(owner: User, number: str) -> None:
    """In the account's Mon projet Québec thread: the application's own thread is gone."""
    thread = messaging.topic_thread(
        owner=owner, topic="intake", subject=in_languages(lambda: _("Mon projet Québec"))
    )
    messaging.post(
        thread=thread, body=in_languages(lambda: _deleted_notice(number)), sender=Sender.SYSTEM
    )


def refresh_identity_keys() -> int:
    """The keys of submitted applications made again from what they hold, as `identity.keys_of`
    makes them now (look-alike letters folded since issue 29): a key that changes is written;
    two counted applications that now share the exact key are both flagged, never silently
    merged. Returns how many keys changed."""
    from .identity import keys_of

    changed = 0
    rows = Application.objects.exclude(dossier__status=DossierStatus.DRAFT).select_related(
        "dossier"
    )
    for application in rows.iterator(chunk_size=500):
        keys = keys_of(csq.section_data(application.dossier, "requerant"))
        if (application.identity_key, application.passport_key, application.names_key) == (
            keys.exact,
            keys.passport,
            keys.names,
        ):
            continue
        changed += 1
        Application.objects.filter(pk=application.pk).update(
            passport_key=keys.passport, names_key=keys.names
        )
        if not keys.exact:
            continue
        try:
            with transaction.atomic():
                Application.objects.filter(pk=application.pk).update(identity_key=keys.exact)
        except IntegrityError:
            Application.objects.filter(
                Q(pk=application.pk) | Q(identity_key=keys.exact, counted=True)
            ).update(possible_duplicate=True)
    return changed


def scan_duplicates() -> int:
    """After submission: counted applications sharing a passport, or names and a date of
    birth, with another one are flagged for the officers to review (the exact duplicates were
    set aside at submission). The keys are first made again as they are made now."""
    refresh_identity_keys()
    counted = Application.objects.filter(counted=True)
    flagged = 0
    for field in ("passport_key", "names_key"):
        shared = (
            counted.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list(field, flat=True)
        )
        flagged += counted.filter(
            Q(**{f"{field}__in": list(shared)}), possible_duplicate=False
        ).update(possible_duplicate=True)
    return flagged


def run_jobs(*, now: datetime | None = None) -> dict[str, int]:
    return {
        "reservations_expired": quota.expire_reservations(now=now),
        "unpaid_deleted": delete_unpaid(now=now),
        "possible_duplicates": scan_duplicates(),
    }
