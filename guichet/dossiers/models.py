"""Dossiers: a small engine (type, sections, lifecycle, history); the types live in `kinds/`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.actor import Source
from guichet.core.transitions import Table, Transition


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Inscription en cours")
    SUBMITTED = "submitted", _("Présenté")
    IN_PROGRESS = "in_progress", _("En traitement")
    CLOSED = "closed", _("Fermé")


# Submitted and not closed: what the agents work on.
PROCESSING_STATUSES = frozenset({DossierStatus.SUBMITTED, DossierStatus.IN_PROGRESS})
# A person has at most one open dossier of a type.
OPEN_STATUSES = PROCESSING_STATUSES | {DossierStatus.DRAFT}

# The lifecycle, in one place: action -> (statuses it may start from, status it leads to).
TRANSITIONS: Table = {
    "submit": Transition(frozenset({DossierStatus.DRAFT}), DossierStatus.SUBMITTED),
    "assign": Transition(PROCESSING_STATUSES, DossierStatus.IN_PROGRESS),
    "close": Transition(PROCESSING_STATUSES, DossierStatus.CLOSED),
}


class Dossier(models.Model):
    number = models.CharField(_("numéro de dossier"), max_length=11, unique=True)
    kind = models.CharField(_("type de dossier"), max_length=40)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("titulaire"),
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
    first_appointment_due_at = models.DateTimeField(
        _("échéance des détails du premier rendez-vous"), null=True, blank=True
    )
    first_appointment_sent_at = models.DateTimeField(
        _("détails du premier rendez-vous envoyés le"), null=True, blank=True
    )
    # Facets for the agents' queue, copied from the sections at submission.
    city = models.ForeignKey(
        "clients.Locality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ville de résidence souhaitée"),
    )
    languages = models.CharField(_("langues"), max_length=200, blank=True)
    availability = models.CharField(_("disponibilités"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[A-Z][0-9]{10}$"),
                name="dossier_number_format",
            ),
            # One open dossier of a type per person (seed 001 §2.1: otherwise, link it).
            models.UniqueConstraint(
                fields=["owner", "kind"],
                condition=models.Q(status__in=["draft", "submitted", "in_progress"]),
                name="dossier_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
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
    def in_processing(self) -> bool:
        return self.status in PROCESSING_STATUSES

    @property
    def can_close(self) -> bool:
        return TRANSITIONS["close"].allows(self.status)

    @property
    def kind_label(self) -> str:
        """The kind's name (« Accompagnement Québec »), from the engine's registry."""
        from .registry import get_kind

        kind = get_kind(self.kind)
        return str(kind.label) if kind is not None else self.kind

    @property
    def first_appointment_overdue(self) -> bool:
        due = self.first_appointment_due_at
        return self.first_appointment_sent_at is None and due is not None and due < timezone.now()


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
        return str(DossierStatus(self.to_status).label) if self.to_status else ""


class ActionStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Terminé")


class PlanAction(models.Model):
    """An action of the « plan d'action individualisé » (PAI); the client updates its status."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action du plan")
        verbose_name_plural = _("plan d'action individualisé")

    def __str__(self) -> str:
        return self.title


class NoteVisibility(models.TextChoices):
    CLIENT = "client", _("Visible par la personne")
    INTERNAL = "internal", _("Interne")


class DossierNote(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("note"))
    visibility = models.CharField(
        _("visibilité"),
        max_length=10,
        choices=NoteVisibility.choices,
        default=NoteVisibility.INTERNAL,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("note au dossier")
        verbose_name_plural = _("notes au dossier")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.created_at:%Y-%m-%d}"


class AppointmentMode(models.TextChoices):
    IN_PERSON = "in_person", _("En personne")
    VIRTUAL = "virtual", _("En mode virtuel")


class AgentAppointment(models.Model):
    """A meeting with the integration agent (the first one, then follow-ups)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=60)
    mode = models.CharField(
        _("type de rendez-vous"), max_length=10, choices=AppointmentMode.choices
    )
    place = models.ForeignKey(
        "appointments.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lieu"),
    )
    details = models.TextField(_("précisions"), blank=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("rendez-vous avec l'agente ou l'agent")
        verbose_name_plural = _("rendez-vous avec l'agente ou l'agent")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.starts_at:%Y-%m-%d %H:%M}"
