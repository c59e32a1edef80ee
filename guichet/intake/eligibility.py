"""Who may hold a number and a place in the waiting room: an account that can submit within
the quota now (issue 29). A place reserved for an account that cannot use it — empty, finished,
unverified, or claiming to be outside the quota — is a place taken from someone who can.

`missing(user)` says, one line each with a link, what stands between an account and a
submission within the quota (the room's page shows it before « Se connecter »; joining is
refused while anything is missing). `ready_users(ids)` answers the same question for many
accounts in one query, for the controller's rounds: the application's `queue_ready`, kept at each
save, stands for the checks of its sections."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.dossiers import services as dossiers
from guichet.dossiers.models import Dossier, DossierStatus

from .identity import keys_of
from .kinds.csq import kind as csq
from .models import Application, Category, Exemption


@dataclass(frozen=True)
class Missing:
    code: str
    message: str
    url: str = ""
    link: str = ""


def queue_ready(dossier: Dossier) -> bool:
    """A draft within its 90 days, every section valid, consistent, and no claim outside the
    quota (such an application does not need the room, or waits for an officer)."""
    return (
        dossier.status == DossierStatus.DRAFT
        and dossier.deadline >= timezone.localdate()
        and csq.category_of(dossier) == Category.QUOTA
        and not dossiers.submission_errors(dossier)
        and not csq.consistency_errors(dossier)
    )


def refresh(dossier: Dossier) -> bool:
    """Keep `Application.queue_ready` and, for a draft, its identity key in step with the
    application (each save, each decision): the rounds then know, in one query, who is ready
    and who is the twin of an application already counted."""
    ready = queue_ready(dossier)
    values: dict[str, object] = {"queue_ready": ready}
    if dossier.status == DossierStatus.DRAFT:
        keys = keys_of(csq.section_data(dossier, "requerant"))
        values.update(identity_key=keys.exact, passport_key=keys.passport, names_key=keys.names)
    Application.objects.filter(dossier=dossier, counted=False).update(**values)
    return ready


def _twin_counted(dossier: Dossier) -> bool:
    key = keys_of(csq.section_data(dossier, "requerant")).exact
    return bool(key) and Application.objects.filter(counted=True, identity_key=key).exists()


def missing(user: User) -> list[Missing]:
    found: list[Missing] = []
    if user.email_verified_at is None:
        found.append(
            Missing(
                "email_not_verified",
                _(
                    "Votre adresse courriel n'est pas confirmée : ouvrez le lien de confirmation "
                    "qui vous a été envoyé (un seul compte par adresse courriel)."
                ),
                reverse("accounts:email_verification") + "?next=" + reverse("waitingroom:room"),
                _("Confirmer mon adresse courriel"),
            )
        )
    dossier = Dossier.objects.filter(owner=user, kind=csq.CODE).order_by("-created_at").first()
    if dossier is None:
        found.append(
            Missing(
                "no_application",
                _("Vous n'avez pas encore préparé de demande de certificat de sélection."),
                reverse("intake:home"),
                _("Commencer ma demande"),
            )
        )
        return found
    application = Application.objects.filter(dossier=dossier).first()
    if dossier.status == DossierStatus.PENDING:
        found.append(
            Missing(
                "in_verification",
                _(
                    "Votre demande est en vérification : un agent vérifie qu'elle peut être "
                    "soumise hors du nombre maximal de demandes. Elle ne peut pas occuper une "
                    "place dans la salle d'attente."
                ),
                reverse("intake:home"),
                _("Mon projet Québec"),
            )
        )
        return found
    if dossier.status != DossierStatus.DRAFT:
        found.append(
            Missing(
                "already_submitted",
                _(
                    "Votre demande a déjà été soumise (une seule demande par personne) : vous "
                    "n'avez pas besoin de la salle d'attente."
                ),
                reverse("intake:home"),
                _("Mon projet Québec"),
            )
        )
        return found
    if dossier.deadline < timezone.localdate():
        found.append(
            Missing(
                "deadline_passed",
                _("Le délai de 90 jours pour soumettre cette demande est passé."),
                reverse("intake:home"),
                _("Mon projet Québec"),
            )
        )
    category = csq.category_of(dossier)
    if category != Category.QUOTA:
        found.append(
            Missing(
                "outside_quota",
                _(
                    "Votre demande indique une offre d'emploi validée par le Ministère ou un "
                    "statut de résident temporaire autorisé : elle se soumet hors du nombre "
                    "maximal de demandes, sans la salle d'attente (une offre non reconnue est "
                    "vérifiée par un agent). Si ce n'est pas votre cas, répondez « Non » à ces "
                    "questions."
                ),
                reverse("intake:submit"),
                _("Soumettre ma demande"),
            )
        )
    errors = dossiers.submission_errors(dossier)
    for key in dict.fromkeys(error.section_key for error in errors):
        section = csq.CSQ.section(key)
        title = str(section.title) if section is not None else key
        found.append(
            Missing(
                "incomplete",
                _("La section « %(section)s » n'est pas complétée.") % {"section": title},
                reverse("intake:section", kwargs={"section_key": key}),
                _("Compléter la section « %(section)s »") % {"section": title},
            )
        )
    if _twin_counted(dossier):
        found.append(
            Missing(
                "duplicate",
                str(csq.DUPLICATE_REASON),
                reverse("intake:section", kwargs={"section_key": "requerant"}),
                _("Vérifier la section « Requérant principal »"),
            )
        )
    for message in csq.consistency_errors(dossier):
        found.append(
            Missing("inconsistent", message, reverse("intake:home"), _("Mon projet Québec"))
        )
    if application is not None and not found and not application.queue_ready:
        refresh(dossier)
    return found


def ready_users(user_ids: Iterable[int]) -> set[int]:
    """Of these accounts, those that can submit within the quota now (one query)."""
    ids = list(user_ids)
    if not ids:
        return set()
    return set(
        Application.objects.filter(
            dossier__owner_id__in=ids,
            dossier__owner__is_active=True,
            dossier__owner__email_verified_at__isnull=False,
            dossier__kind=csq.CODE,
            dossier__status=DossierStatus.DRAFT,
            dossier__deadline__gte=timezone.localdate(),
            queue_ready=True,
        )
        .exclude(exemption=Exemption.PENDING)
        # The twin of an application already counted would be set aside: it holds no place.
        .exclude(
            Exists(Application.objects.filter(counted=True, identity_key=OuterRef("identity_key")))
        )
        .values_list("dossier__owner_id", flat=True)
    )


def never_ready(user_ids: Iterable[int]) -> set[int]:
    """Of these accounts, those that can never submit within the quota again: no draft left
    (submitted, in verification, set aside, deleted), or the same person already counted. An
    incomplete draft or an unconfirmed email can still be put right: not these."""
    ids = list(user_ids)
    if not ids:
        return set()
    drafts = Application.objects.filter(
        dossier__owner_id__in=ids, dossier__kind=csq.CODE, dossier__status=DossierStatus.DRAFT
    )
    with_draft = set(drafts.values_list("dossier__owner_id", flat=True))
    twins = set(
        drafts.exclude(identity_key="")
        .filter(
            Exists(Application.objects.filter(counted=True, identity_key=OuterRef("identity_key")))
        )
        .values_list("dossier__owner_id", flat=True)
    )
    return (set(ids) - with_draft) | twins
