from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.i18n import shown


class Sender(models.TextChoices):
    MINISTRY = "ministry", _("Ministère")
    CLIENT = "client", _("Vous")
    SYSTEM = "system", _("Système")


class Thread(models.Model):
    """A conversation between one client and the ministry: about one dossier, or general.

    Every module posts its notices here (SPEC X3); the email only says a message is waiting.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="message_threads",
        verbose_name=_("destinataire"),
    )
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thread",
        verbose_name=_("dossier"),
    )
    subject = models.CharField(_("objet"), max_length=200)
    # The subject in each language when Guichet wrote it ({"fr": …, "en": …}).
    subject_texts = models.JSONField(default=dict, blank=True)
    # General threads that gather one module's notices (e.g. "appointments"); blank otherwise.
    topic = models.CharField(_("sujet"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(_("dernier message"), db_index=True)

    class Meta:
        ordering = ["-last_message_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "topic"],
                condition=~models.Q(topic=""),
                name="thread_one_per_topic",
            )
        ]
        verbose_name = _("fil de messages")
        verbose_name_plural = _("fils de messages")

    def __str__(self) -> str:
        return self.subject

    @property
    def shown_subject(self) -> str:
        return shown(self.subject_texts, self.subject)

    @property
    def accepts_replies(self) -> bool:
        """Clients reply in a dossier's thread; general notices are one-way."""
        return self.dossier_id is not None


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("expéditeur"), max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    body = models.TextField(_("message"))
    # The body in each language when Guichet wrote it; a person's message stays as typed.
    body_texts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    # Read receipt: when the other side first opened it.
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)
    # Delivery log of the email notice (« Du nouveau sur le portail »).
    notified_at = models.DateTimeField(_("avis envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(
                fields=["thread"],
                condition=models.Q(read_at__isnull=True),
                name="message_unread_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def shown_body(self) -> str:
        return shown(self.body_texts, self.body)

    @property
    def from_ministry(self) -> bool:
        return self.sender != Sender.CLIENT
