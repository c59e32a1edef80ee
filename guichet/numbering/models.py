from django.db import models
from django.utils.translation import gettext_lazy as _


class Sequence(models.Model):
    """A named counter for numbers that must never repeat (client numbers, dossier numbers).
    The row is locked while a number is taken, so concurrent allocations queue, never collide;
    the unique constraints on the numbered tables are the second line of defence."""

    name = models.CharField(_("nom"), max_length=50, primary_key=True)
    last_value = models.BigIntegerField(_("dernière valeur"))

    class Meta:
        verbose_name = _("séquence")
        verbose_name_plural = _("séquences")

    def __str__(self) -> str:
        return f"{self.name}={self.last_value}"
