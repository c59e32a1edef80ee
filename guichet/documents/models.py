from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.i18n import shown


class Document(models.Model):
    """A file the portal produced for a person (« Mes documents », seed 001 §4). Stored in the
    database: small, transactional with the dossier, and never served from a public path."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("propriétaire"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("dossier"),
    )
    kind = models.CharField(_("sorte"), max_length=40)
    title = models.CharField(_("document"), max_length=200)
    # The title in each language ({"fr": …, "en": …}).
    title_texts = models.JSONField(default=dict, blank=True)
    filename = models.CharField(_("nom du fichier"), max_length=100)
    mimetype = models.CharField(_("format"), max_length=60, default="application/pdf")
    language = models.CharField(_("langue"), max_length=2, default="fr")
    content = models.BinaryField(_("contenu"))
    created_at = models.DateTimeField(_("date de réception"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind"], name="document_one_kind_per_dossier"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        return shown(self.title_texts, self.title)

    @property
    def format_label(self) -> str:
        return "PDF" if self.mimetype == "application/pdf" else self.mimetype
