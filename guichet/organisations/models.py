from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MINISTRY_OFFICE = "ministry", _("Bureau du Ministère")
    PARTNER = "partner", _("Organisme partenaire")


class Organisation(models.Model):
    """A ministry office or a partner organisation. Staff of a partner see only its data."""

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
