"""The declaration's service commitments (seed 003, SPEC H2): data, not code. Each says what is
promised, within how long, in which unit, and what starts and ends its clock."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    IMMIGRATE = "immigrate", _("Pour immigrer au Québec")
    INTEGRATE = "integrate", _("Pour faciliter l'intégration à la société québécoise")
    FRENCH = "french", _("Pour apprendre le français")
    INFORMATION = "information", _("Pour obtenir des renseignements")
    COMPLAINTS = "complaints", _("Vos commentaires sont précieux")


class DelayUnit(models.TextChoices):
    BUSINESS_DAYS = "business_days", _("jours ouvrables")
    CALENDAR_DAYS = "calendar_days", _("jours civils")
    MINUTES = "minutes", _("minutes")


class Commitment(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    group_fr = models.CharField(_("groupe (français)"), max_length=200, blank=True)
    group_en = models.CharField(_("groupe (anglais)"), max_length=200, blank=True)
    title_fr = models.TextField(_("engagement (français)"))
    title_en = models.TextField(_("engagement (anglais)"))
    delay = models.PositiveIntegerField(_("délai"))
    unit = models.CharField(
        _("unité"), max_length=20, choices=DelayUnit.choices, default=DelayUnit.BUSINESS_DAYS
    )
    starts_fr = models.CharField(_("début du délai (français)"), max_length=200)
    starts_en = models.CharField(_("début du délai (anglais)"), max_length=200)
    ends_fr = models.CharField(_("fin du délai (français)"), max_length=200)
    ends_en = models.CharField(_("fin du délai (anglais)"), max_length=200)
    # In the public declaration (seed 003); False for a service level Guichet keeps besides
    # (seed 001's first-appointment details), reported the same way.
    declared = models.BooleanField(_("dans la déclaration"), default=True)
    # The appointment type whose sessions keep this commitment (« Rencontre sur les premières
    # démarches d'installation »): staff see, city by city, whether a seat is offered in time.
    appointment_type_slug = models.SlugField(
        _("type de rendez-vous (identifiant)"), max_length=80, blank=True
    )

    class Meta:
        verbose_name = _("engagement de services")
        verbose_name_plural = _("engagements de services")
        ordering = ["section", "position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(delay__gte=1), name="commitment_delay")
        ]

    def __str__(self) -> str:
        return self.code

    def _in(self, field: str) -> str:
        suffix = "en" if translation.get_language() == "en" else "fr"
        return str(getattr(self, f"{field}_{suffix}"))

    @property
    def title(self) -> str:
        return self._in("title")

    @property
    def group(self) -> str:
        return self._in("group")

    @property
    def label(self) -> str:
        """The title with what it belongs to, for a line of a report (« Accusé de réception »
        alone would not say of what)."""
        if self.section == Section.COMPLAINTS:
            return f"{Section.COMPLAINTS.label} — {self.title}"
        return f"{self.group} — {self.title}" if self.group else self.title

    @property
    def starts(self) -> str:
        return self._in("starts")

    @property
    def ends(self) -> str:
        return self._in("ends")


class SuspensionReason(models.TextChoices):
    """Why a request is incomplete (« le traitement est alors suspendu jusqu'à la réception des
    renseignements et des documents manquants »); staff may also write their own."""

    MISSING_INFORMATION = "missing_information", _("des renseignements sont manquants")
    MISSING_DOCUMENTS = "missing_documents", _("des documents sont manquants")
    FEES_UNPAID = "fees_unpaid", _("les frais exigés ne sont pas encore payés")


class Clock(models.Model):
    """One request's clock for one commitment (SPEC H2): started on the date of receipt, due
    after the commitment's delay on the business-day calendar, suspended while the request is
    incomplete (the business days suspended are added back), stopped by what ends it. A breach
    is recorded once, with the reason when staff give one."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="clocks")
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    target_id = models.PositiveBigIntegerField()
    received_on = models.DateField(_("date de réception"))
    due_on = models.DateField(_("échéance"))
    suspended_since = models.DateField(_("suspendu depuis"), null=True, blank=True)
    suspended_reason = models.CharField(_("motif de la suspension"), max_length=200, blank=True)
    suspended_days = models.PositiveIntegerField(_("jours suspendus"), default=0)
    stopped_on = models.DateField(_("terminé le"), null=True, blank=True)
    breached_on = models.DateField(_("manquement constaté le"), null=True, blank=True)
    breach_reason = models.TextField(_("motif du manquement"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("échéance d'un engagement")
        verbose_name_plural = _("échéances des engagements")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "target_type", "target_id"],
                condition=models.Q(stopped_on__isnull=True),
                name="clock_one_running_per_request",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")), name="clock_due_after"
            ),
        ]
        indexes = [models.Index(fields=["stopped_on", "due_on"], name="clock_open_due")]

    def __str__(self) -> str:
        return f"{self.commitment_id}:{self.target_type_id}:{self.target_id} {self.due_on}"

    @property
    def met(self) -> bool:
        return self.stopped_on is not None and self.breached_on is None

    @property
    def suspended(self) -> bool:
        return self.suspended_since is not None

    @property
    def suspension_reason(self) -> str:
        """The reason as the person reads it."""
        if self.suspended_reason in SuspensionReason.values:
            return str(SuspensionReason(self.suspended_reason).label)
        return self.suspended_reason

    @property
    def late(self) -> bool:
        """Past its due date: breached, or running after the due date."""
        from django.utils import timezone

        return self.breached_on is not None or (
            self.stopped_on is None and self.due_on < timezone.localdate()
        )
