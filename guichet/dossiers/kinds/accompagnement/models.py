"""Accompagnement Québec's case work: the « plan d'action individualisé », the agent's notes and
the meetings with the agent. Registered through `guichet.dossiers.models`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.transitions import Table, Transition


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
