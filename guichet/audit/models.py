from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.core.actor import Source


class TrailEvent(models.Model):
    """What every trail records of one thing someone did: when, who (and who it was then), as
    what, what, from where, and the details of the change. The audit trail is one; the
    commissioner's trail of complaints (`complaints.ComplaintEvent`) is another."""

    occurred_at = models.DateTimeField(_("date et heure"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acteur"),
        # The trail outlives accounts: no cascade, no SET NULL (rows are never updated),
        # no database constraint; `actor_label` keeps who it was.
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("acteur (au moment de l'action)"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        abstract = True

    @property
    def action_label(self) -> str:
        """The action in words (« Nombre de places modifié »), its code when it has no label."""
        from .labels import ACTIONS

        return str(ACTIONS.get(self.action, self.action))


class AuditEvent(TrailEvent):
    """One thing someone did. Append-only: the database refuses UPDATE (and DELETE on
    PostgreSQL) on this table; see migration 0002 and docs/adr/0004."""

    object_type = models.CharField(_("type d'objet"), max_length=100, blank=True)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("événements d'audit")
        indexes = [models.Index(fields=["object_type", "object_id", "occurred_at"])]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
        )

    @property
    def object_label(self) -> str:
        """What the event is about, in words (« Rendez-vous n° 3 »), not a raw type and id."""
        if not self.object_type:
            return ""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return f"{self.object_type} {self.object_id}".strip()
        what = capfirst(str(model._meta.verbose_name))
        if not self.object_id:
            return what
        return gettext("%(what)s n° %(id)s") % {"what": what, "id": self.object_id}
