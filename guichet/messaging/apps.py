from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "guichet.messaging"
    verbose_name = _("Centre des messages")
