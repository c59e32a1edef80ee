from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "guichet.commitments"
    verbose_name = _("Engagements de services")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from guichet.messaging.models import Message

        from .signals import on_message

        post_save.connect(on_message, sender=Message, dispatch_uid="commitments-email-answer")
