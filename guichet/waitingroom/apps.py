from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitingRoomConfig(AppConfig):
    name = "guichet.waitingroom"
    verbose_name = _("Salle d'attente virtuelle")
