"""Accompagnement Québec's own records beside the engine's dossier: what it keeps of a request
(`Accompaniment`: the agents' queue facets, the first appointment's due time and sending) and
its case work (the « plan d'action individualisé », the agent's notes and the meetings with the
agent). Registered through `guichet.dossiers.models`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.transitions import Table, Transition


class Accompaniment(models.Model):
    """What Accompagnement Québec keeps of a submitted request, beside the engine's `Dossier`
    (which knows no kind's fields, issue 32): the facets of the agents' queue, copied from the
    sections at submission, and the first appointment — the time its details are due by (its
    commitment's clock sets it) and when they were sent."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="accompaniment",
    )
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
    first_appointment_due_at = models.DateTimeField(
        _("échéance des détails du premier rendez-vous"), null=True, blank=True
    )
    first_appointment_sent_at = models.DateTimeField(
        _("détails du premier rendez-vous envoyés le"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")

    def __str__(self) -> str:
        return str(self.dossier_id)

    @property
    def first_appointment_overdue(self) -> bool:
        due = self.first_appointment_due_at
        return self.first_appointment_sent_at is None and due is not None and due < timezone.now()


class ActionStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Terminé")


# The client (or the agent) moves an action freely between its three statuses.
ACTION_TRANSITIONS: Table = {
    status: Transition(frozenset(ActionStatus.values) - {status}, status, f"to_{status}")
    for status in ActionStatus.values
}


class PlanAction(models.Model):
    """An action of the « plan d'action individualisé » (PAI); the client updates its status."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="actions"
    )
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
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="notes")
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

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="appointments"
    )
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
