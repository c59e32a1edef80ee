from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MINISTRY_OFFICE = "ministry", _("Bureau du Ministère")
    PARTNER = "partner", _("Organisme partenaire")
    # A company whose users file job offers (seed 004); never a place of service.
    EMPLOYER = "employer", _("Entreprise")


class Organisation(models.Model):
    """A ministry office, a partner organisation or an employer's company. Staff of a partner see
    only its data; the users of a company share its dossiers."""

    name = models.CharField(_("nom"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("catégorie"), max_length=20, choices=OrganisationKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner(self) -> bool:
        return self.kind == OrganisationKind.PARTNER
