"""« Offre d'emploi dispensé d'une EIMT » (seed 004 §IV): a kind of the dossier engine owned by
the company, numbered `A` + 7 digits, in four forms; its employer compliance fee is paid through
the payments app (« Transmettre et payer ») unless the employer is exempt. Paid, it is
submitted (« Soumis »); the employer may withdraw it (« Retirer la demande »), and a paid fee is
refunded.

Its data is kept six years after the work permit is issued, the inspection period of seed 004
(« jusqu'à six ans après la délivrance du permis de travail »): RETENTION below."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from guichet.accounts.models import Duty, Role, User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.email import send_templated_email, site_url
from guichet.core.refusals import Refused
from guichet.core.transitions import Transition
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.registry import (
    DossierKind,
    NumberFormat,
    Owner,
    Section,
    SectionStatus,
    register,
)
from guichet.employers.models import OFFER_KIND
from guichet.employers.selectors import offers_for
from guichet.payments import purposes
from guichet.payments import services as payments
from guichet.payments.models import Payment, PaymentStatus, Refund, RefundStatus

from .forms import CompanyOfferForm, JobForm, WagesForm, WorkerForm

CODE = OFFER_KIND
FEE_CODE = "permis-travail-sans-eimt"
DECLARATION_VERSION = "004-IV-2026"
# Seed 004: the information may be used during an inspection up to six years after the work
# permit is issued; the offer's data is kept that long after its submission at the least.
RETENTION = timedelta(days=6 * 366)
logger = logging.getLogger(__name__)


class NoConditions(forms.Form):
    """An offer has no conditions to create it: its company's users may file as many as they
    need."""


def _refusals(user: User, answers: dict[str, Any]) -> list[str]:
    if user.role != Role.EMPLOYER or user.organisation_id is None:
        return [_("Seuls les utilisateurs d'une entreprise inscrite peuvent soumettre une offre.")]
    return []


def receipt_number(dossier: Dossier) -> str:
    paid = Payment.objects.filter(
        purpose=CODE, object_id=str(dossier.pk), status=PaymentStatus.SUCCESS
    ).first()
    return (paid.receipt_number or "") if paid is not None else ""


def confirmation_title(dossier: Dossier) -> str:
    when = timezone.localtime(dossier.submitted_at or timezone.now())
    return _("Confirmation de transmission de la demande en ligne - %(when)s") % {
        "when": date_format(when, "j F Y H:i:s")
    }


def _submitted_message(dossier: Dossier) -> str:
    when = date_format(timezone.localtime(dossier.submitted_at or timezone.now()), "j F Y H:i:s")
    receipt = receipt_number(dossier)
    lines = [
        confirmation_title(dossier),
        "",
        _("Bonjour,"),
        "",
        _("Votre demande en ligne a été transmise avec succès le %(when)s.") % {"when": when},
    ]
    if receipt:
        lines.append(
            _("Le reçu de votre paiement porte le numéro %(receipt)s.") % {"receipt": receipt}
        )
    lines += [
        "",
        _(
            "Votre offre d'emploi a été reçue. Votre numéro d'offre d'emploi est %(number)s. "
            "Vous recevrez aussi un avis par courriel qui le précise."
        )
        % {"number": dossier.number},
        _(
            "Veuillez prendre note que vous devez fournir ce numéro d'offre d'emploi au "
            "travailleur étranger éventuel afin qu'il l'inscrive dans sa demande de permis de "
            "travail."
        ),
    ]
    return "\n".join(lines)


def sections_digest(dossier: Dossier) -> str:
    """What the employer's declaration covers: the four forms as they are."""
    data = {s.key: dossier.data.get(s.key) or {} for s in OFFER.sections}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def signature(dossier: Dossier) -> dict[str, Any] | None:
    """The declaration as signed, if it still covers the forms as they are."""
    signed = dossier.data.get("signature")
    if not signed or signed.get("digest") != sections_digest(dossier):
        return None
    return dict(signed)


def is_exempt(dossier: Dossier) -> bool:
    return (dossier.data.get("emploi") or {}).get("fee") == "dispense"


def _before_submit(dossier: Dossier, user: User) -> None:
    if signature(dossier) is None:
        raise Refused("not_signed", _("Signez d'abord la déclaration de l'employeur."))
    if not is_exempt(dossier) and not receipt_number(dossier):
        raise Refused(
            "not_paid", _("Les frais relatifs à la conformité de l'employeur sont à payer.")
        )


def _on_submit(dossier: Dossier, user: User) -> None:
    worker = dossier.data.get("travailleur") or {}
    dossier.first_name = str(worker.get("first_name", ""))[:100]
    dossier.last_name = str(worker.get("last_name", ""))[:100]
    dossier_id, user_id = dossier.pk, user.pk
    transaction.on_commit(lambda: send_offer_number.enqueue(dossier_id=dossier_id, user_id=user_id))


OFFER = register(
    DossierKind(
        code=CODE,
        label=gettext_lazy("Offre d'emploi dispensé d'une EIMT"),
        number_format=NumberFormat(prefix="A", digits=7),
        # « Votre numéro d'offre d'emploi est (A) » comes once it is transmitted (and paid):
        # drafts are « BR » + 8 digits meanwhile, shown as a draft's reference only.
        draft_number_format=NumberFormat(prefix="BR", digits=8),
        sections=(
            Section(
                key="entreprise",
                title=gettext_lazy("Renseignements sur l'entreprise"),
                form_class=CompanyOfferForm,
            ),
            Section(
                key="travailleur",
                title=gettext_lazy("Renseignements sur le travailleur étranger"),
                form_class=WorkerForm,
            ),
            Section(key="emploi", title=gettext_lazy("Détails sur l'emploi"), form_class=JobForm),
            Section(
                key="salaire",
                title=gettext_lazy("Salaire et avantages sociaux"),
                form_class=WagesForm,
            ),
        ),
        conditions_form=NoConditions,
        refusals=_refusals,
        submitted_message=_submitted_message,
        recap_title=gettext_lazy("Offre d'emploi dispensé d'une EIMT"),
        transitions={
            "submit": Transition(frozenset({DossierStatus.DRAFT}), DossierStatus.SUBMITTED),
            "withdraw": Transition(
                frozenset({DossierStatus.DRAFT, DossierStatus.SUBMITTED}), DossierStatus.WITHDRAWN
            ),
        },
        # A draft is kept a year; the company's users come back to it from the list.
        deadline_days=365,
        owner=Owner.ORGANISATION,
        status_labels={
            DossierStatus.DRAFT: gettext_lazy("Non soumise"),
            DossierStatus.SUBMITTED: gettext_lazy("Soumis"),
            DossierStatus.WITHDRAWN: gettext_lazy("Retirée"),
        },
        section_status_labels={
            SectionStatus.NOT_STARTED: gettext_lazy("Pas commencé"),
            SectionStatus.IN_PROGRESS: gettext_lazy("En cours"),
            SectionStatus.COMPLETE: gettext_lazy("Terminé"),
        },
        buttons=(),
        listed=False,
        before_submit=_before_submit,
        on_submit=_on_submit,
        retention=RETENTION,
        thread_subject=confirmation_title,
    )
)


# --- Reads -----------------------------------------------------------------------------------


# Not a status (the offer is still a draft): what the list says while its fee is being paid.
PROCESSING = gettext_lazy("Demande en traitement")


def processing(dossier: Dossier) -> bool:
    """« Demande en traitement »: a payment under way, or cancelled less than an hour ago."""
    purpose = purposes.get_purpose(CODE)
    if purpose is None or not dossier.is_draft:
        return False
    where = payments.standing(purpose, str(dossier.pk))
    return where.in_progress is not None or where.processing_until is not None


def display_status(dossier: Dossier) -> str:
    if processing(dossier):
        return str(PROCESSING)
    return dossier.status_label


# --- Writes ----------------------------------------------------------------------------------


def create(*, actor: Actor | User) -> Dossier:
    return dossiers.create(kind=OFFER, actor=actor, answers={})


def save_form(*, dossier: Dossier, key: str, raw: dict[str, Any], actor: Actor | User) -> Dossier:
    """Keep one of the four forms as typed; the worker's names also go on the offer, where the
    list searches and sorts them. While its fee is being paid the offer cannot change: the
    payment submits the offer as signed."""
    if processing(dossier):
        raise Refused(
            "payment_under_way",
            _("Un paiement est en cours pour cette offre : elle ne peut pas être modifiée."),
        )
    row = dossiers.save_section(dossier=dossier, section_key=key, raw=raw, actor=actor)
    if key == "travailleur":
        row.first_name = str(raw.get("first_name", ""))[:100]
        row.last_name = str(raw.get("last_name", ""))[:100]
        row.save(update_fields=["first_name", "last_name"])
    return row


@transaction.atomic
def sign(
    *,
    dossier: Dossier,
    actor: Actor | User,
    first_name: str,
    last_name: str,
    answer: str,
    question: str,
) -> Dossier:
    """« Signer »: the employer's declaration accepted, the names, the answer to the portal
    security question asked; kept with the text's version and a digest of the forms."""
    from guichet.accounts.services import check_security_answer

    actor = as_actor(actor)
    user = actor.person
    row = dossiers.locked(dossier)
    if not row.belongs_to(user) or not row.is_draft:
        raise Refused("not_draft", _("Une demande soumise ne peut plus être modifiée."))
    if dossiers.submission_errors(row):
        raise Refused("incomplete", _("Remplissez d'abord les quatre formulaires."))
    if not question or not check_security_answer(user, question, answer):
        audit(actor, "offer.signature_refused", row)
        raise Refused(
            "wrong_answer",
            _("La réponse à votre question de sécurité n'est pas exacte."),
            field="security_answer",
        )
    row.data = {
        **row.data,
        "signature": {
            "first_name": first_name.strip(),
            "last_name": last_name.strip(),
            "signed_at": timezone.now().isoformat(),
            "user_id": user.pk,
            "version": DECLARATION_VERSION,
            "digest": sections_digest(row),
        },
    }
    row.save(update_fields=["data", "updated_at"])
    dossiers.record(row, "sign", actor, row.status)
    audit(actor, "offer.signed", row)
    return row


def transmit_exempt(*, dossier: Dossier, actor: Actor | User) -> Dossier:
    """« Transmettre » an offer whose employer is exempt from the fee."""
    if not is_exempt(dossier):
        raise Refused(
            "not_exempt", _("Les frais relatifs à la conformité de l'employeur sont à payer.")
        )
    return dossiers.submit(dossier=dossier, actor=actor)


@transaction.atomic
def withdraw(*, dossier: Dossier, actor: Actor | User) -> Dossier:
    """« Retirer la demande »: a draft or a submitted offer; a paid fee is refunded in full to
    the same card (or by cheque, if it was paid by mail) once the withdrawal is recorded,
    outside its transaction."""
    actor = as_actor(actor)
    row = dossiers.locked(dossier)
    if not row.belongs_to(actor.person):
        raise Refused("not_owner", _("Ce dossier ne vous appartient pas."))
    if processing(row):
        raise Refused(
            "payment_under_way",
            _("Un paiement est en cours pour cette offre : attendez qu'il soit terminé."),
        )
    dossiers.transition(row, "withdraw", actor)
    row.save(update_fields=["status", "updated_at"])
    audit(actor, "offer.withdrawn", row)
    payments.refund_rest_when_committed(
        purpose=CODE,
        object_id=str(row.pk),
        reason=_("Offre d'emploi %(number)s retirée") % {"number": row.number},
        actor=actor,
    )
    return row


def refund_waiting(dossier: Dossier) -> bool:
    """The fee's refund was asked and the payment service has not answered yet."""
    return Refund.objects.filter(
        payment__purpose=CODE, payment__object_id=str(dossier.pk), status=RefundStatus.PENDING
    ).exists()


@task()
def send_offer_number(*, dossier_id: int, user_id: int) -> None:
    """The email with the offer number (seed 004 §IV.3): the number, nothing about the worker."""
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    user = User.objects.filter(pk=user_id).first()
    if dossier is None or user is None or not user.email:
        return
    language = user.preferred_language
    send_templated_email(
        to=user.email,
        template="job_offer_received",
        context={"number": dossier.number, "url": site_url("employers:offers", language)},
        language=language,
    )


# --- The fee, through the payments app -------------------------------------------------------


def _owed(object_id: str) -> list[purposes.Owed]:
    dossier = Dossier.objects.filter(pk=int(object_id) if object_id.isdigit() else 0).first()
    if dossier is None or is_exempt(dossier):
        return []
    return [purposes.Owed(FEE_CODE)]


def _may_pay(user: User, object_id: str) -> bool:
    if not object_id.isdigit():
        return False
    dossier = offers_for(user).filter(pk=int(object_id)).first()
    if dossier is None or not dossier.belongs_to(user):
        return False
    if dossier.is_draft:  # signed, and owing the fee
        return signature(dossier) is not None and not is_exempt(dossier)
    return True


def _on_paid(payment: Payment) -> None:
    """The fee is paid: submit the offer. Should a rule refuse (it cannot change while being
    paid, so this is not expected), the payment still stands — the money was taken — and the
    ministry is told through the log and the audit trail, to submit or refund it."""
    dossier = Dossier.objects.get(pk=int(payment.object_id))
    if not dossier.is_draft:
        return
    try:
        with transaction.atomic():
            dossiers.submit(dossier=dossier, actor=payment.payer)
    except Refused as refusal:
        logger.error("Offer %s paid but not submitted: %s", dossier.number, refusal.code)
        audit(None, "offer.paid_not_submitted", dossier, details={"refusal": refusal.code})


purposes.register(
    purposes.Purpose(
        code=CODE,
        label=gettext_lazy("Offre d'emploi dispensé d'une EIMT"),
        owed=_owed,
        may_pay=_may_pay,
        on_paid=_on_paid,
        back_url=lambda payment: reverse("employers:offers"),
        dossier_of=lambda object_id: (
            Dossier.objects.filter(pk=int(object_id)).first() if object_id.isdigit() else None
        ),
    )
)


# --- The ministry's side ---------------------------------------------------------------------


def _officer(actor: Actor) -> User:
    user = actor.person
    if not user.has_duty(Duty.EMPLOYER_FILES):
        raise Refused(
            "not_allowed", _("Cette action est réservée au personnel des dossiers d'employeurs.")
        )
    return user


@transaction.atomic
def message_company(*, dossier: Dossier, body: str, actor: Actor | User) -> None:
    """The ministry writes to the company about an offer: in the offer's thread, which the
    company's user who submitted it reads (and is told of by email)."""
    actor = as_actor(actor)
    _officer(actor)
    row = offers_for(actor).filter(pk=dossier.pk).first()
    if row is None:
        raise Refused("not_found", _("Cette offre n'existe pas."))
    if not body.strip():
        raise Refused("empty_message", _("Écrivez votre message."), field="body")
    recipient = User.objects.filter(
        pk=(row.data.get("signature") or {}).get("user_id") or 0
    ).first()
    dossiers.post_to_owner(row, body.strip(), actor, recipient=recipient)
    audit(actor, "offer.message_sent", row)


@transaction.atomic
def flag_for_inspection(*, dossier: Dossier, reason: str, actor: Actor | User) -> Any:
    from guichet.employers.models import OfferInspection

    actor = as_actor(actor)
    officer = _officer(actor)
    row = offers_for(actor).filter(pk=dossier.pk).first()
    if row is None:
        raise Refused("not_found", _("Cette offre n'existe pas."))
    if not reason.strip():
        raise Refused("reason_required", _("Indiquez le motif de l'inspection."), field="reason")
    flagged, created = OfferInspection.objects.get_or_create(
        dossier=row, defaults={"reason": reason.strip(), "flagged_by": officer}
    )
    if not created:
        raise Refused("already_flagged", _("Cette offre est déjà signalée pour inspection."))
    audit(actor, "offer.flagged_for_inspection", row)
    return flagged


@transaction.atomic
def validate(*, dossier: Dossier, actor: Actor | User) -> Any:
    """« Valider l'offre »: a submitted offer, once; the worker it names may then submit a CSQ
    application outside the quota (seed 002 « Rappel »). Audited."""
    from guichet.employers.models import OfferValidation

    actor = as_actor(actor)
    officer = _officer(actor)
    row = offers_for(actor).filter(pk=dossier.pk).first()
    if row is None:
        raise Refused("not_found", _("Cette offre n'existe pas."))
    if row.status != DossierStatus.SUBMITTED:
        raise Refused("not_submitted", _("Seule une offre soumise peut être validée."))
    validation, created = OfferValidation.objects.get_or_create(
        dossier=row, defaults={"validated_by": officer}
    )
    if not created:
        raise Refused("already_validated", _("Cette offre est déjà validée."))
    audit(actor, "offer.validated", row)
    return validation
