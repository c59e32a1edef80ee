"""The few records the core keeps: the ministry's closure days (the business-day clock)."""

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
