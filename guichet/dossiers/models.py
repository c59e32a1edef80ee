"""Dossiers: a small engine (kind, sections, number, lifecycle, owner, history); the kinds live
in `kinds/`, each with its own number format, lifecycle and owner (a person or an
organisation). The case work of Accompagnement Québec lives in `kinds/accompagnement/`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left, Length, Substr
from django.db.models.lookups import Exact, Regex
from django.utils.translation import gettext_lazy as _

from guichet.core.actor import Source

from .statuses import OPEN_STATUSES, PROCESSING_STATUSES, DossierStatus


class Dossier(models.Model):
    number = models.CharField(_("numéro de dossier"), max_length=20, unique=True)
    # The kind's number format, copied on the row so the database checks every number against
    # it: `number_prefix` then exactly `number_digits` digits (G + 10, A + 7).
    number_prefix = models.CharField(_("préfixe du numéro"), max_length=3)
    number_digits = models.PositiveSmallIntegerField(_("chiffres du numéro"))
    kind = models.CharField(_("type de dossier"), max_length=40)
    # The owner is a party: a person (`owner`), or an organisation whose members share the
    # dossier (`owner_organisation`: an employer's job offer). Neither: opened by an agent for
    # a person who links it later.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("titulaire"),
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("organisation titulaire"),
    )
    status = models.CharField(
        _("statut du dossier"),
        max_length=20,
        choices=DossierStatus.choices,
        default=DossierStatus.DRAFT,
    )
    # What the person typed, section by section, as typed (drafts keep invalid values too).
    data = models.JSONField(_("données"), default=dict, blank=True)
    # Identity, to recognise the person when they link the dossier to their profile (seed 001 §3).
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    # The profile as it was at submission (SPEC E9).
    profile_snapshot = models.JSONField(_("renseignements personnels"), default=dict, blank=True)
    deadline = models.DateField(_("date limite pour soumettre"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    submitted_at = models.DateTimeField(_("date de soumission"), null=True, blank=True)
    # Warnings before the deadline already sent (the smallest number of days left so far).
    warned_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Agent side.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("agente ou agent d'aide à l'intégration"),
    )
    # A kind's own fields are its own model's (Accompagnement Québec's `Accompaniment`).

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.CheckConstraint(
                condition=Q(number_prefix__regex=r"^[A-Z]{1,3}$")
                & Q(number_digits__gte=1)
                & Q(Exact(Left("number", Length("number_prefix")), F("number_prefix")))
                & Q(Exact(Length("number"), Length("number_prefix") + F("number_digits")))
                & Q(Regex(Substr("number", Length("number_prefix") + 1), r"^[0-9]+$")),
                name="dossier_number_format",
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(owner_organisation__isnull=True),
                name="dossier_one_owner",
            ),
            # One open dossier of a kind per person (seed 001 §2.1: otherwise, link it); the
            # kinds owned by organisations (job offers) are not limited.
            models.UniqueConstraint(
                fields=["owner", "kind"],
                condition=Q(status__in=["draft", "pending", "submitted", "in_progress", "paid"]),
                name="dossier_one_open_per_kind",
            ),
            models.CheckConstraint(
                # A draft may be withdrawn (an employer's offer) without ever being submitted.
                condition=models.Q(status__in=["draft", "withdrawn"])
                | models.Q(submitted_at__isnull=False),
                name="dossier_submitted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="dossier_status_deadline"),
            models.Index(fields=["status", "submitted_at"], name="dossier_queue"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_draft(self) -> bool:
        return self.status == DossierStatus.DRAFT

    @property
    def provisional(self) -> bool:
        """A draft numbered in its kind's draft series: its number comes at submission."""
        from .registry import get_kind

        kind = get_kind(self.kind)
        return kind is not None and self.number_prefix != kind.number_format.prefix

    @property
    def shown_number(self) -> str:
        """The number as shown to people: a provisional one says it is a draft's."""
        if self.provisional:
            return str(_("brouillon %(number)s") % {"number": self.number})
        return self.number

    @property
    def in_processing(self) -> bool:
        return self.status in PROCESSING_STATUSES

    def can(self, action: str) -> bool:
        """Whether the kind's lifecycle allows `action` from the current status."""
        from .registry import get_kind

        kind = get_kind(self.kind)
        move = kind.transitions.get(action) if kind is not None else None
        return move is not None and move.allows(self.status)

    @property
    def can_close(self) -> bool:
        return self.can("close")

    @property
    def status_label(self) -> str:
        """The status in the kind's words (« Non soumise » for an offer)."""
        return status_label(self.kind, self.status)

    def belongs_to(self, user: object) -> bool:
        """The person who owns it, or a member of the organisation that does."""
        user_id, organisation_id = getattr(user, "pk", None), getattr(user, "organisation_id", None)
        if self.owner_id is not None:
            return self.owner_id == user_id
        return self.owner_organisation_id is not None and (
            self.owner_organisation_id == organisation_id
        )

    @property
    def kind_label(self) -> str:
        """The kind's name (« Accompagnement Québec »), from the engine's registry."""
        from .registry import get_kind

        kind = get_kind(self.kind)
        return str(kind.label) if kind is not None else self.kind


def status_label(kind_code: str, status: str) -> str:
    from .registry import get_kind

    kind = get_kind(kind_code)
    named = kind.status_label(status) if kind is not None else None
    if named is not None:
        return named
    return str(DossierStatus(status).label) if status in DossierStatus.values else status


EVENT_LABELS = {
    "create": _("Création"),
    "open": _("Ouverture par le Ministère"),
    "save": _("Enregistrement du formulaire"),
    "submit": _("Soumission"),
    "link": _("Lien avec le profil"),
    "assign": _("Attribution"),
    "close": _("Fermeture"),
    "appointment": _("Rendez-vous envoyé"),
    "message": _("Message envoyé"),
    "action": _("Action ajoutée au plan"),
    "action_status": _("Statut d'une action du plan modifié"),
    "note": _("Note ajoutée"),
    "sign": _("Signature de la déclaration"),
    "withdraw": _("Retrait de la demande"),
    "pay": _("Paiement des frais"),
    "start": _("Début du traitement"),
    "set_aside": _("Demande écartée"),
    "refuse": _("Demande refusée"),
    "file_opened": _("Lettre d'ouverture de dossier envoyée"),
    "documents_requested": _("Liste des documents exigés envoyée"),
}


class DossierEvent(models.Model):
    """The history: every transition and every change, with who and from where."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("statut avant"), max_length=20, blank=True)
    to_status = models.CharField(_("statut après"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("événement du dossier")
        verbose_name_plural = _("historique du dossier")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"

    @property
    def action_label(self) -> str:
        """The history's « Action » column, in words."""
        base = self.action.split(":", 1)[0]
        if self.action.startswith("action:") and self.action != "action:add":
            base = "action_status"
        return str(EVENT_LABELS.get(base, self.action))

    @property
    def to_status_label(self) -> str:
        return status_label(self.dossier.kind, self.to_status) if self.to_status else ""


# The case work of Accompagnement Québec (action plan, notes, meetings with the agent) is that
# kind's own; its models are defined with it and registered here, with the engine's.
from .kinds.accompagnement.models import (  # noqa: E402
    Accompaniment,
    ActionStatus,
    AgentAppointment,
    AppointmentMode,
    DossierNote,
    NoteVisibility,
    PlanAction,
)

__all__ = [
    "OPEN_STATUSES",
    "PROCESSING_STATUSES",
    "Accompaniment",
    "ActionStatus",
    "AgentAppointment",
    "AppointmentMode",
    "Dossier",
    "DossierEvent",
    "DossierNote",
    "DossierStatus",
    "NoteVisibility",
    "PlanAction",
    "status_label",
]
