"""« Consultation des documents » (seed 002): the quota confirmation, the payment confirmation,
the file-opening letter, the recap of the actions taken and the printable summary (FAQ 14: a
summary only, never the whole form, once submitted and paid). Each is a tagged PDF in French
and in English, kept in « Mes documents » with the application, and announced by a message.
Made by background tasks that receive ids only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from guichet.core.actor import Actor
from guichet.core.i18n import LANGUAGES, in_languages
from guichet.core.money import format_cents
from guichet.core.pdf import write_pdf
from guichet.documents import services as documents
from guichet.documents.models import Document
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import DossierEvent
from guichet.messaging.models import Sender
from guichet.payments.models import Payment, PaymentStatus

from .kinds.csq import kind as csq
from .models import Application, Category

QUOTA_CONFIRMATION = "csq-confirmation-quota"
PAYMENT_CONFIRMATION = "csq-confirmation-paiement"
FILE_OPENING = "csq-lettre-ouverture"
ACTIONS = "csq-recapitulatif-actions"
SUMMARY = "csq-sommaire"
KINDS = (QUOTA_CONFIRMATION, PAYMENT_CONFIRMATION, FILE_OPENING, ACTIONS, SUMMARY)


@dataclass(frozen=True)
class Version:
    """One language's version of a document."""

    language: str
    title: str
    paragraphs: list[str]
    rows: list[tuple[str, str]]


def _when(value: Any, fmt: str = "j F Y H:i") -> str:
    return date_format(timezone.localtime(value), fmt) if value else "—"


def _name(application: Application) -> str:
    dossier = application.dossier
    return f"{dossier.first_name} {dossier.last_name}".strip()


def _base_rows(application: Application) -> list[tuple[str, str]]:
    dossier = application.dossier
    return [
        (_("Numéro de la demande"), dossier.number),
        (_("Requérant principal"), _name(application)),
        (_("Programme"), _("Programme régulier des travailleurs qualifiés")),
        (_("Date de soumission"), _when(dossier.submitted_at)),
    ]


def _quota(application: Application) -> tuple[str, list[str], list[tuple[str, str]]]:
    outside = application.category != Category.QUOTA
    return (
        _("Confirmation de la réception de votre demande dans le quota")
        if not outside
        else _("Confirmation de la réception de votre demande"),
        [
            _(
                "Votre demande a été reçue dans une catégorie qui peut soumettre une demande en "
                "tout temps, hors du nombre maximal de demandes (%(category)s)."
            )
            % {"category": application.get_category_display()}
            if outside
            else _(
                "Votre demande a été soumise pendant la période de réception et elle est admise "
                "dans le nombre maximal de demandes à recevoir par le Ministère."
            ),
            _(
                "Vous disposez de 30 jours à partir de la date de soumission pour payer les frais. "
                "Votre demande sera officiellement comptabilisée une fois les frais payés ; à "
                "défaut de paiement dans ce délai, elle sera supprimée."
            ),
        ],
        [*_base_rows(application), (_("Date limite de paiement"), _when(application.pay_by))],
    )


def _payment(application: Application) -> tuple[str, list[str], list[tuple[str, str]]]:
    dossier = application.dossier
    paid = Payment.objects.filter(
        purpose=csq.CODE, object_id=str(dossier.pk), status=PaymentStatus.SUCCESS
    ).first()
    rows = _base_rows(application)
    if paid is not None:
        rows += [
            (_("Numéro du reçu"), paid.receipt_number or "—"),
            (_("Montant payé"), format_cents(paid.amount_cents, paid.currency)),
            (_("Date du paiement"), _when(paid.completed_at)),
        ]
    return (
        _("Confirmation du paiement des frais"),
        [
            _(
                "Les frais relatifs à votre demande ont été payés dans le délai prescrit : votre "
                "demande est comptabilisée dans le nombre maximal de demandes à recevoir."
            ),
            _("Le traitement de votre demande débutera une fois les frais acquittés."),
        ],
        rows,
    )


def _file_opening(application: Application) -> tuple[str, list[str], list[tuple[str, str]]]:
    return (
        _("Lettre d'ouverture de dossier"),
        [
            _("Madame, Monsieur,"),
            _(
                "Nous avons le plaisir de vous informer que votre dossier de demande de "
                "certificat de sélection du Québec est ouvert sous le numéro %(number)s."
            )
            % {"number": application.dossier.number},
            _(
                "Lorsque le Ministère sera prêt à traiter votre demande, une liste personnalisée "
                "des documents exigés sera déposée dans votre compte. Vous disposerez de 90 jours "
                "pour les acheminer par la poste."
            ),
            _("Ministère de l'Immigration, de la Francisation et de l'Intégration"),
        ],
        [*_base_rows(application), (_("Date d'ouverture"), _when(application.file_opened_at))],
    )


def _actions(application: Application) -> tuple[str, list[str], list[tuple[str, str]]]:
    events = DossierEvent.objects.filter(dossier=application.dossier).exclude(
        action__startswith="save:"
    )
    return (
        _("Récapitulatif des actions effectuées"),
        [_("Les actions effectuées sur votre demande, de la plus ancienne à la plus récente.")],
        [(_when(event.at), event.action_label) for event in events],
    )


def _summary(application: Application) -> tuple[str, list[str], list[tuple[str, str]]]:
    """FAQ 14: a summary, never the whole form."""
    dossier = application.dossier
    principal = csq.section_data(dossier, "requerant")
    return (
        _("Sommaire de la demande de certificat de sélection"),
        [_("Ce sommaire ne remplace pas votre demande ; seul le Ministère en conserve le détail.")],
        [
            *_base_rows(application),
            (_("Date de naissance"), str(principal.get("birth_date") or "—")),
            (_("Membres de la famille inclus dans la demande"), str(csq.dependants(dossier))),
            (_("Catégorie"), application.get_category_display()),
            (_("Payée le"), _when(application.paid_at)),
        ],
    )


BUILDERS: dict[str, Callable[[Application], tuple[str, list[str], list[tuple[str, str]]]]] = {
    QUOTA_CONFIRMATION: _quota,
    PAYMENT_CONFIRMATION: _payment,
    FILE_OPENING: _file_opening,
    ACTIONS: _actions,
    SUMMARY: _summary,
}


def versions(application: Application, kind: str) -> list[Version]:
    built = []
    for language in LANGUAGES:
        with translation.override(language):
            title, paragraphs, rows = BUILDERS[kind](application)
            built.append(Version(language, str(title), [str(p) for p in paragraphs], rows))
    return built


def render(application: Application, kind: str) -> bytes:
    html = render_to_string(
        "intake/document_pdf.html",
        {"versions": versions(application, kind), "dossier": application.dossier},
    )
    return write_pdf(html)


def store(application: Application, kind: str, *, announce: bool = True) -> Document | None:
    dossier = application.dossier
    owner = dossier.owner
    if owner is None:
        return None
    document = documents.store(
        owner=owner,
        dossier=dossier,
        kind=kind,
        title=in_languages(lambda: BUILDERS[kind](application)[0]),
        filename=f"{kind}-{dossier.number}.pdf",
        content=render(application, kind),
        language=owner.preferred_language,
    )
    if announce:
        title = in_languages(lambda: BUILDERS[kind](application)[0])
        body = in_languages(
            lambda: (
                _(
                    "Un nouveau document est disponible dans « Consultation des documents » : "
                    "%(title)s."
                )
                % {"title": title[translation.get_language() or "fr"]}
            )
        )
        dossiers.post_to_owner(dossier, body, Actor.system(), sender=Sender.SYSTEM)
    if kind != ACTIONS:  # the recap of actions follows every other document
        store(application, ACTIONS, announce=False)
    return document


def _application(application_id: int) -> Application | None:
    return Application.objects.select_related("dossier__owner").filter(pk=application_id).first()


@task()
def store_quota_confirmation(*, application_id: int) -> None:
    application = _application(application_id)
    if application is not None and application.counted:
        # The submission's own message announces it.
        store(application, QUOTA_CONFIRMATION, announce=False)


@task()
def store_payment_confirmation(*, application_id: int) -> None:
    application = _application(application_id)
    if application is not None and application.paid_at is not None:
        store(application, PAYMENT_CONFIRMATION)
        store(application, SUMMARY, announce=False)


@task()
def store_file_opening(*, application_id: int) -> None:
    application = _application(application_id)
    if application is not None and application.file_opened_at is not None:
        store(application, FILE_OPENING)
