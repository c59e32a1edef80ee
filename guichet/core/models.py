"""The few records the core keeps: the ministry's closure days (the business-day clock), the
event log and what its readers have handled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosureDay(models.Model):
    """A day the ministry's offices are closed beyond the statutory holidays (a storm, a move,
    a day the government grants): kept by staff, skipped by the business-day clock
    (`core.dates`) like a holiday."""

    day = models.DateField(_("date"), unique=True)
    reason_fr = models.CharField(_("motif (français)"), max_length=200)
    reason_en = models.CharField(_("motif (anglais)"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jour de fermeture du Ministère")
        verbose_name_plural = _("jours de fermeture du Ministère")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.reason_fr}"


class Event(models.Model):
    """One thing that changed, announced (`core.events`, ADR 0023): written in the transaction
    that made the change, then read by the subscribers after commit, by the partner API's
    webhooks and by the privacy register. Append-only (the database refuses UPDATE, and DELETE
    on PostgreSQL); the payload is small and holds no personal data (ids, codes, statuses).

    `id` is the cursor a reader keeps. On PostgreSQL `tx` is the writing transaction's id: a
    reader takes only events of transactions older than any still running, in (tx, id) order,
    so an event committed late is never skipped (`core.events.after`)."""

    type = models.CharField(_("type"), max_length=64, db_index=True)
    subject_type = models.CharField(_("type d'objet"), max_length=100)
    subject_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acteur"),
        # Like the audit trail: the log outlives accounts and its rows are never updated.
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    source = models.CharField(_("source"), max_length=10)
    occurred_at = models.DateTimeField(_("date et heure"), db_index=True)
    payload = models.JSONField(_("données"), default=dict, blank=True)
    tx = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [models.Index(fields=["subject_type", "subject_id", "id"])]

    def __str__(self) -> str:
        return f"{self.pk} {self.type} {self.subject_type}#{self.subject_id}"


class EventDelivery(models.Model):
    """One subscriber's handling of one event, written in the handler's own transaction: an
    event is handled once per subscriber, whether the after-commit delivery ran it or the
    catch-up that follows a process lost between a commit and its delivery (`core.events`)."""

    event_id = models.BigIntegerField()
    handler = models.CharField(max_length=200)
    delivered_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event_id", "handler"], name="event_handled_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.handler}"


class EventCursor(models.Model):
    """How far a reader of the event log has read (the id of the last event it took): the
    subscribers' catch-up, later the partner API's webhooks."""

    name = models.CharField(max_length=64, primary_key=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"


class SentEmail(models.Model):
    """An email a background task sent (`core.tasks`): the same task run again — reclaimed from
    a dead worker, retried after a failure — does not send it twice. The key is a digest of the
    task's id, the recipient and the message: no address is kept."""

    key = models.CharField(max_length=64, primary_key=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key
